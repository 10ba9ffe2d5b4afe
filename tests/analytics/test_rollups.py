"""The rollups against the raw computation (``analytics.raw_metrics``): after a varied
book built through the real services (837 submissions, 277CA rejections and
acceptances, 835s with denials, reversals and corrections, worklist items worked and
written off, appeals), every metric read from the rollups equals the raw figure, for
several months and every cut; and the incremental refresh after a new remittance gives
the same facts as a rebuild."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from analytics.filters import MetricFilters
from analytics.metrics import all_metrics
from analytics.models import ArSegment, ClaimFact, DenialDay, DenialFact, FactCode, RollupState
from analytics.raw_metrics import all_metrics_raw, denial_breakdown_raw
from analytics.selectors import denial_breakdown
from analytics.services import rollups_rebuild, rollups_refresh
from analytics.tasks import analytics_refresh_task
from claims.inputs import ClaimStatusIn, StatusCodeIn, SubmittedClaimIn, SubmittedLineIn
from claims.services import claim_statuses_record, submitted_claims_book
from remittance.models import Payer
from remittance.services import remittance_process, remittance_receive
from worklist.choices import ItemStatus, Resolution
from worklist.models import Team, WorklistItem
from worklist.services import item_transition

pytestmark = pytest.mark.django_db
D = Decimal


def render(claims, *, paid_on: date, payer=("PLAN ONE", "PAYER01"), trace="T1") -> str:
    """A small 835 paid on ``paid_on``; each claim is (pcn, status, charge, paid, code)."""
    day = paid_on.strftime("%Y%m%d")
    total = sum(D(c[3]) for c in claims)
    body = [
        f"BPR*I*{total}*C*ACH*CCP*01*111*DA*33*1234567890**01*111*DA*22*{day}",
        f"TRN*1*{trace}*1000000000",
        f"DTM*405*{day}",
        f"N1*PR*{payer[0]}*XV*{payer[1]}",
        "N1*PE*TEST CLINIC*XX*1234567893",
        "LX*1",
    ]
    for pcn, status, charge, paid, code in claims:
        body += [
            f"CLP*{pcn}*{status}*{charge}*{paid}**12*ICN{pcn}*11*1",
            "NM1*QC*1*DOE*JANE****MI*M0001",
            f"SVC*HC:{code}*{charge}*{paid}**1",
            "DTM*472*20251101",
        ]
        adjusted = D(charge) - D(paid)
        if adjusted:
            reason = "45" if status in ("1", "22") and D(paid) else "16"
            body.append(f"CAS*CO*{reason}*{adjusted}")
    segments = ["ST*835*0001", *body, f"SE*{len(body) + 2}*0001"]
    envelope = [
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260120*1200*^*"
        "00501*000000001*0*T*:",
        f"GS*HP*SENDER*RECEIVER*{day}*1200*1*X*005010X221A1",
        *segments,
        "GE*1*1",
        "IEA*1*000000001",
    ]
    return "~\n".join(envelope) + "~\n"


@pytest.fixture
def book(django_capture_on_commit_callbacks):
    """Book an 835 the way production does, running what it enqueues (follow-up, intake,
    the rollups' refresh) eagerly."""

    def _book(claims, run=True, **kwargs):
        text = render(claims, **kwargs)
        with django_capture_on_commit_callbacks(execute=run):
            received = remittance_receive(
                stream=io.BytesIO(text.encode()), filename=f"{kwargs.get('trace')}.835",
                source="command",
            )  # fmt: skip
            remittance = remittance_process(remittance_id=received.remittance.pk)
        assert remittance.status == "processed", remittance.error
        return remittance

    return _book


def submission(pcn, on, charge, payer="PAYER01", **extra) -> SubmittedClaimIn:
    return SubmittedClaimIn(
        patient_control_number=pcn, payer_identifier=payer, charge=D(charge), submitted_on=on,
        service_date_from=date(2025, 11, 1), service_date_to=date(2025, 11, 1),
        lines=(SubmittedLineIn(line_number=1, charge=D(charge), procedure_code="99213",
                               revenue_code="0450" if pcn.endswith("2") else "",
                               service_date_from=date(2025, 11, 1)),),
        **extra,
    )  # fmt: skip


def status(pcn, on, category, payer="PAYER01") -> ClaimStatusIn:
    return ClaimStatusIn(
        patient_control_number=pcn, status_date=on, codes=(StatusCodeIn(category=category),),
        payer_identifier=payer,
    )  # fmt: skip


@pytest.fixture
def varied(book, manager, django_capture_on_commit_callbacks):
    """Two payers' claims from November 2025 to February 2026, booked through the services."""
    book([("A0", "1", "50.00", "50.00", "99213")], paid_on=date(2025, 10, 1), trace="T0")
    book(
        [("B0", "1", "60.00", "60.00", "99213")], paid_on=date(2025, 10, 2), trace="U0",
        payer=("MEDICARE TWO", "PAYER02"),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        submitted_claims_book(
            claims=[
                submission("A1", date(2025, 11, 3), "100.00", rendering_npi="1111111111"),
                submission("A2", date(2025, 11, 10), "200.00", facility_code="22"),
                submission("A3", date(2025, 12, 1), "300.00"),
                submission("A4", date(2025, 12, 5), "400.00"),
                submission("A5", date(2025, 12, 20), "500.00", place_of_service="11"),
                submission("A6", date(2026, 1, 5), "600.00"),
                submission("A7", date(2026, 1, 25), "700.00"),
                submission("B1", date(2025, 11, 20), "150.00", payer="PAYER02"),
                submission("B2", date(2026, 1, 8), "250.00", payer="PAYER02"),
                submission("B3", date(2026, 2, 2), "350.00", payer="PAYER02"),
            ],
            source="837",
        )
        claim_statuses_record(
            statuses=[status("A3", date(2025, 12, 2), "A7"), status("A4", date(2025, 12, 6), "A7")],
            source="277ca",
        )
        claim_statuses_record(statuses=[status("A3", date(2025, 12, 4), "A1")], source="277ca")
    book(
        [
            ("A1", "1", "100.00", "80.00", "99213"),
            ("A2", "4", "200.00", "0", "99214"),
            ("A3", "1", "300.00", "250.00", "99213"),
        ],
        paid_on=date(2025, 12, 15), trace="T1",
    )  # fmt: skip
    book(
        [
            ("A1", "22", "-100.00", "-80.00", "99213"),
            ("A1", "1", "100.00", "90.00", "99213"),
            ("A2", "1", "200.00", "150.00", "99214"),
            ("A5", "4", "500.00", "0", "97110"),
            ("X9", "4", "75.00", "0", "80053"),
        ],
        paid_on=date(2026, 1, 12), trace="T2",
    )  # fmt: skip
    book(
        [("B1", "4", "150.00", "0", "99213"), ("B2", "1", "250.00", "250.00", "99213")],
        paid_on=date(2026, 1, 20), trace="U1", payer=("MEDICARE TWO", "PAYER02"),
    )  # fmt: skip
    item = WorklistItem.objects.get(patient_control_number="A5")
    with django_capture_on_commit_callbacks(execute=True):
        item_transition(
            item=item, to_status=ItemStatus.RESOLVED, actor=manager,
            resolution=Resolution.WRITTEN_OFF, note="not worth it",
        )  # fmt: skip
    return manager


def periods():
    yield MetricFilters.for_month(2025, 12)
    yield MetricFilters.for_month(2026, 1)
    yield MetricFilters.for_month(2026, 2)
    yield MetricFilters(date(2025, 11, 15), date(2026, 1, 31))
    yield MetricFilters(date(2026, 1, 12), date(2026, 1, 12))
    today = timezone.localdate()  # the write-off happened today
    yield MetricFilters.for_month(today.year, today.month)


def cuts():
    payer2 = Payer.objects.get(identifier="PAYER02").pk
    coding = Team.objects.get(slug="coding").pk
    return [
        {},
        {"payer": payer2},
        {"payer_type": "medicare"},
        {"category": "coding"},
        {"reason_code": "CO-16"},
        {"control_point": "coding"},
        {"provider": "1111111111"},
        {"location": "22"},
        {"location": "11"},
        {"procedure_code": "99213"},
        {"procedure_code": "97110"},
        {"revenue_code": "0450"},
        {"team": coding},
        {"scope_teams": (coding,)},
    ]


def differences(filters) -> dict:
    rolled, raw = all_metrics(filters), all_metrics_raw(filters)
    return {n: (vars(rolled[n]), vars(raw[n])) for n in raw if vars(raw[n]) != vars(rolled[n])}


def test_every_metric_from_the_rollups_equals_the_raw_computation(varied):
    rollups_rebuild()
    assert ClaimFact.objects.count() == 13  # A0, B0, A1..A7, B1..B3, X9
    assert FactCode.objects.exists() and ArSegment.objects.exists()
    for base in periods():
        for cut in cuts():
            filters = MetricFilters(base.date_from, base.date_to, **cut)
            assert differences(filters) == {}, (base, cut)
    # The book is not trivial: denials, first-pass claims, A/R and a write-off.
    january = all_metrics(MetricFilters.for_month(2026, 1))
    assert january["denial_rate"].numerator >= 2
    assert january["first_pass_yield"].numerator >= 1
    assert january["days_in_ar"].numerator > 0
    *_, this_month = periods()
    assert all_metrics(this_month)["denial_write_off_rate"].numerator == D("500.00")


GROUPINGS = (["payer"], ["category", "control_point", "provider"], ["payer", "reason"], ["team"])


def test_denied_dollars_by_cut_from_the_rollups_equal_the_denial_rows(varied):
    # Root cause and the scorecards group the stored denial facts; the raw rows must agree.
    rollups_rebuild()
    for base in periods():
        for cut in cuts():
            filters = MetricFilters(base.date_from, base.date_to, **cut)
            for by in GROUPINGS:
                rolled, raw = denial_breakdown(filters, by), denial_breakdown_raw(filters, by)
                assert rolled == raw, (base, cut, by)
    january = denial_breakdown(MetricFilters.for_month(2026, 1), ["payer"])
    assert january and all(r["dollars"] > 0 for r in january)


def test_the_refresh_after_each_change_keeps_the_rollups_equal_to_the_raw_rows(varied):
    # Booking, claim files and item changes above each ran the (eager) refresh task.
    state = RollupState.objects.get()
    assert state.watermark is not None and state.failures == 0
    for base in periods():
        assert differences(base) == {}, base
    # The alerts' daily denial counts are the denial facts counted.
    counted = (
        DenialFact.objects.values_list("adjudicated_on", "payer_id", "category")
        .annotate(n=Count("fact_id", distinct=True))
        .order_by()
    )
    cells = DenialDay.objects.values_list("day", "payer_id", "category", "claims")
    assert set(cells) == set(counted) and cells.exists()


def facts_snapshot() -> set:
    rows = ClaimFact.objects.values_list(
        "key", "submitted_on", "charge", "payer_id", "rejected", "first_claim_id",
        "adjudicated_on", "adjudicated_charge", "denied", "paid", "rejected_before",
    )  # fmt: skip
    segments = ArSegment.objects.values_list(
        "fact__key", "starts_on", "ends_on", "balance", "submitted_on"
    )
    codes = FactCode.objects.values_list("fact__key", "side", "field", "code")
    denial_days = DenialDay.objects.values_list("day", "payer_id", "category", "claims")
    return set(rows) | set(segments) | set(codes) | set(denial_days)


def test_an_incremental_refresh_after_a_new_remittance_equals_a_rebuild(varied, book, settings):
    settings.ANALYTICS_REFRESH_OVERLAP_SECONDS = 0
    rollups_rebuild()
    total = ClaimFact.objects.count()
    book(
        [("A6", "4", "600.00", "0", "99213"), ("A7", "1", "700.00", "700.00", "99213"),
         ("A2", "22", "-200.00", "-150.00", "99214")],
        paid_on=date(2026, 2, 3), trace="T3", run=False,
    )  # fmt: skip
    run = rollups_refresh()
    assert not run.rebuilt and 0 < run.identities < total  # what the remittance touched
    incremental = facts_snapshot()
    rollups_rebuild()
    assert facts_snapshot() == incremental
    for base in periods():
        assert differences(base) == {}, base


def test_the_refresh_task_is_idempotent_and_records_failures(varied, monkeypatch):
    rollups_rebuild()
    before = facts_snapshot()
    analytics_refresh_task.apply()
    analytics_refresh_task.apply()
    assert facts_snapshot() == before

    def broken(scope):
        raise RuntimeError("disk full")

    monkeypatch.setattr("analytics.rollups.refresh", broken)
    with pytest.raises(RuntimeError):
        rollups_refresh()
    state = RollupState.objects.get()
    assert (state.failures, state.last_error) == (1, "RuntimeError: disk full")
    assert facts_snapshot() == before  # rolled back, nothing half-written


def test_the_rebuild_command_prints_counts_and_checks_a_month(june):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("analytics_rebuild", "--check", "2025-06", stdout=out)
    text = out.getvalue()
    assert "rebuilt 17 claim facts" in text and "A/R segments" in text
    assert "2025-06: every metric equals the raw computation" in text
