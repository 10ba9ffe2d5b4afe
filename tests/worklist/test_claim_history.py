"""The item page's claim history is the item's claim from submission to payment (its
identity): a replacement the payer adjudicated under a new patient account is in it;
another visit, or another payer's claim, under the same patient account is not; and a
user sees only the claims behind their teams' items."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from claims.inputs import SubmittedClaimIn
from claims.services import submitted_claims_book
from remittance.models import Claim
from worklist.models import Team, WorklistItem

from .test_services import LAKESHORE, SERVED, claim, denied

pytestmark = pytest.mark.django_db

LATER = date(2025, 1, 20)


def submission(pcn: str, *, served=SERVED, charge="1000.00", **kwargs) -> SubmittedClaimIn:
    values = {"submitted_on": served, "service_date_from": served, "service_date_to": served}
    return SubmittedClaimIn(
        patient_control_number=pcn,
        payer_identifier="NWH99",
        charge=D(charge),
        **{**values, **kwargs},
    )


@pytest.fixture
def history(book):
    """H1's first visit denied (CO-18, an item on AR follow-up), its second visit paid,
    another payer's claim for the account denied, then the first visit's replacement
    under account H1-R denied (CO-96, its own item on AR follow-up) and paid; and a copy
    of the first denial whose item is on the coding team."""
    submitted_claims_book(
        claims=[submission("H1"), submission("H1", served=LATER, charge="400.00")],
        source="837",
    )
    book(denied("H1", "18"), trace="T1")
    book(
        replace(
            claim("H1", status="1", charge="400.00", paid="400.00", served=LATER),
            payer_claim_control_number="ICNH1-2",
        ),
        trace="T2",
    )
    book(denied("H1", "18"), trace="T3", payer=LAKESHORE)
    submitted_claims_book(
        claims=[
            submission(
                "H1-R",
                frequency_code="7",
                replaces_payer_claim_control_number="ICNH1",
                submitted_on=date(2025, 2, 1),
            )
        ],
        source="837",
    )
    book(denied("H1-R", "96"), trace="T4", produced=date(2025, 2, 20))
    book(claim("H1-R", status="1", paid="1000.00"), trace="T5", produced=date(2025, 3, 3))
    first = Claim.objects.get(patient_control_number="H1", payer__identifier="NWH99", paid=0)
    item = WorklistItem.objects.get(claim=first)
    copy = Claim.objects.get(pk=first.pk)
    copy.pk = None
    copy.save()
    WorklistItem.objects.create(
        claim=copy,
        payer_id=item.payer_id,
        patient_control_number="H1",
        team=Team.objects.get(slug="coding"),
        category="coding",
        routing_rule="test",
        open_amount=1,
    )
    claims = Claim.objects.order_by("id")
    return {
        "item": item,
        "first": first,
        "second_visit": claims.get(patient_control_number="H1", paid=D("400.00")),
        "other_payer": claims.get(patient_control_number="H1", payer__identifier="99901"),
        "replacement_denied": claims.get(patient_control_number="H1-R", paid=0),
        "replacement_paid": claims.get(patient_control_number="H1-R", paid__gt=0),
        "copy": copy,
    }


def shown(client, user, item) -> list[int]:
    client.force_login(user)
    response = client.get(f"/worklist/items/{item.pk}/")
    assert response.status_code == 200
    return [c.pk for c in response.context["history"]]


def test_history_is_the_claims_identity_not_its_patient_account(client, manager, history):
    assert history["replacement_paid"].submitted_claim.original_id == (
        history["first"].submitted_claim_id
    )
    assert shown(client, manager, history["item"]) == [
        history[name].pk for name in ("first", "replacement_denied", "replacement_paid", "copy")
    ]


def test_history_shows_a_biller_only_the_claims_of_their_teams_items(client, biller, history):
    team = Team.objects.get(is_default=True)
    assert history["item"].team == team
    assert WorklistItem.objects.get(claim=history["replacement_denied"]).team == team
    assert shown(client, biller, history["item"]) == [
        history["first"].pk,
        history["replacement_denied"].pk,
    ]
