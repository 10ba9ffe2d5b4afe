"""Submitted claims: idempotent booking, replacements and voids, secondary claims,
277CA-like statuses, and 835s linked to their submitted claims."""

from datetime import date
from decimal import Decimal

import pytest

from claims.catalog import describe, load
from claims.inputs import ClaimStatusIn, StatusCodeIn
from claims.models import ClaimEvent, ClaimRejection, SubmittedClaim
from claims.services import (
    claim_statuses_record,
    payer_alias_save,
    submitted_claims_book,
)
from claims.signals import claim_rejected, claim_rejection_resolved
from denials.models import Denial
from remittance.models import Claim, Payer

from .conftest import Clp, book_835, claim_in, render_835

pytestmark = pytest.mark.django_db


def test_catalog_describes_categories_and_status_codes():
    categories, statuses = load()
    assert {"A1", "A2", "A3", "A4", "A6", "A7", "A8", "F1", "P1", "R4", "E0"} <= set(categories)
    assert len(statuses) >= 100
    assert "National Provider Identifier" in describe("A7", "562")
    assert "unknown status code" in describe("A7", "99999")


def test_same_claim_twice_is_stored_once():
    first = submitted_claims_book(claims=[claim_in(), claim_in()], source="feed")
    again = submitted_claims_book(claims=[claim_in()], source="feed")
    assert len(first.created) == 1 and first.duplicates == first.created
    assert again.created == [] and again.duplicates == first.created
    assert SubmittedClaim.objects.count() == 1
    claim = SubmittedClaim.objects.get()
    assert claim.lines.count() == 1
    assert list(claim.events.values_list("kind", flat=True)) == ["submitted"]


def test_external_id_decides_sameness():
    submitted_claims_book(claims=[claim_in(external_id="X1")], source="feed")
    result = submitted_claims_book(
        claims=[claim_in(external_id="X1", charge=Decimal("120.00"))], source="feed"
    )
    assert result.created == [] and SubmittedClaim.objects.count() == 1


def test_replacement_and_void_attach_to_the_original():
    original = SubmittedClaim.objects.get(
        pk=submitted_claims_book(claims=[claim_in()], source="feed").created[0]
    )
    original.payer_claim_control_number = "ICN1"
    original.save()
    replacement = submitted_claims_book(
        claims=[
            claim_in(
                frequency_code="7",
                replaces_payer_claim_control_number="ICN1",
                charge=Decimal("150.00"),
                submitted_on=date(2026, 2, 1),
            )
        ],
        source="feed",
    )
    assert replacement.replaced == 1
    new = SubmittedClaim.objects.get(pk=replacement.created[0])
    original.refresh_from_db()
    assert new.original == original and original.status == "replaced"
    assert original.events.filter(kind="replaced").exists()

    void = submitted_claims_book(
        claims=[claim_in(frequency_code="8", charge=Decimal("150.00"))], source="feed"
    )
    assert void.voided == 1
    new.refresh_from_db()
    assert new.status == "voided"
    assert SubmittedClaim.objects.get(pk=void.created[0]).original == new


def test_secondary_claim_links_to_the_primary_payers_claim():
    primary = submitted_claims_book(claims=[claim_in()], source="feed").created[0]
    secondary = submitted_claims_book(
        claims=[claim_in(payer_identifier="SECOND", other_payer_identifier="PAYER01")],
        source="feed",
    )
    assert secondary.secondary_linked == 1
    assert SubmittedClaim.objects.get(pk=secondary.created[0]).primary_claim_id == primary


def rejection(pcn="ACCT1", day=date(2026, 1, 12), **kwargs):
    return ClaimStatusIn(
        patient_control_number=pcn,
        payer_identifier="PAYER01",
        status_date=day,
        codes=(StatusCodeIn("A7", "562", "85"),),
        **kwargs,
    )


def test_rejection_is_recorded_and_never_a_denial_then_acceptance_resolves_it(
    django_capture_on_commit_callbacks,
):
    submitted_claims_book(claims=[claim_in()], source="feed")
    denials = Denial.objects.count()
    sent = {"rejected": [], "resolved": []}

    def on_rejected(sender, rejection_ids, **kwargs):
        sent["rejected"] += rejection_ids

    def on_resolved(sender, rejection_ids, **kwargs):
        sent["resolved"] += rejection_ids

    claim_rejected.connect(on_rejected)
    claim_rejection_resolved.connect(on_resolved)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = claim_statuses_record(statuses=[rejection()], source="277CA")
        with django_capture_on_commit_callbacks(execute=True):
            claim_statuses_record(statuses=[rejection()], source="277CA")  # replayed
        claim = SubmittedClaim.objects.get()
        assert claim.status == "rejected"
        found = ClaimRejection.objects.get()
        assert (found.category_code, found.status_code, found.entity_code) == ("A7", "562", "85")
        assert found.status_codes == ["A7:562:85"]
        assert claim.events.filter(kind="rejected").count() == 1
        assert Denial.objects.count() == denials
        assert sent["rejected"] == result.rejections == [found.pk]

        accepted = ClaimStatusIn(
            patient_control_number="ACCT1",
            payer_identifier="PAYER01",
            status_date=date(2026, 1, 15),
            codes=(StatusCodeIn("A2", "20"),),
            payer_claim_control_number="ICN9",
        )
        with django_capture_on_commit_callbacks(execute=True):
            result = claim_statuses_record(statuses=[accepted], source="277CA")
    finally:
        claim_rejected.disconnect(on_rejected)
        claim_rejection_resolved.disconnect(on_resolved)
    claim.refresh_from_db()
    found.refresh_from_db()
    assert result.resolved == 1 and sent["resolved"] == [found.pk]
    assert claim.status == "accepted" and claim.payer_claim_control_number == "ICN9"
    assert found.resolved_by_kind == "accepted" and found.resolved_at is not None
    assert Denial.objects.count() == denials


