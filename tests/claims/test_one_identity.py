"""One identity per claim, whatever arrives first, and the worklist follows it: a payment
on another claim of the same patient account never touches this claim's item."""

from datetime import date
from decimal import Decimal

import pytest

from claims.models import SubmittedClaim
from claims.services import submitted_claims_book
from remittance.models import Claim
from worklist.choices import ItemStatus
from worklist.models import WorklistItem

from .conftest import Clp, book_835, claim_in, render_835

pytestmark = pytest.mark.django_db


def test_a_submission_that_arrives_after_its_835_takes_over_the_835s_identity(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        book_835(render_835([Clp("ACCT9", paid="80.00")]))
    made = SubmittedClaim.objects.get()
    assert made.source == "835" and made.status == "paid"
    result = submitted_claims_book(claims=[claim_in("ACCT9")], source="837")
    assert result.adopted == 1 and result.created == [made.pk]
    claim = SubmittedClaim.objects.get()
    assert (claim.pk, claim.source, claim.status) == (made.pk, "837", "paid")
    assert claim.submitted_on == date(2026, 1, 11) and claim.lines.count() == 1
    assert Claim.objects.get().submitted_claim_id == claim.pk
    assert set(claim.events.values_list("kind", flat=True)) >= {"submitted", "adjudicated_paid"}


def test_a_payment_on_another_claim_of_the_same_account_leaves_this_item_open(
    django_capture_on_commit_callbacks,
):
    """Two visits billed under one patient account: the 835 that pays the second visit
    used to resolve the first visit's denial item (they shared payer and account)."""
    first = claim_in("ACCT7", service_date_from=date(2026, 1, 10), charge=Decimal("100.00"))
    second = claim_in(
        "ACCT7",
        service_date_from=date(2026, 1, 20),
        service_date_to=date(2026, 1, 20),
        charge=Decimal("250.00"),
        submitted_on=date(2026, 1, 21),
    )
    submitted_claims_book(claims=[first, second], source="837")
    with django_capture_on_commit_callbacks(execute=True):
        book_835(render_835([Clp("ACCT7", status="4", charge="100.00", paid="0")], trace="T1"))
    item = WorklistItem.objects.get()
    assert item.status == ItemStatus.NEW
    with django_capture_on_commit_callbacks(execute=True):
        book_835(
            render_835(
                [Clp("ACCT7", charge="250.00", paid="250.00", served="20260120")], trace="T2"
            ),
            name="second.835",
        )
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW  # the other visit's payment is not this claim's
    paid = Claim.objects.get(charge=Decimal("250.00"))
    assert paid.submitted_claim.service_date_from == date(2026, 1, 20)
    assert item.claim.submitted_claim.service_date_from == date(2026, 1, 10)
    with django_capture_on_commit_callbacks(execute=True):
        book_835(render_835([Clp("ACCT7", paid="100.00")], trace="T3"), name="third.835")
    item.refresh_from_db()
    assert item.status == ItemStatus.RESOLVED  # its own claim's payment resolves it


def test_submissions_that_named_a_payer_before_its_first_835_are_mapped_by_it():
    submitted_claims_book(claims=[claim_in("ACCT5")], source="837")
    waiting = SubmittedClaim.objects.get()
    assert waiting.payer_id is None  # no 835 has named PAYER01 yet
    book_835(render_835([Clp("OTHER1")]))  # another claim of the same payer
    waiting.refresh_from_db()
    assert waiting.payer is not None and waiting.payer == Claim.objects.get().payer
