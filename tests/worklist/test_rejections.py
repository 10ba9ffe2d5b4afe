"""Claims rejected before adjudication (277CA) are worked in the front-end team's queue,
never counted as denials. Claims and statuses are recorded through the claims services,
and what they send runs through the receivers and tasks (Celery runs eagerly in tests)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.inputs import ClaimStatusIn, StatusCodeIn, SubmittedClaimIn, SubmittedLineIn
from claims.models import ClaimRejection
from claims.services import claim_statuses_record, submitted_claims_book
from denials.models import Denial
from tests.factories import PayerFactory, UserFactory, WorklistItemFactory
from worklist.choices import ItemKind, ItemStatus, Resolution
from worklist.integrity import integrity_checks, rejections_awaiting_intake
from worklist.models import ItemRejection, Team, WorklistItem
from worklist.selectors import team_overview
from worklist.services import worklist_rejection_intake, worklist_rescore
from worklist.tasks import worklist_sweep_task

pytestmark = pytest.mark.django_db

SERVED = timezone.localdate() - timedelta(days=40)


@pytest.fixture
def payer():
    return PayerFactory(identifier="PAYER01", key="id:PAYER01", payer_type="medicare")


@pytest.fixture
def front_end_biller():
    return UserFactory(username="fe-biller", roles=["biller"], teams=["front-end"])


def claim_in(pcn: str = "ACCT1", payer: str = "PAYER01", **kwargs) -> SubmittedClaimIn:
    values = {
        "patient_control_number": pcn,
        "payer_identifier": payer,
        "payer_name": "TEST PAYER",
        "charge": Decimal("250.00"),
        "submitted_on": SERVED + timedelta(days=1),
        "service_date_from": SERVED,
        "service_date_to": SERVED,
        "lines": (
            SubmittedLineIn(
                line_number=1,
                charge=Decimal("250.00"),
                procedure_code="99214",
                service_date_from=SERVED,
            ),
        ),
    }
    values.update(kwargs)
    return SubmittedClaimIn(**values)


def rejected(pcn: str = "ACCT1", *codes: StatusCodeIn, on: date | None = None) -> ClaimStatusIn:
    return ClaimStatusIn(
        patient_control_number=pcn,
        payer_identifier="PAYER01",
        status_date=on or SERVED + timedelta(days=3),
        codes=codes or (StatusCodeIn("A7", "562", "85"),),
    )


def accepted(pcn: str = "ACCT1", on: date | None = None) -> ClaimStatusIn:
    return ClaimStatusIn(
        patient_control_number=pcn,
        payer_identifier="PAYER01",
        status_date=on or SERVED + timedelta(days=10),
        codes=(StatusCodeIn("A1", "20"),),
    )


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    """Record statuses as a 277CA import would, running what commits send."""

    def _record(*statuses, run=True):
        with django_capture_on_commit_callbacks(execute=run):
            return claim_statuses_record(statuses=list(statuses), source="277CA")

    return _record


@pytest.fixture
def booked(payer, django_capture_on_commit_callbacks):
    def _book(*claims):
        with django_capture_on_commit_callbacks(execute=True):
            return submitted_claims_book(claims=list(claims), source="837")

    return _book


@pytest.fixture
def rejection_item(booked, record):
    booked(claim_in())
    record(rejected())
    return WorklistItem.objects.get(kind=ItemKind.REJECTION)


# ---- Intake ------------------------------------------------------------------------------


def test_a_rejection_opens_one_front_end_item_with_codes_in_words(rejection_item, payer):
    item = rejection_item
    assert item.team.slug == "front-end"
    assert item.claim_id is None and item.submitted_claim.patient_control_number == "ACCT1"
    assert item.payer == payer and item.patient_control_number == "ACCT1"
    assert item.open_amount == Decimal("250.00")
    assert item.suggested_action == "correct_resubmit" and not item.appealable
    created = item.activities.get(kind="created")
    assert "A7 " in created.note and "562 " in created.note and "(unknown" not in created.note
    assert list(item.rejections.values_list("category_code", flat=True)) == ["A7"]


def test_the_resubmission_deadline_is_the_timely_filing_rule_from_the_service_date(
    rejection_item,
):
    # Medicare: 12 months from the date of service (worklist/defaults.py).
    expected = SERVED.replace(year=SERVED.year + 1)
    assert rejection_item.refile_deadline == expected
    assert rejection_item.deadline == expected
    assert rejection_item.appeal_deadline is None
    assert rejection_item.deadline_state == "ok"
    assert rejection_item.priority > 0
    assert "Rejected before adjudication" in rejection_item.priority_explanation


def test_recording_the_same_status_again_opens_nothing_new(rejection_item, record):
    record(rejected())
    assert WorklistItem.objects.filter(kind=ItemKind.REJECTION).count() == 1
    assert ItemRejection.objects.count() == 1


def test_intake_is_idempotent_when_run_twice(rejection_item):
    ids = list(ClaimRejection.objects.values_list("pk", flat=True))
    assert worklist_rejection_intake(rejection_ids=ids) == 0
    assert WorklistItem.objects.count() == 1


def test_a_new_rejection_of_the_same_claim_joins_its_open_item(rejection_item, record):
    WorklistItem.objects.filter(pk=rejection_item.pk).update(status=ItemStatus.IN_PROGRESS)
    record(rejected("ACCT1", StatusCodeIn("A6", "21"), on=SERVED + timedelta(days=5)))
    assert WorklistItem.objects.filter(kind=ItemKind.REJECTION).count() == 1
    item = WorklistItem.objects.get(pk=rejection_item.pk)
    assert item.rejections.count() == 2
    assert item.status == ItemStatus.NEW
    assert "Rejected again" in item.activities.latest("id").note


def test_an_unmapped_payer_still_opens_an_item_that_says_so(booked, record, payer):
    booked(claim_in("ACCT9", payer="UNKNOWN9"))
    record(
        ClaimStatusIn(
            patient_control_number="ACCT9",
            payer_identifier="UNKNOWN9",
            status_date=SERVED + timedelta(days=3),
            codes=(StatusCodeIn("A3", "21"),),
        )
    )
    item = WorklistItem.objects.get(kind=ItemKind.REJECTION)
    assert item.payer is None and item.deadline is None
    assert "UNKNOWN9" in item.problem and "payer alias" in item.problem
    # Once the claims app maps the payer, the rescore takes it and the deadline follows.
    item.submitted_claim.payer = payer
    item.submitted_claim.save(update_fields=["payer"])
    worklist_rescore()
    item.refresh_from_db()
    assert item.payer == payer and item.deadline is not None and item.problem == ""


# ---- Resolution --------------------------------------------------------------------------


def test_a_later_acceptance_resolves_the_item(rejection_item, record):
    record(accepted())
    item = WorklistItem.objects.get(pk=rejection_item.pk)
    assert item.status == ItemStatus.RESOLVED
    assert item.resolution == Resolution.ACCEPTED_ON_RESUBMISSION
    assert "accepted" in item.activities.latest("id").note


def test_a_resubmission_resolves_the_item_after_the_resubmit_action(
    rejection_item, booked, front_end_biller
):
    from worklist.services import item_mark_resubmitted

    item_mark_resubmitted(
        item=rejection_item,
        actor=front_end_biller,
        on=timezone.localdate(),
        new_claim_reference="NEW-1",
    )
    booked(claim_in(submitted_on=timezone.localdate(), charge=Decimal("251.00")))
    item = WorklistItem.objects.get(pk=rejection_item.pk)
    assert item.new_claim_reference == "NEW-1"
    assert item.status == ItemStatus.RESOLVED and item.resolution == Resolution.RESUBMITTED


def test_a_denial_cannot_be_closed_with_a_rejection_resolution(manager):
    from worklist.services import InvalidTransition, item_resolve

    item = WorklistItemFactory()
    with pytest.raises(InvalidTransition):
        item_resolve(
            item=item,
            actor=manager,
            resolution=Resolution.ADJUDICATED,
            control_point="coding",
            cause="x",
        )


# ---- Counts ------------------------------------------------------------------------------


def test_rejections_are_never_denials_nor_in_denial_counts(rejection_item):
    WorklistItemFactory(team=Team.objects.get(slug="front-end"))
    assert Denial.objects.count() == 0
    front = next(t for t in team_overview() if t["team"].slug == "front-end")
    assert front["open"] == 1  # the denial item only
    assert front["rejections"] == 1
    assert front["rejection_dollars"] == Decimal("250.00")


# ---- Integrity and the sweep -------------------------------------------------------------


def test_check_integrity_flags_a_rejection_without_an_item(booked, record):
    booked(claim_in())
    record(rejected(), run=False)  # the broker lost the intake
    rejection = ClaimRejection.objects.get()
    ClaimRejection.objects.filter(pk=rejection.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    check = next(c for c in integrity_checks() if c.key == "rejections_without_items")
    assert check.count == 1 and check.examples == [f"rejection {rejection.pk}"]
    with pytest.raises(CommandError, match="Rejections without a worklist item"):
        call_command("check_integrity")
    assert rejections_awaiting_intake() == [rejection.pk]
    assert worklist_sweep_task.delay().get()["rejection_intake"] == 1
    assert WorklistItem.objects.filter(kind=ItemKind.REJECTION).count() == 1
    check = next(c for c in integrity_checks() if c.key == "rejections_without_items")
    assert check.count == 0


def test_the_sweep_closes_an_item_whose_resolution_was_lost(rejection_item, record):
    record(accepted(), run=False)
    ClaimRejection.objects.update(resolved_at=timezone.now() - timedelta(hours=1))
    check = next(c for c in integrity_checks() if c.key == "rejection_items_not_closed")
    assert check.count == 1
    assert worklist_sweep_task.delay().get()["rejections_resolved"] == 1
    assert WorklistItem.objects.get(pk=rejection_item.pk).status == ItemStatus.RESOLVED


# ---- Pages -------------------------------------------------------------------------------


def test_the_item_page_shows_the_submitted_claim_and_codes(
    client, rejection_item, front_end_biller
):
    client.force_login(front_end_biller)
    response = client.get(f"/worklist/items/{rejection_item.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Submitted claim" in body and "ACCT1" in body and "99214" in body
    assert "A7" in body and "562" in body
    assert "Rejection" in body
    assert "resubmit" in body  # the resubmit action
    assert 'name="paid-' not in body  # nothing was paid or appealed: no such actions


def test_the_item_page_is_a_404_for_an_outsider(client, rejection_item, outsider):
    client.force_login(outsider)
    assert client.get(f"/worklist/items/{rejection_item.pk}/").status_code == 404


def test_the_resubmit_action_records_the_new_claim_reference(
    client, rejection_item, front_end_biller
):
    client.force_login(front_end_biller)
    response = client.post(
        f"/worklist/items/{rejection_item.pk}/resubmit/",
        {"resubmit-on": timezone.localdate().isoformat(), "resubmit-new_claim_reference": "R2"},
    )
    assert response.status_code == 302
    item = WorklistItem.objects.get(pk=rejection_item.pk)
    assert item.status == ItemStatus.AWAITING_PAYER and item.new_claim_reference == "R2"


def test_the_team_queue_shows_a_rejection_badge_and_filters_by_kind(
    client, rejection_item, front_end_biller
):
    WorklistItemFactory(team=Team.objects.get(slug="front-end"), patient_control_number="DEN1")
    client.force_login(front_end_biller)
    body = client.get("/worklist/team/front-end/").content.decode()
    assert "ACCT1" in body and "DEN1" in body and "badge rejection" in body
    body = client.get("/worklist/team/front-end/?kind=rejection").content.decode()
    assert "ACCT1" in body and "DEN1" not in body
    body = client.get("/worklist/team/front-end/?kind=denial").content.decode()
    assert "ACCT1" not in body and "DEN1" in body


# ---- API ---------------------------------------------------------------------------------


def test_the_api_lists_it_as_a_rejection_and_the_kind_filter_works(
    rejection_item, front_end_biller
):
    from rest_framework.test import APIClient

    WorklistItemFactory(team=Team.objects.get(slug="front-end"))
    client = APIClient()
    client.force_authenticate(front_end_biller)
    rows = client.get("/api/v1/worklist/items/").json()["results"]
    assert {r["kind"] for r in rows} == {"denial", "rejection"}
    rows = client.get("/api/v1/worklist/items/?kind=rejection").json()["results"]
    assert [r["id"] for r in rows] == [rejection_item.pk]
    row = rows[0]
    assert row["submitted_claim"] == rejection_item.submitted_claim_id
    assert row["rejections"][0]["category_code"] == "A7"
    assert row["rejections"][0]["status_code"] == "562"
    assert "562" in row["rejections"][0]["codes_in_words"][0]
    detail = client.get(f"/api/v1/worklist/items/{rejection_item.pk}/").json()
    assert detail["claim"] is None and detail["kind"] == "rejection"


def test_the_api_gives_an_outsider_nothing(rejection_item, outsider):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get("/api/v1/worklist/items/?kind=rejection").json()["results"] == []
    assert client.get(f"/api/v1/worklist/items/{rejection_item.pk}/").status_code == 404


def test_the_overview_and_team_list_count_rejections_apart(client, rejection_item, manager):
    WorklistItemFactory(team=Team.objects.get(slug="front-end"))
    client.force_login(manager)
    response = client.get("/worklist/overview/")
    assert response.status_code == 200
    assert response.context["totals"]["open"] == 1
    assert response.context["totals"]["rejections"] == 1
    body = response.content.decode()
    assert 'data-testid="open-rejections">1 ' in body
    response = client.get("/worklist/teams/")
    front = next(s for team, s in response.context["rows"] if team.slug == "front-end")
    assert front["open"] == 1 and front["rejections"] == 1
