"""Reads for submitted claims: the list and detail querysets both doors use, and the
timeline."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from remittance.models import Claim
from remittance.pipeline import PROCESSING_STALE, RECEIVED_STALE

from .choices import FileStatus
from .models import ClaimEvent, ClaimFile, SubmittedClaim


def stuck_claim_files(*, now=None) -> list[int]:
    """Claim files nobody is reading: received and not taken up in time, or left in
    processing with no worker holding the row (as for remittances,
    ``remittance.pipeline.stuck_remittances``)."""
    now = now or timezone.now()
    stale = Q(status=FileStatus.RECEIVED, since__lt=now - RECEIVED_STALE) | Q(
        status=FileStatus.PROCESSING, started_at__lt=now - PROCESSING_STALE
    )
    with transaction.atomic():
        return list(
            ClaimFile.objects.annotate(since=Coalesce("queued_at", "received_at"))
            .filter(stale)
            .select_for_update(skip_locked=True)
            .order_by("id")
            .values_list("id", flat=True)[:1000]
        )


def submitted_claims_for(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """The user's submitted claims with what a list shows, in a fixed number of queries:
    payer, lines, rejection ids and the adjudications (booked 835 claims) the user may
    see."""
    queryset = SubmittedClaim.objects.for_user(user) if queryset is None else queryset
    return queryset.select_related("payer").prefetch_related(
        "lines",
        Prefetch("rejections", to_attr="rejection_list"),
        Prefetch(
            "adjudications",
            queryset=Claim.objects.for_user(user)
            .only("id", "remittance_id", "status_code", "paid", "submitted_claim_id")
            .order_by("id"),
            to_attr="visible_adjudications",
        ),
    )


def claim_timeline(*, claim: SubmittedClaim) -> QuerySet:
    """Everything that happened to a submitted claim, oldest first."""
    return (
        ClaimEvent.objects.filter(submitted_claim=claim)
        .select_related("remittance_claim", "rejection", "actor")
        .order_by("occurred_on", "id")
    )
