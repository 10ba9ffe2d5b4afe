"""A booked claim's history follows its identity (the claim from submission to payment):
its earlier payment (``previous``), the claim a reversal takes back (``reversal_of``) and
the one that corrects it (``corrected_by``). Another payer's claim, or another visit billed
under the same patient account, is another claim; a replacement the payer paid under a new
patient account is the same claim."""

from datetime import date

import pytest

from claims.models import SubmittedClaim
from claims.services import submitted_claims_book
from remittance.models import Claim

from .conftest import Clp, book_835, claim_in, render_835

pytestmark = pytest.mark.django_db


def claims_of(*pcns: str) -> list[Claim]:
    return list(Claim.objects.filter(patient_control_number__in=pcns).order_by("id"))


def two_visits(pcn: str) -> None:
    """Two visits billed to PAYER01 under one patient account, for the same charge."""
    later = date(2026, 1, 20)
    submitted_claims_book(
        claims=[
            claim_in(pcn),
            claim_in(pcn, service_date_from=later, service_date_to=later, submitted_on=later),
        ],
        source="837",
    )


def test_another_payers_claim_with_the_same_patient_account_is_not_its_previous():
    book_835(render_835([Clp("ACCT1", icn="ICN1")]), name="a.835")
    book_835(
        render_835([Clp("ACCT1", icn="B1")], payer_id="PAYER02", payer="SECOND", trace="T2"),
        name="b.835",
    )
    book_835(render_835([Clp("ACCT1", paid="20.00", icn="ICN1")], trace="T3"), name="c.835")
    first, other, again = claims_of("ACCT1")
    assert other.payer_id != first.payer_id and again.payer_id == first.payer_id
    assert other.previous_id is None
    assert again.previous_id == first.pk  # its own payer's, not the account's latest
    assert again.submitted_claim_id == first.submitted_claim_id != other.submitted_claim_id


def test_another_visit_under_the_same_patient_account_is_not_its_previous():
    two_visits("ACCT2")
    book_835(render_835([Clp("ACCT2", icn="ICN1")]), name="a.835")
    book_835(render_835([Clp("ACCT2", icn="ICN2", served="20260120")], trace="T2"), name="b.835")
    first, second = claims_of("ACCT2")
    assert first.submitted_claim_id != second.submitted_claim_id
    assert second.previous_id is None


def test_a_replacement_paid_under_a_new_patient_account_follows_the_original_payment():
    submitted_claims_book(claims=[claim_in("ACCT3")], source="837")
    book_835(render_835([Clp("ACCT3", status="4", paid="0.00", icn="ICN1")]), name="a.835")
    submitted_claims_book(
        claims=[
            claim_in(
                "ACCT3-B",
                frequency_code="7",
                replaces_payer_claim_control_number="ICN1",
                submitted_on=date(2026, 2, 1),
            )
        ],
        source="837",
    )
    book_835(
        render_835([Clp("ACCT3-B", paid="100.00", icn="ICN2", frequency="7")], trace="T2"),
        name="b.835",
    )
    denied, paid = claims_of("ACCT3", "ACCT3-B")
    assert paid.submitted_claim.original_id == denied.submitted_claim_id
    assert paid.previous_id == denied.pk


def test_a_reversal_takes_back_the_claim_its_number_names_and_the_next_payment_corrects_it():
    two_visits("ACCT4")
    book_835(
        render_835([Clp("ACCT4", icn="ICN1"), Clp("ACCT4", icn="ICN2", served="20260120")]),
        name="a.835",
    )
    first, second = claims_of("ACCT4")
    reversal = Clp("ACCT4", status="22", charge="-100.00", paid="-80.00", icn="ICN1")
    book_835(render_835([reversal], trace="T2"), name="b.835")
    reversal = claims_of("ACCT4")[-1]
    # Both visits charged 100.00: CLP07 names the one taken back, not the latest.
    assert reversal.reversal_of_id == first.pk
    assert reversal.submitted_claim_id == first.submitted_claim_id
    assert reversal.previous_id == first.pk
    assert reversal.corrected_by_id is None
    book_835(render_835([Clp("ACCT4", paid="90.00", icn="ICN3")], trace="T3"), name="c.835")
    correction = claims_of("ACCT4")[-1]
    reversal.refresh_from_db()
    second.refresh_from_db()
    assert correction.submitted_claim_id == first.submitted_claim_id
    assert reversal.corrected_by_id == correction.pk
    assert correction.previous_id == reversal.pk
    assert second.previous_id is None and second.corrected_by_id is None
    events = first.submitted_claim.events.order_by("id").values_list("kind", flat=True)
    assert list(events)[-3:] == ["reversed", "adjudicated_paid", "corrected"]


def test_a_reversal_and_its_correction_in_one_file_link():
    book_835(render_835([Clp("ACCT5", icn="ICN1")]), name="a.835")
    book_835(
        render_835(
            [
                Clp("ACCT5", status="22", charge="-100.00", paid="-80.00", icn="ICN1"),
                Clp("ACCT5", paid="90.00", icn="ICN2"),
            ],
            trace="T2",
        ),
        name="b.835",
    )
    original, reversal, correction = claims_of("ACCT5")
    assert reversal.reversal_of_id == original.pk and reversal.previous_id == original.pk
    assert reversal.corrected_by_id == correction.pk and correction.previous_id == reversal.pk


def test_claims_booked_before_identities_link_by_payer_and_patient_account():
    book_835(render_835([Clp("ACCT7", icn="ICN1")]), name="a.835")
    book_835(
        render_835([Clp("ACCT7", icn="B1")], payer_id="PAYER02", payer="SECOND", trace="T2"),
        name="b.835",
    )
    reversal = Clp("ACCT7", status="22", charge="-100.00", paid="-80.00", icn="ICN1")
    book_835(render_835([reversal], trace="T3"), name="c.835")
    SubmittedClaim.objects.all().delete()  # as booked before claims had identities
    assert not Claim.objects.filter(submitted_claim__isnull=False).exists()
    book_835(render_835([Clp("ACCT7", paid="90.00", icn="ICN2")], trace="T4"), name="d.835")
    first, other, reversal, correction = claims_of("ACCT7")
    assert reversal.reversal_of_id == first.pk
    assert correction.submitted_claim_id is not None
    assert correction.previous_id == reversal.pk  # same payer and account
    assert reversal.corrected_by_id == correction.pk
    assert other.previous_id is None and other.corrected_by_id is None
