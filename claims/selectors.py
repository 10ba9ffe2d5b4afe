"""Reads for submitted claims: the list and detail querysets both doors use, and the
timeline."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from remittance.models import Claim

from .models import ClaimEvent, SubmittedClaim


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
