"""Worklist services on the database: intake, routing, following later remittances, the
state machine, learning from outcomes, rule changes and the nightly sweep.

Remittances are small 835s written from parser dataclasses and booked the way production
books them; the commit callbacks run the (eager) Celery tasks the booking enqueues."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from denials.models import Denial
from remittance.generator import render
from remittance.models import Claim as BookedClaim
from remittance.models import Payer
from remittance.services import remittance_process, remittance_receive
from worklist.choices import TRANSITIONS, ActivityKind, ItemStatus, Resolution
from worklist.models import Activity, ItemDenial, PayerRule, WorklistItem
from worklist.selectors import payer_rules
from worklist.services import (
    InvalidTransition,
    item_transition,
    worklist_deadline_report,
    worklist_intake,
    worklist_rescore,
)
from worklist.tasks import worklist_nightly_task, worklist_remittance_task
from x12.remit835 import Adjustment, Claim, Party, Payment, Transaction

pytestmark = pytest.mark.django_db

PRODUCED = date(2025, 2, 3)
SERVED = date(2025, 1, 10)
PAYEE = Party(
    entity_code="PE",
    name="TEST CLINIC",
    id_qualifier="XX",
    identifier="1999999984",
    npi="1999999984",
    tax_id="991234567",
)
NORTHWIND = ("NORTHWIND HEALTH PLAN", "NWH99", "12")  # commercial (CLP06 12)
LAKESHORE = ("LAKESHORE MEDICARE", "99901", "MB")  # medicare


def claim(account, *cas, status="4", charge="1000.00", paid="0", served=SERVED):
    """A claim adjudicated at claim level; ``cas`` are (group, reason, amount)."""
    return Claim(
        patient_control_number=account,
        status_code=status,
        charge=D(charge),
        paid=D(paid),
        payer_claim_control_number=f"ICN{account}",
        statement_from=served,
        statement_to=served,
        patient_last_name="SAMPLE",
        patient_first_name="ALPHA",
        patient_id=f"M{account}",
        adjustments=[Adjustment(g, r, D(a)) for g, r, a in cas],
    )


def denied(account, reason="50", amount="1000.00", **kwargs):
    return claim(account, ("CO", reason, amount), charge=amount, **kwargs)


@pytest.fixture
def book(tmp_path, django_capture_on_commit_callbacks):
    """Write and book one 835 transaction; run what booking enqueued unless run=False."""

    def _book(*claims, trace, produced=PRODUCED, payer=NORTHWIND, run=True):
        name, identifier, filing = payer
        for c in claims:
            c.filing_indicator = filing
        total = sum((c.paid for c in claims), D(0))
        transaction = Transaction(
            control_number="0001",
            payment=Payment(
                transaction_handling="I" if total else "H",
                amount=total,
                method="CHK" if total else "NON",
                date=produced,
                trace_type="1",
                trace_number=trace,
                originator_id="1990000904",
                production_date=produced,
            ),
            payer=Party(entity_code="PR", name=name, id_qualifier="XV", identifier=identifier),
            payee=PAYEE,
            claims=list(claims),
        )
        path = tmp_path / f"{trace}.835"
        path.write_text(render([transaction]))
        with django_capture_on_commit_callbacks(execute=run):
            with open(path, "rb") as stream:
                received = remittance_receive(stream=stream, filename=path.name, source="api")
            remittance = remittance_process(remittance_id=received.remittance.pk)
        assert remittance.status == "processed", remittance.error
        return remittance

    return _book


def item_for(account) -> WorklistItem:
    return WorklistItem.objects.select_related("team").get(patient_control_number=account)


def counts():
    return WorklistItem.objects.count(), Activity.objects.count(), ItemDenial.objects.count()


# ---------------------------------------------------------------------------- intake


def test_intake_opens_one_scored_routed_item_per_denial(book):
    remittance = book(denied("A1", "50"), denied("A2", "97", "300.00"), trace="T1", run=False)
    ids = list(Denial.objects.filter(remittance=remittance).values_list("id", flat=True))
    assert worklist_intake(denial_ids=ids, today=date(2025, 7, 23)) == 2
    assert WorklistItem.objects.count() == 2
    item = item_for("A1")
    assert list(item.denials.values_list("id", flat=True)) == [
        Denial.objects.get(claim__patient_control_number="A1").id
    ]
    assert (item.category, item.reason_code, item.suggested_action) == (
        "medical_necessity",
        "50",
        "appeal",
    )
    assert item.team.slug == "clinical-appeals"
    assert item.routing_rule.endswith("“Medical necessity to clinical appeals”")
    # Commercial defaults: appeal 180 days from 2025-02-03 (25 + 31 + 30 + 31 + 30 + 31 = 178
    # to 31 July, so 2 August); corrected claim 90 days from 2025-01-10 (21 + 28 + 31 = 80
    # to 31 March, so 10 April). The item races the appeal deadline.
    assert (item.appeal_deadline, item.refile_deadline) == (date(2025, 8, 2), date(2025, 4, 10))
    assert item.deadline == date(2025, 8, 2) and item.deadline_state == "at_risk"  # 10 days
    # 1000 × 0.400 (prior) − 118 = 282.00; urgency 1 + 2 × 20/30 = 2.33; 282 × 2.33
    assert item.recovery_probability == D("0.400")
    assert item.expected_net_recovery == D("282.00")
    assert item.priority == D("657.06")
    assert "$1,000.00 open × 40% likely" in item.priority_explanation
    assert "appeal by 2025-08-02" in item.priority_explanation
    coding = item_for("A2")
    assert coding.suggested_action == "correct_resubmit"
    # Its corrected-claim date has passed: the appeal date, still open, takes over.
    assert coding.refile_deadline == date(2025, 4, 10)
    assert coding.deadline == date(2025, 8, 2) and coding.deadline_state == "at_risk"
    assert coding.team.slug == "coding"
    assert list(Activity.objects.values_list("kind", "to_status")) == [("created", "new")] * 2


def test_intake_again_over_the_same_denials_creates_nothing(book):
    remittance = book(denied("A1"), denied("A2", "97"), trace="T1")
    ids = list(Denial.objects.filter(remittance=remittance).values_list("id", flat=True))
    before = counts()
    assert before == (2, 2, 2)
    assert worklist_intake(denial_ids=ids) == 0
    assert counts() == before


def test_the_remittance_task_twice_changes_nothing_the_second_time(book):
    remittance = book(denied("A1"), denied("A2", "97"), denied("A3", "31"), trace="T1", run=False)
    assert counts() == (0, 0, 0)
    worklist_remittance_task.delay(remittance_id=remittance.pk)
    assert counts() == (3, 3, 3)
    worklist_remittance_task.delay(remittance_id=remittance.pk)
    assert counts() == (3, 3, 3)


@pytest.mark.parametrize(
    ("reason", "category", "team"),
    [
        ("31", "eligibility", "front-end"),
        ("22", "coordination_of_benefits", "front-end"),
        ("97", "coding", "coding"),
        ("50", "medical_necessity", "clinical-appeals"),
        ("197", "authorization", "clinical-appeals"),
        ("18", "duplicate", "ar-follow-up"),
        ("96", "non_covered", "ar-follow-up"),
    ],
)
def test_seeded_rules_route_each_category(book, reason, category, team):
    book(denied("R1", reason), trace="T1")
    item = item_for("R1")
    assert (item.category, item.team.slug) == (category, team)
    if team == "ar-follow-up":
        assert item.routing_rule == "no routing rule matched: default team"
    else:
        assert item.routing_rule.startswith("routing rule ")


def test_medicare_co29_opens_an_item_for_write_off_review(book):
    book(denied("G1", "29"), trace="T1", payer=LAKESHORE)
    item = item_for("G1")
    assert (item.suggested_action, item.appealable) == ("write_off", False)
    assert item.guardrail.startswith("Medicare CO-29")
    assert item.priority_explanation.startswith("Guardrail: Medicare CO-29")


# --------------------------------------------------------- following later remittances


def test_later_payment_resolves_and_a_reversal_reopens(book):
    book(denied("P1"), denied("P2", "97", "300.00"), trace="T1")
    paid = book(
        claim("P1", ("CO", "45", "400.00"), status="1", paid="600.00"),
        claim("P2", status="1", charge="300.00", paid="300.00"),
        trace="T2",
        produced=date(2025, 3, 3),
    )
    partial, full = item_for("P1"), item_for("P2")
    assert (partial.status, partial.resolution, partial.recovered_amount) == (
        "resolved",
        "recovered_partial",
        D("600.00"),
    )
    assert (full.status, full.resolution, full.recovered_amount) == (
        "resolved",
        "recovered_full",
        D("300.00"),
    )
    last = partial.activities.last()
    assert (last.kind, last.from_status, last.to_status) == ("payer", "new", "resolved")
    assert last.note == f"Paid $600.00 in remittance {paid.pk}."
    reversal = book(
        claim("P1", ("CO", "45", "-400.00"), status="22", charge="-1000.00", paid="-600.00"),
        claim("OTHER", status="1", charge="600.00", paid="600.00"),  # the payment nets to 0
        trace="T3",
        produced=date(2025, 4, 1),
    )
    assert BookedClaim.objects.get(remittance=reversal, status_code="22").reversal_of_id
    reopened = item_for("P1")
    assert (reopened.status, reopened.resolution, reopened.recovered_amount) == ("new", "", 0)
    assert reopened.resolved_at is None
    assert (
        reopened.activities.last().note
        == f"Payment reversed in remittance {reversal.pk}; reopened."
    )
    assert item_for("P2").status == "resolved"  # not reversed
    assert WorklistItem.objects.count() == 2


def test_a_payment_of_nothing_leaves_the_item_open(book):
    book(denied("Z1"), trace="T1")
    book(claim("Z1", ("CO", "45", "1000.00"), status="1"), trace="T2")
    assert item_for("Z1").status == "new"


def test_a_repeat_denial_joins_the_open_item_and_requeues_it(book, user):
    book(denied("D1", "16", "500.00"), trace="T1")
    item = item_for("D1")
    item = item_transition(item=item, to_status=ItemStatus.ASSIGNED, actor=user, assignee=user)
    item_transition(item=item, to_status=ItemStatus.IN_PROGRESS, actor=user)
    again = book(denied("D1", "16", "500.00"), trace="T2", produced=date(2025, 3, 3))
    item.refresh_from_db()
    assert WorklistItem.objects.count() == 1
    assert item.links.count() == 2
    assert set(item.denials.values_list("remittance_id", flat=True)) == {
        again.pk,
        item.claim.remittance_id,
    }
    assert (item.status, item.assignee) == ("new", None)
    note = item.activities.last()
    assert (note.kind, note.note) == (
        "payer",
        f"Denied again in remittance {again.pk} (CO-16); back to the queue.",
    )


def test_a_denial_of_the_same_claim_in_another_category_opens_its_own_item(book):
    book(denied("D1", "16", "500.00"), trace="T1")
    book(denied("D1", "97", "500.00"), trace="T2", produced=date(2025, 3, 3))
    assert sorted(WorklistItem.objects.values_list("category", flat=True)) == [
        "coding",
        "missing_information",
    ]


# ------------------------------------------------------------------- state machine

ALLOWED = sorted((a, b) for a, targets in TRANSITIONS.items() for b in targets)


@pytest.fixture
def item(book):
    book(denied("S1"), trace="T1")
    return item_for("S1")


def put(item, status):
    resolution = Resolution.WRITTEN_OFF if status == ItemStatus.RESOLVED else ""
    WorklistItem.objects.filter(pk=item.pk).update(status=status, resolution=resolution)
    item.refresh_from_db()
    return item


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_each_allowed_transition(item, user, source, target):
    put(item, source)
    resolution = Resolution.RECOVERED_FULL if target == ItemStatus.RESOLVED else ""
    extra = {"assignee": user} if target == ItemStatus.ASSIGNED else {}
    item_transition(
        item=item, to_status=target, actor=user, resolution=resolution, note="ok", **extra
    )
    item.refresh_from_db()
    assert item.status == target
    assert item.resolution == resolution
    last = item.activities.last()
    assert (last.kind, last.from_status, last.to_status, last.actor, last.note) == (
        ActivityKind.STATUS,
        source,
        target,
        user,
        "ok",
    )


def test_assigned_without_an_assignee_is_refused(item, user):
    with pytest.raises(InvalidTransition, match="needs an assignee"):
        item_transition(item=item, to_status=ItemStatus.ASSIGNED, actor=user)
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("new", "appealed"),
        ("new", "resubmitted"),
        ("assigned", "awaiting_payer"),
        ("appealed", "in_progress"),
        ("resolved", "in_progress"),
        ("resolved", "assigned"),
    ],
)
def test_a_disallowed_transition_is_refused_and_writes_nothing(item, user, source, target):
    put(item, source)
    before = (Activity.objects.count(), item.updated_at)
    with pytest.raises(InvalidTransition):
        item_transition(item=item, to_status=target, actor=user)
    item.refresh_from_db()
    assert item.status == source
    assert (Activity.objects.count(), item.updated_at) == before


@pytest.mark.parametrize("resolution", ["", "paid_somehow"])
def test_resolving_needs_a_resolution(item, user, resolution):
    activities = Activity.objects.count()
    with pytest.raises(InvalidTransition, match="needs a resolution"):
        item_transition(item=item, to_status="resolved", actor=user, resolution=resolution)
    item.refresh_from_db()
    assert (item.status, Activity.objects.count()) == ("new", activities)


def test_resolving_records_the_outcome_and_reopening_clears_it(item, user):
    item_transition(
        item=item,
        to_status="resolved",
        actor=user,
        resolution="recovered_partial",
        recovered_amount=D("250.00"),
    )
    item.refresh_from_db()
    assert (item.recovered_amount, item.resolved_at is not None) == (D("250.00"), True)
    item_transition(item=item, to_status="new", actor=user, note="payer took it back")
    item.refresh_from_db()
    assert (item.resolution, item.recovered_amount, item.resolved_at) == ("", 0, None)


# ------------------------------------------------------------------------- learning


def test_resolved_recoveries_raise_the_payers_other_items_in_that_category(book, user):
    today = timezone.localdate()
    recent = {"served": today - timedelta(days=20)}
    book(
        *[denied(f"L{n}", **recent) for n in range(1, 6)],
        denied("L6", "97", **recent),
        trace="T1",
        produced=today - timedelta(days=10),
    )
    open_item, other_category = item_for("L5"), item_for("L6")
    assert open_item.recovery_probability == D("0.400")  # the medical necessity prior
    for n in range(1, 5):
        item_transition(
            item=item_for(f"L{n}"),
            to_status="resolved",
            actor=user,
            resolution="recovered_full",
            recovered_amount=D("1000.00"),
        )
    worklist_rescore(payer_id=open_item.payer_id, category="medical_necessity")
    after = item_for("L5")
    # 4 of 4 recovered at every level, prior 0.4 weighted as 10 outcomes:
    # category 8/14, payer (4 + 80/14)/14 = 34/49, reason (4 + 340/49)/14 = 268/343 = 0.7813
    assert after.recovery_probability == D("0.781")
    assert after.priority > open_item.priority
    assert item_for("L6").recovery_probability == other_category.recovery_probability


def test_a_partial_recovery_counts_as_its_recovered_fraction(book, user):
    book(denied("F1"), denied("F2"), trace="T1")
    item_transition(
        item=item_for("F1"),
        to_status="resolved",
        actor=user,
        resolution="recovered_partial",
        recovered_amount=D("600.00"),
    )
    worklist_rescore()
    # one outcome worth 0.6 at every level: category (0.6 + 4)/11 = 0.41818…,
    # payer (0.6 + 4.1818…)/11 = 0.43471…, reason (0.6 + 4.3471…)/11 = 0.44974… → 0.450
    assert item_for("F2").recovery_probability == D("0.450")


def test_resolving_rescores_on_commit(book, user, django_capture_on_commit_callbacks):
    book(denied("C1"), denied("C2"), trace="T1")
    with django_capture_on_commit_callbacks(execute=True):
        item_transition(
            item=item_for("C1"),
            to_status="resolved",
            actor=user,
            resolution="recovered_full",
            recovered_amount=D("1000.00"),
        )
    # (1 + 4)/11 = 0.4545…; (1 + 4.545…)/11 = 0.5041…; (1 + 5.041…)/11 = 0.5492 → 0.549
    assert item_for("C2").recovery_probability == D("0.549")


# ---------------------------------------------------------------------- payer rules


def test_payer_rules_lists_the_payers_own_rules_before_its_type_defaults():
    payer = Payer.objects.create(key="id:P1", name="P1", payer_type="commercial")
    other = Payer.objects.create(key="id:P2", name="P2", payer_type="commercial")
    for who, days, start in ((payer, 60, date(2000, 1, 1)), (payer, 45, date(2025, 6, 1))):
        PayerRule.objects.create(
            payer=who, kind="appeal_1", days=days, basis="receipt", effective_from=start
        )
    PayerRule.objects.create(
        payer=other, kind="appeal_1", days=10, basis="receipt", effective_from=date(2000, 1, 1)
    )
    rules = payer_rules({payer.pk: "commercial"})[payer.pk]
    assert [(r.scope, r.kind, r.days) for r in rules[:2]] == [
        (f"payer {payer.pk}", "appeal_1", 45),
        (f"payer {payer.pk}", "appeal_1", 60),
    ]
    assert sorted((r.scope, r.kind, r.months, r.days) for r in rules[2:]) == [
        ("type commercial", "appeal_1", 0, 180),
        ("type commercial", "appeal_2", 0, 60),
        ("type commercial", "external_review", 4, 0),
        ("type commercial", "follow_up", 0, 30),
        ("type commercial", "timely_filing", 0, 90),
    ]


def test_saving_a_payer_rule_recomputes_that_payers_deadlines(
    book, django_capture_on_commit_callbacks
):
    book(denied("N1"), trace="T1")
    book(denied("M1"), trace="T1", payer=LAKESHORE)
    northwind, medicare = item_for("N1"), item_for("M1")
    assert northwind.appeal_deadline == date(2025, 8, 2)
    # Medicare: 2025-02-03 + 5 days = 02-08, + 120 days (20 + 31 + 30 + 31 = 112 to 31 May)
    assert medicare.appeal_deadline == date(2025, 6, 8)
    with django_capture_on_commit_callbacks(execute=True):
        rule = PayerRule.objects.create(
            payer=northwind.payer,
            kind="appeal_1",
            days=60,
            basis="receipt",
            effective_from=date(2000, 1, 1),
        )
    # 2025-02-03 + 60 days: 25 + 31 = 56 to 31 March, so 4 April.
    assert item_for("N1").appeal_deadline == item_for("N1").deadline == date(2025, 4, 4)
    assert item_for("M1").appeal_deadline == date(2025, 6, 8)
    with django_capture_on_commit_callbacks(execute=True):
        rule.delete()
    assert item_for("N1").appeal_deadline == date(2025, 8, 2)


def test_a_payer_rule_effective_after_the_remittance_leaves_its_items_alone(
    book, django_capture_on_commit_callbacks
):
    book(denied("N1"), trace="T1")
    payer = item_for("N1").payer
    with django_capture_on_commit_callbacks(execute=True):
        PayerRule.objects.create(
            payer=payer,
            kind="appeal_1",
            days=60,
            basis="receipt",
            effective_from=date(2025, 2, 4),
        )
    assert item_for("N1").appeal_deadline == date(2025, 8, 2)


# --------------------------------------------------------------------- nightly sweep


def test_nightly_task_reports_deadline_states_and_missed_items_are_flagged(book, user):
    today = timezone.localdate()
    book(
        denied("OK1", "50", served=today - timedelta(days=20)),  # appeal today + 170
        denied("RISK1", "97", served=today - timedelta(days=80)),  # refile today + 10
        denied("LATE1", "97", served=today - timedelta(days=100)),  # refile today − 10
        denied("DONE1", "50"),
        trace="T1",
        produced=today - timedelta(days=10),
    )
    item_transition(
        item=item_for("DONE1"), to_status="resolved", actor=user, resolution="written_off"
    )
    assert worklist_nightly_task.delay().get() == {"ok": 2, "at_risk": 1}
    assert item_for("OK1").deadline == today + timedelta(days=170)
    # LATE1 missed its corrected-claim date; its appeal date, still open, takes over.
    late = item_for("LATE1")
    assert late.refile_deadline == today - timedelta(days=10)
    assert (late.deadline, late.deadline_state) == (today + timedelta(days=170), "ok")
    assert worklist_rescore(today=today + timedelta(days=156)) == 3  # 14 days left: at risk
    assert item_for("OK1").deadline_state == "at_risk"
    assert worklist_rescore(today=today + timedelta(days=171)) == 3
    assert worklist_deadline_report() == {"missed": 3}
    assert "deadline missed 1 days ago" in item_for("OK1").priority_explanation
    assert item_for("DONE1").deadline_state != "missed"  # resolved items are left alone


def test_awaiting_payer_sets_the_follow_up_date_from_the_payer_rules(item, user):
    put(item, ItemStatus.RESUBMITTED)
    item_transition(item=item, to_status=ItemStatus.AWAITING_PAYER, actor=user)
    item.refresh_from_db()
    # Seeded follow-up interval: 30 days for every payer type.
    assert item.follow_up_on == timezone.localdate() + timedelta(days=30)
    assert "Follow up on" in item.activities.last().note
