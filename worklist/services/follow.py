"""Let later remittances update open items: payments resolve, reversals reopen."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from remittance.models import Claim, ServiceLine

from ..choices import ActivityKind, ItemStatus, Resolution
from ..models import WorklistItem
from .items import _rescore_on_commit, item_transition


@transaction.atomic
def worklist_follow_remittance(*, remittance_id: int) -> int:
    """Let a later remittance update open items for the same claims: a payment resolves
    them as recovered (in full or in part), a reversal reopens what it takes back.
    Returns the number of items changed. Idempotent: an item is resolved once, and a
    reopen only touches items resolved by payment."""
    claims = list(
        Claim.objects.filter(remittance_id=remittance_id).values(
            "id", "payer_id", "patient_control_number", "status_code", "paid", "reversal_of_id"
        )
    )
    if not claims:
        return 0
    changed = 0
    items = WorklistItem.objects.filter(
        payer_id__in={c["payer_id"] for c in claims},
        patient_control_number__in={c["patient_control_number"] for c in claims},
    ).exclude(claim__remittance_id=remittance_id)
    by_account: dict[tuple, list[WorklistItem]] = {}
    for item in items:
        by_account.setdefault((item.payer_id, item.patient_control_number), []).append(item)
    line_paid = _line_payments([c["id"] for c in claims])
    touched = set()
    for claim in claims:
        for item in by_account.get((claim["payer_id"], claim["patient_control_number"]), []):
            if item.claim_id >= claim["id"]:
                continue
            if claim["status_code"] == "22":
                done = _reopen_after_reversal(item, remittance_id)
            elif item.status != ItemStatus.RESOLVED:
                paid = (
                    line_paid.get((claim["id"], item.procedure_code), Decimal(0))
                    if item.procedure_code
                    else claim["paid"]
                )
                done = _resolve_by_payment(item, paid, remittance_id)
            else:
                done = 0
            if done:
                touched.add((item.payer_id, item.category))
            changed += done
    _rescore_on_commit(touched)
    return changed


def _line_payments(claim_ids: list[int]) -> dict[tuple, Decimal]:
    paid: dict[tuple, Decimal] = {}
    rows = ServiceLine.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "procedure_code", "paid"
    )
    for claim_id, code, amount in rows:
        paid[(claim_id, code)] = paid.get((claim_id, code), Decimal(0)) + amount
    return paid


def _resolve_by_payment(item: WorklistItem, paid: Decimal, remittance_id: int) -> int:
    if paid <= 0:
        return 0
    recovered = min(paid, item.open_amount)
    full = recovered >= item.open_amount
    item_transition(
        item=item,
        to_status=ItemStatus.RESOLVED,
        actor=None,
        resolution=Resolution.RECOVERED_FULL if full else Resolution.RECOVERED_PARTIAL,
        recovered_amount=recovered,
        kind=ActivityKind.PAYER,
        rescore=False,
        note=f"Paid ${paid:,.2f} in remittance {remittance_id}.",
    )
    return 1


def _reopen_after_reversal(item: WorklistItem, remittance_id: int) -> int:
    if item.status != ItemStatus.RESOLVED or item.resolution not in (
        Resolution.RECOVERED_FULL,
        Resolution.RECOVERED_PARTIAL,
    ):
        return 0
    item_transition(
        item=item,
        to_status=ItemStatus.NEW,
        actor=None,
        kind=ActivityKind.PAYER,
        rescore=False,
        note=f"Payment reversed in remittance {remittance_id}; reopened.",
    )
    return 1