def test_unmatched_statuses_are_reported():
    result = claim_statuses_record(statuses=[rejection(pcn="NOBODY")], source="277CA")
    assert [u.patient_control_number for u in result.unmatched] == ["NOBODY"]
    assert ClaimRejection.objects.count() == 0


def test_status_matches_by_clearinghouse_trace_first():
    submitted_claims_book(
        claims=[claim_in(clearinghouse_trace_number="TR1"), claim_in("ACCT2")], source="feed"
    )
    claim_statuses_record(statuses=[rejection(pcn="ACCT2", trace_numbers=("TR1",))], source="999")
    assert SubmittedClaim.objects.get(patient_control_number="ACCT1").status == "rejected"


def test_835_for_a_submitted_claim_links_and_resolves_its_rejection():
    submitted_claims_book(claims=[claim_in(), claim_in("ACCT2")], source="feed")
    claim_statuses_record(statuses=[rejection("ACCT2")], source="277CA")
    book_835(
        render_835(
            [
                Clp("ACCT1", icn="ICN1"),
                Clp("ACCT2", status="4", paid="0.00", icn="ICN2"),
            ]
        )
    )
    one = SubmittedClaim.objects.get(patient_control_number="ACCT1")
    two = SubmittedClaim.objects.get(patient_control_number="ACCT2")
    assert Claim.objects.get(patient_control_number="ACCT1").submitted_claim == one
    assert (one.status, one.payer_claim_control_number) == ("paid", "ICN1")
    assert one.payer == Payer.objects.get(identifier="PAYER01")
    assert two.status == "denied"
    assert list(two.events.values_list("kind", flat=True)) == [
        "submitted",
        "rejected",
        "adjudicated_denied",
    ]
    assert two.rejections.get().resolved_by_kind == "adjudicated"
    assert SubmittedClaim.objects.count() == 2


def test_835_with_no_submission_gets_an_identity_of_its_own_and_a_reversal_follows_it():
    book_835(render_835([Clp("LONE", icn="ICN7")]), name="a.835")
    claim = SubmittedClaim.objects.get()
    assert claim.source == "835" and claim.status == "paid"
    book_835(
        render_835(
            [
                Clp("LONE", status="22", charge="-100.00", paid="-80.00", icn="ICN7"),
                Clp("LONE", status="1", paid="90.00", icn="ICN8"),
            ],
            trace="T2",
        ),
        name="b.835",
    )
    assert SubmittedClaim.objects.count() == 1
    assert Claim.objects.filter(submitted_claim=claim).count() == 3
    kinds = list(claim.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["adjudicated_paid", "reversed", "adjudicated_paid", "corrected"]
    claim.refresh_from_db()
    assert claim.status == "paid"


def test_partly_paid_when_a_charged_line_pays_nothing():
    submitted_claims_book(claims=[claim_in()], source="feed")
    text = render_835([Clp("ACCT1", charge="100.00", paid="60.00")])
    text = text.replace(
        "SVC*HC:99213*100.00*60.00**1~\nDTM*472*20260110~\nCAS*CO*45*40.00~",
        "SVC*HC:99213*60.00*60.00**1~\nDTM*472*20260110~\n"
        "SVC*HC:99214*40.00*0**1~\nDTM*472*20260110~\nCAS*CO*16*40.00~",
    )
    book_835(text)
    assert SubmittedClaim.objects.get().status == "partly_paid"
    assert ClaimEvent.objects.filter(kind="adjudicated_partial").count() == 1


def test_payer_alias_links_a_mismatched_payer_id(manager):
    submitted_claims_book(claims=[claim_in(payer_identifier="SUBMITTED-ID")], source="feed")
    book_835(render_835([Clp("OTHER")], payer_id="ERA-ID"))  # creates the payer
    payer = Payer.objects.get(identifier="ERA-ID")
    payer_alias_save(identifier="submitted-id", payer=payer, actor=manager, channel="page")
    assert SubmittedClaim.objects.get(patient_control_number="ACCT1").payer == payer
    book_835(render_835([Clp("ACCT1", icn="ICN3")], payer_id="ERA-ID", trace="T9"), "b.835")
    linked = Claim.objects.get(patient_control_number="ACCT1").submitted_claim
    assert linked.payer_identifier == "SUBMITTED-ID" and linked.status == "paid"


def test_unmapped_submission_links_once_an_alias_exists_before_the_835(manager):
    payer = Payer.objects.create(key="id:ERA-ID", name="ERA PAYER", identifier="ERA-ID")
    payer_alias_save(identifier="SUB-ID", payer=payer, actor=manager, channel="api")
    submitted_claims_book(claims=[claim_in(payer_identifier="SUB-ID")], source="feed")
    assert SubmittedClaim.objects.get().payer == payer
    book_835(render_835([Clp("ACCT1")], payer_id="ERA-ID"))
    assert Claim.objects.get().submitted_claim == SubmittedClaim.objects.get()
