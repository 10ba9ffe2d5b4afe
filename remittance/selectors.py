"""Reads for remittance pages and reports."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Adjustment, Claim, Remark, Remittance, ServiceLine


def remittance_claims(*, remittance: Remittance, user) -> QuerySet[Claim]:
    """The claims of a remittance that the user may see, with lines, adjustments and
    remarks prefetched (4 queries for any page of claims)."""
    lines = ServiceLine.objects.order_by("position")
    return (
        Claim.objects.for_user(user)
        .filter(remittance=remittance)
        .select_related("payer", "reversal_of", "corrected_by", "previous")
        .prefetch_related(
            Prefetch("service_lines", queryset=lines),
            Prefetch("adjustments", queryset=Adjustment.objects.order_by("position")),
            Prefetch("remarks", queryset=Remark.objects.order_by("id")),
        )
        .order_by("era_id", "position")
    )


def remittance_report(remittance: Remittance, *, file: str, status: str | None = None) -> dict:
    """The one-line JSON report of ``ingest_835`` for a stored remittance."""
    return {
        "file": file,
        "status": status or remittance.status,
        "remittance_id": remittance.pk,
        "transactions": remittance.transaction_count,
        "duplicate_transactions": remittance.duplicate_transaction_count,
        "claims": remittance.claim_count,
        "posting_exceptions": remittance.posting_exception_count,
        "denied_claims": remittance.denied_claim_count,
        "service_lines": remittance.service_line_count,
        "denials": remittance.denial_count,
        "payment_total": str(remittance.payment_total),
        "claim_paid_total": str(remittance.claim_paid_total),
        "warnings": list(remittance.warnings),
        "error": remittance.error or None,
    }
