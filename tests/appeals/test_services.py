"""Appeals on the database: start with the route check, submit, decide by hand and from
the payer's next 835 (paid in full, in part, denied again), the level chain, follow-up,
and what deleting a remittance may not take with it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from appeals.choices import AppealStatus, Outcome
from appeals.models import Appeal
from appeals.services import (
    AppealRefused,
    appeal_correct_outcome,
    appeal_decide,
    appeal_start,
    appeal_submit,
    appeal_withdraw,
)
from remittance.models import Remittance
from tests.worklist.test_services import LAKESHORE, claim, denied
from worklist.models import WorklistItem
from worklist.services import item_assign, worklist_follow_up_sweep

pytestmark = pytest.mark.django_db


def _sent(item, user, on=None):
    appeal = appeal_start(item=item, actor=user, argument="Records show the visit was needed.")
    return appeal_submit(
        appeal=appeal,
        actor=user,
        method="portal",
        submitted_on=on or timezone.localdate(),
        reference="REF-1",
    )


def _held(account, user):
    item = WorklistItem.objects.get(patient_control_number=account)
    item.team.members.add(user)
    return item_assign(item=item, assignee=user, actor=user)


def test_starting_an_appeal_moves_the_item_and_proposes_the_deadline(appealable, biller):
    appeal = appeal_start(item=appealable, actor=biller)
    item = WorklistItem.objects.get(pk=appealable.pk)
    assert item.status == "appealed"
    assert (appeal.status, appeal.level, appeal.kind) == ("draft", "first", "appeal")
    assert appeal.deadline == item.appeal_deadline is not None
    assert appeal.amount_appealed == D("1000.00")
    assert appeal.reason_codes == ["CO-50"]
    assert appeal.denial_links.count() == 1
    with pytest.raises(AppealRefused, match="already has an open"):
        appeal_start(item=item, actor=biller)


def test_submitting_sets_the_expected_decision_and_waits_for_the_payer(appealable, biller):
    appeal = _sent(appealable, biller)
    assert appeal.status == AppealStatus.SUBMITTED
    # Commercial first level: 60 days published (no decisions of this payer yet).
    assert appeal.expected_decision_on == timezone.localdate() + timedelta(days=60)
    assert "published" in appeal.expected_explanation
    assert "Records show the visit was needed." in appeal.letter_html
    item = WorklistItem.objects.get(pk=appealable.pk)
    assert (item.status, item.follow_up_on) == ("awaiting_payer", appeal.expected_decision_on)


def test_an_appeal_past_its_expected_decision_comes_back_as_a_follow_up(appealable, biller):
    appeal = _sent(appealable, biller, on=timezone.localdate() - timedelta(days=70))
    assert appeal.expected_decision_on < timezone.localdate()
    WorklistItem.objects.filter(pk=appealable.pk).update(follow_up_due=False)
    assert worklist_follow_up_sweep() == 1
    assert WorklistItem.objects.get(pk=appealable.pk).follow_up_due
    assert list(Appeal.objects.overdue()) == [appeal]


def test_a_person_decides_overturned_and_the_item_closes_recovered(appealable, biller):
    appeal = _sent(appealable, biller)
    appeal = appeal_decide(appeal=appeal, actor=biller, outcome="overturned")
    assert (appeal.outcome, appeal.recovered_amount, appeal.decision_source) == (
        "overturned",
        D("1000.00"),
        "user",
    )
    item = WorklistItem.objects.get(pk=appealable.pk)
    assert (item.status, item.resolution, item.recovered_amount) == (
        "resolved",
        "recovered_full",
        D("1000.00"),
    )


def test_outcome_checks(appealable, biller):
    appeal = appeal_start(item=appealable, actor=biller)
    with pytest.raises(AppealRefused, match="mark it submitted"):
        appeal_decide(appeal=appeal, actor=biller, outcome="upheld")
    appeal = appeal_submit(
        appeal=appeal, actor=biller, method="fax", submitted_on=timezone.localdate()
    )
    with pytest.raises(AppealRefused, match="between"):
        appeal_decide(
            appeal=appeal, actor=biller, outcome="partially_overturned", recovered_amount=D("5000")
        )
    with pytest.raises(AppealRefused, match="in part"):
        appeal_decide(
            appeal=appeal, actor=biller, outcome="partially_overturned", recovered_amount=D("1000")
        )
    with pytest.raises(AppealRefused, match="Unknown outcome"):
        appeal_decide(appeal=appeal, actor=biller, outcome="won")


def test_upheld_offers_the_next_level_and_returns_the_item(appealable, biller):
    appeal = _sent(appealable, biller)
    decided = timezone.localdate()
    appeal_decide(appeal=appeal, actor=biller, outcome="upheld", decided_on=decided)
    item = WorklistItem.objects.get(pk=appealable.pk)
    assert item.status == "in_progress"  # back with its holder
    # Commercial second level: 60 days from the first decision (seeded default).
    assert item.next_level_deadline == decided + timedelta(days=60)
    second = appeal_start(item=item, actor=biller)
    assert (second.level, second.previous_id, second.deadline) == (
        "second",
        appeal.pk,
        decided + timedelta(days=60),
    )
    second = appeal_submit(appeal=second, actor=biller, method="mail", submitted_on=decided)
    appeal_decide(appeal=second, actor=biller, outcome="upheld", decided_on=decided)
    third = appeal_start(item=WorklistItem.objects.get(pk=item.pk), actor=biller)
    assert (third.level, third.level_name) == ("external", "External review")


def test_withdrawing_returns_the_item(appealable, biller):
    appeal = _sent(appealable, biller)
    with pytest.raises(AppealRefused, match="why"):
        appeal_withdraw(appeal=appeal, actor=biller, reason=" ")
    appeal_withdraw(appeal=appeal, actor=biller, reason="Paid by the secondary.")
    assert WorklistItem.objects.get(pk=appealable.pk).status == "in_progress"


def test_a_teammate_cannot_appeal_an_item_someone_else_holds(appealable, teammate):
    from worklist.services import AssignmentRefused

    with pytest.raises(AssignmentRefused):
        appeal_start(item=appealable, actor=teammate)


# ---------------------------------------------------------------- the right route


def test_ma130_is_refused_as_an_appeal_and_offered_as_a_corrected_claim(book, biller):
    c = denied("MA1", "16", "200.00")
    c.remark_codes, c.remark_source = ["MA130"], "MOA"
    book(c, trace="R1")
    item = _held("MA1", biller)
    with pytest.raises(AppealRefused, match="MA130") as refused:
        appeal_start(item=item, actor=biller)
    assert refused.value.suggested_kind == "corrected_claim"
    corrected = appeal_start(item=item, actor=biller, kind="corrected_claim")
    assert corrected.kind == "corrected_claim"
    assert WorklistItem.objects.get(pk=item.pk).status == "resubmitted"


def test_timely_filing_needs_proof(book, biller):
    book(denied("TF1", "29", "300.00"), trace="R2")
    item = _held("TF1", biller)
    with pytest.raises(AppealRefused, match="proof of timely filing"):
        appeal_start(item=item, actor=biller)
    appeal = appeal_start(item=item, actor=biller, timely_filing_proof=True)
    assert appeal.status == "draft"


def test_a_clerical_error_goes_to_medicare_as_a_reopening(book, biller):
    book(denied("CL1", "16", "120.00"), trace="R3", payer=LAKESHORE)
    item = _held("CL1", biller)
    with pytest.raises(AppealRefused, match="reopening"):
        appeal_start(item=item, actor=biller, clerical_error=True)
    reopening = appeal_start(item=item, actor=biller, kind="reopening", clerical_error=True)
    assert reopening.level_name == "Reopening (clerical error)"


# ------------------------------------------------------- decided from the next 835


@pytest.mark.parametrize(
    ("paid", "outcome", "recovered", "item_status"),
    [
        ("1000.00", "overturned", "1000.00", "resolved"),
        ("400.00", "partially_overturned", "400.00", "resolved"),
    ],
)
def test_a_later_payment_decides_the_appeal(
    book, appealable, biller, paid, outcome, recovered, item_status
):
    appeal = _sent(appealable, biller, on=date(2025, 2, 20))
    later = book(
        claim("AP1", status="1", paid=paid, charge="1000.00"),
        trace="A2",
        produced=date(2025, 3, 20),
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome, appeal.recovered_amount) == (
        "decided",
        outcome,
        D(recovered),
    )
    assert (appeal.decision_source, appeal.decided_by_remittance_id) == ("remittance", later.pk)
    assert appeal.decided_on == date(2025, 3, 20)
    assert WorklistItem.objects.get(pk=appealable.pk).status == item_status


def test_a_repeated_denial_upholds_the_appeal(book, appealable, biller):
    appeal = _sent(appealable, biller, on=date(2025, 2, 20))
    book(denied("AP1", "50", "1000.00"), trace="A3", produced=date(2025, 3, 20))
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.decision_source) == (Outcome.UPHELD, "remittance")
    item = WorklistItem.objects.get(pk=appealable.pk)
    assert item.status == "new"  # back in its team's queue, as any repeat denial
    assert item.links.count() == 2  # the repeat denial joined the item
    assert "upheld" in item.activities.filter(kind="status").last().note


def test_a_manager_corrects_an_automatic_outcome(book, appealable, biller, manager):
    appeal = _sent(appealable, biller, on=date(2025, 2, 20))
    book(claim("AP1", status="1", paid="400.00"), trace="A4", produced=date(2025, 3, 20))
    appeal.refresh_from_db()
    with pytest.raises(Exception, match="manager"):
        appeal_correct_outcome(
            appeal=appeal, actor=biller, outcome="overturned", recovered_amount=None, reason="x"
        )
    appeal = appeal_correct_outcome(
        appeal=appeal,
        actor=manager,
        outcome="overturned",
        recovered_amount=D("1000.00"),
        reason="The rest was paid by check.",
    )
    event = appeal.events.get(kind="corrected")
    assert "Overturned in part ($400.00" in event.note and "check" in event.note
    assert WorklistItem.objects.get(pk=appealable.pk).recovered_amount == D("1000.00")


def test_deleting_a_remittance_never_deletes_an_appeal(appealable, biller):
    appeal = _sent(appealable, biller)
    remittance = Remittance.objects.get(pk=appealable.claim.remittance_id)
    with pytest.raises(ProtectedError):
        remittance.delete()
    assert Appeal.objects.filter(pk=appeal.pk).exists()
    assert appeal.events.count() >= 2


def test_a_corrected_claim_from_the_item_page_is_tracked_apart(book, appealable, biller):
    from worklist.services import item_mark_resubmitted

    item_mark_resubmitted(
        item=appealable, actor=biller, on=date(2025, 2, 20), new_claim_reference="NEW-7"
    )
    record = Appeal.objects.get(item=appealable)
    assert (record.kind, record.status, record.reference) == (
        "corrected_claim",
        "submitted",
        "NEW-7",
    )
    assert record.expected_decision_on == date(2025, 3, 22)  # commercial: 30 days
    book(claim("AP1", status="1", paid="1000.00"), trace="A5", produced=date(2025, 3, 10))
    record.refresh_from_db()
    assert (record.outcome, record.decision_source) == ("overturned", "remittance")


def test_overturn_figures_by_payer_level_and_reason_code(appealable, biller):
    from appeals.selectors import overturn_by_reason_code, overturn_figures

    first = _sent(appealable, biller, on=date(2025, 2, 20))
    appeal_decide(appeal=first, actor=biller, outcome="upheld", decided_on=date(2025, 3, 2))
    second = appeal_start(item=WorklistItem.objects.get(pk=appealable.pk), actor=biller)
    assert second.level == "second"
    second = appeal_submit(
        appeal=second, actor=biller, method="mail", submitted_on=date(2025, 3, 5)
    )
    appeal_decide(
        appeal=second,
        actor=biller,
        outcome="partially_overturned",
        recovered_amount=D("250.00"),
        decided_on=date(2025, 3, 25),
    )
    rows = overturn_figures(by=["payer", "level"])
    assert [(r["level"], r["decided"], r["overturned"], r["upheld"]) for r in rows] == [
        ("first", 1, 0, 1),
        ("second", 1, 1, 0),
    ]
    assert (rows[0]["overturn_rate"], rows[0]["overturn_rate_dollars"]) == (0.0, 0.0)
    assert (rows[1]["overturn_rate"], rows[1]["overturn_rate_dollars"]) == (1.0, 0.25)
    assert (rows[0]["mean_days_to_decision"], rows[1]["mean_days_to_decision"]) == (10, 20)
    (total,) = overturn_figures()  # no grouping: one row for all
    assert (total["decided"], total["overturned"], total["recovered"]) == (2, 1, D("250.00"))
    (code,) = overturn_by_reason_code()
    assert (code["reason_code"], code["decided"], code["overturned"]) == ("CO-50", 2, 1)
    assert (code["overturn_rate"], code["overturn_rate_dollars"]) == (0.5, 0.125)
    assert code["mean_days_to_decision"] == 15
