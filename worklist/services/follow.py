"""Let later remittances update open items: payments resolve, reversals reopen."""

from __future__ import annotations

import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from remittance.models import Claim, ServiceLine

from ..choices import ActivityKind, ItemKind, ItemStatus, Resolution
from ..models import Activity, WorklistItem
from .items import InvalidTransition, _rescore_on_commit, item_transition

logger = logging.getLogger(__name__)
PAID = (Resolution.RECOVERED_FULL, Resolution.RECOVERED_PARTIAL)
# The claim's identity (one per claim from submission to payment): a corrected claim
# (a replacement) is the same claim as its original.
IDENTITY = Coalesce("submitted_claim__original_id", "submitted_claim_id")


@transaction.atomic
def worklist_follow_remittance(*, remittance_id: int) -> int:
    """Let a later remittance update the items of the same claims: its payments resolve
    open items as recovered (in full or in part) and add to items already resolved by an
    earlier payment (split payments); a reversal reopens what it takes back. Returns the
    number of items changed. Rejection items are not followed here: an 835 for their
    claim resolves the rejection, and that closes them (``worklist_rejections_resolved``).

    Idempotent: every change is recorded as a payer activity naming the remittance, and
    an item that already has one for this remittance is left alone, so running the step
    again changes nothing. Each item is updated in its own savepoint: an item that cannot
    take the change (a person moved it meanwhile) is skipped with a log line, never
    stopping the others."""
    claims = list(
        Claim.objects.filter(remittance_id=remittance_id)
        .annotate(identity=IDENTITY)
        .values("id", "payer_id", "patient_control_number", "status_code", "paid", "identity")
    )
    if not claims:
        return 0
    identities = {c["identity"] for c in claims} - {None}
    items = (
        WorklistItem.objects.filter(kind=ItemKind.DENIAL)
        .filter(
            Q(claim__submitted_claim_id__in=identities)
            | Q(claim__submitted_claim__original_id__in=identities)
            | Q(  # items whose claim was booked before claims had identities
                claim__submitted_claim__isnull=True,
                payer_id__in={c["payer_id"] for c in claims},
                patient_control_number__in={c["patient_control_number"] for c in claims},
            )
        )
        .annotate(
            claim_identity=Coalesce(
                "claim__submitted_claim__original_id", "claim__submitted_claim_id"
            )
        )
        .exclude(claim__remittance_id=remittance_id)
        .exclude(
            pk__in=Activity.objects.filter(
                kind=ActivityKind.PAYER, remittance_id=remittance_id
            ).values("item_id")
        )
    )
    by_claim: dict[tuple, list[WorklistItem]] = defaultdict(list)
    for item in items:
        key = (
            ("claim", item.claim_identity)
            if item.claim_identity
            else ("account", item.payer_id, item.patient_control_number)
        )
        by_claim[key].append(item)
    line_paid = _line_payments([c["id"] for c in claims])
    paid: dict[int, Decimal] = defaultdict(Decimal)
    reversed_ids: set[int] = set()
    touched: dict[int, WorklistItem] = {}
    for claim in claims:
        account = ("account", claim["payer_id"], claim["patient_control_number"])
        for item in by_claim.get(("claim", claim["identity"]), []) + by_claim.get(account, []):
            if item.claim_id >= claim["id"]:
                continue
            touched[item.pk] = item
            if claim["status_code"] == "22":
                reversed_ids.add(item.pk)
            elif item.procedure_code:
                paid[item.pk] += line_paid.get((claim["id"], item.procedure_code), Decimal(0))
            else:
                paid[item.pk] += claim["paid"]
    changed, rescore = 0, set()
    for item in touched.values():
        try:
            with transaction.atomic():
                done = _apply(item, item.pk in reversed_ids, paid[item.pk], remittance_id)
        except InvalidTransition as exc:
            logger.warning("remittance %s: item %s left as it is: %s", remittance_id, item.pk, exc)
            continue
        if done:
            changed += 1
            rescore.add((item.payer_id, item.category))
    _rescore_on_commit(rescore)
    return changed


def _apply(item: WorklistItem, reversed_: bool, paid: Decimal, remittance_id: int) -> bool:
    """One item's update from one remittance: reopen on a reversal, then apply the
    payments. Returns whether the item changed."""
    changed = False
    if reversed_:
        changed = _reopen_after_reversal(item, remittance_id)
        item = WorklistItem.objects.get(pk=item.pk)
    if paid > 0:
        if item.status != ItemStatus.RESOLVED:
            _resolve_by_payment(item, paid, remittance_id)
            changed = True
        elif item.resolution in PAID:
            changed = _add_payment(item, paid, remittance_id) or changed
    return changed


def _line_payments(claim_ids: list[int]) -> dict[tuple, Decimal]:
    paid: dict[tuple, Decimal] = {}
    rows = ServiceLine.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "procedure_code", "paid"
    )
    for claim_id, code, amount in rows:
        paid[(claim_id, code)] = paid.get((claim_id, code), Decimal(0)) + amount
    return paid


def _resolve_by_payment(item: WorklistItem, paid: Decimal, remittance_id: int) -> None:
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
        remittance_id=remittance_id,
    )


def _add_payment(item: WorklistItem, paid: Decimal, remittance_id: int) -> bool:
    """A further payment on an item a payment already resolved (a split payment): add it
    to what was recovered, up to the open amount. Resolving again is never needed."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
    recovered = min(item.recovered_amount + paid, item.open_amount)
    note = f"Further payment of ${paid:,.2f} in remittance {remittance_id}"
    if recovered == item.recovered_amount:
        note += "; already recovered in full."
    else:
        note += f"; recovered ${recovered:,.2f} in all."
        item.recovered_amount = recovered
        if recovered >= item.open_amount:
            item.resolution = Resolution.RECOVERED_FULL
        item.save(update_fields=["recovered_amount", "resolution", "updated_at"])
    Activity.objects.create(
        item=item, actor=None, kind=ActivityKind.PAYER, note=note, remittance_id=remittance_id
    )
    return True


def _reopen_after_reversal(item: WorklistItem, remittance_id: int) -> bool:
    if item.status != ItemStatus.RESOLVED or item.resolution not in PAID:
        return False
    item_transition(
        item=item,
        to_status=ItemStatus.NEW,
        actor=None,
        kind=ActivityKind.PAYER,
        rescore=False,
        note=f"Payment reversed in remittance {remittance_id}; reopened.",
        remittance_id=remittance_id,
    )
    return True
