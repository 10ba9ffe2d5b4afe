"""Worklist items for claims rejected before adjudication (``claims.ClaimRejection``):
open one per rejection for the front-end team, and close it when the claims app resolves
the rejection (accepted later, adjudicated by an 835, or resubmitted). See
``worklist.rejections`` for the team, deadline and score."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims.choices import ClaimKind, ResolvedBy
from claims.models import ClaimRejection, SubmittedClaim

from .. import rejections as rules
from ..choices import ActivityKind, ItemKind, ItemStatus, Resolution
from ..models import Activity, ItemRejection, Team, WorklistItem
from .intake import Context, _timing_and_score
from .items import InvalidTransition, item_transition

logger = logging.getLogger(__name__)

RESOLUTIONS = {
    ResolvedBy.ACCEPTED: Resolution.ACCEPTED_ON_RESUBMISSION,
    ResolvedBy.RESUBMITTED: Resolution.RESUBMITTED,
    ResolvedBy.ADJUDICATED: Resolution.ADJUDICATED,
}
WHY = {
    ResolvedBy.ACCEPTED: "the payer accepted the claim (277CA)",
    ResolvedBy.RESUBMITTED: "a corrected claim was submitted for the account",
    ResolvedBy.ADJUDICATED: "the payer adjudicated the claim (835)",
}


def _team(default_team: int) -> tuple[int, str]:
    team = Team.objects.filter(slug=rules.FRONT_END_TEAM).values_list("id", flat=True).first()
    if team is not None:
        return team, "rejected before adjudication: front-end team"
    return default_team, "rejected before adjudication: no front-end team, default team"


def rejection_item_fields(claim: SubmittedClaim, rejection: ClaimRejection) -> dict:
    """An item's fields from its submitted claim and rejection, before scoring."""
    institutional = claim.kind == ClaimKind.INSTITUTIONAL or bool(claim.facility_code)
    words = rules.rejection_words(rejection)
    return {
        "kind": ItemKind.REJECTION,
        "submitted_claim": claim,
        "payer_id": claim.payer_id,
        "payer_identifier": claim.payer_identifier,
        "patient_control_number": claim.patient_control_number,
        "category": rules.REJECTION_CATEGORY,
        "reason_code": "",
        "guardrail": "",
        "suggested_action": rules.REJECTION_ACTION,
        "appealable": False,
        "open_amount": claim.charge,
        "institutional": institutional,
        "service_date": claim.first_service_date,
        "through_date": claim.statement_to or claim.service_date_to,
        "received_date": rejection.rejected_on,
        "control_point": rules.REJECTION_CONTROL_POINT,
        "root_cause": (words[0] if words else "Rejected before adjudication")[:200],
    }


@transaction.atomic
def worklist_rejection_intake(*, rejection_ids: list[int], today: date | None = None) -> int:
    """Open a front-end worklist item for each open rejection that has none, with the
    codes in words on its timeline, the resubmission (timely-filing) deadline and a
    priority. Idempotent: a rejection already on an item is skipped (and the one-to-one
    link refuses a second). A rejection of a submitted claim that already has an open
    rejection item joins it and sends it back to the queue. Returns the items created."""
    found = list(
        ClaimRejection.objects.open()
        .filter(pk__in=rejection_ids, item_link__isnull=True)
        .select_related("submitted_claim__payer")
        .order_by("id")
    )
    if not found:
        return 0
    claims = {r.submitted_claim_id for r in found}
    targets = dict(
        WorklistItem.objects.open()
        .filter(kind=ItemKind.REJECTION, submitted_claim_id__in=claims)
        .order_by("id")
        .values_list("submitted_claim_id", "id")
    )
    payers = {r.submitted_claim.payer for r in found if r.submitted_claim.payer_id}
    ctx = Context.load({p.pk: p.payer_type for p in payers}, today)
    team_id, why = _team(ctx.default_team)
    new: dict[int, WorklistItem] = {}  # submitted claim id -> the item it opens
    for rejection in found:
        claim_id = rejection.submitted_claim_id
        if claim_id not in targets and claim_id not in new:
            new[claim_id] = _new_item(rejection, ctx, team_id, why)
    WorklistItem.objects.bulk_create(new.values())
    links, activities, opened, requeue = [], [], set(), set()
    for rejection in found:
        item = new.get(rejection.submitted_claim_id)
        item_id = item.pk if item is not None else targets[rejection.submitted_claim_id]
        first = item is not None and item_id not in opened
        if first:
            opened.add(item_id)
        elif item is None:  # joins an item opened earlier: back to the queue
            requeue.add(item_id)
        links.append(ItemRejection(item_id=item_id, rejection=rejection))
        activities.append(_intake_activity(item_id, rejection, opened=first, why=why))
    ItemRejection.objects.bulk_create(links)
    Activity.objects.bulk_create(activities)
    _requeue(requeue)
    return len(new)


def _new_item(rejection: ClaimRejection, ctx: Context, team_id: int, why: str) -> WorklistItem:
    fields = rejection_item_fields(rejection.submitted_claim, rejection)
    fields.update(_timing_and_score(fields, fields["payer_id"], ctx))
    fields.pop("payer_identifier")
    return WorklistItem(team_id=team_id, routing_rule=why, status=ItemStatus.NEW, **fields)


def _intake_activity(item_id: int, rejection: ClaimRejection, *, opened: bool, why: str):
    words = "; ".join(rules.rejection_words(rejection)) or "no status codes given"
    source = rejection.get_source_display()
    if opened:
        note = f"Rejected before adjudication ({source}, {rejection.rejected_on:%Y-%m-%d}): "
        note += f"{words}. {why}."
        return Activity(
            item_id=item_id, kind=ActivityKind.CREATED, to_status=ItemStatus.NEW, note=note
        )
    note = (
        f"Rejected again ({source}, {rejection.rejected_on:%Y-%m-%d}): {words}; back to the queue."
    )
    return Activity(item_id=item_id, kind=ActivityKind.PAYER, note=note)


def _requeue(item_ids: set[int]) -> None:
    """A repeat rejection sends its item back to the queue, like a repeat denial."""
    if item_ids:
        WorklistItem.objects.filter(id__in=item_ids).exclude(status=ItemStatus.NEW).update(
            status=ItemStatus.NEW, assignee=None, updated_at=timezone.now()
        )


def worklist_rejections_resolved(*, rejection_ids: list[int]) -> int:
    """Close the open items of rejections the claims app resolved, once every rejection
    on the item is resolved, with a resolution and a payer activity naming why (accepted,
    adjudicated, resubmitted). An item a person moved meanwhile is left as it is (logged).
    Idempotent: a closed item is not touched again. Returns the items closed."""
    items = (
        WorklistItem.objects.open()
        .filter(kind=ItemKind.REJECTION)
        .filter(
            Exists(ItemRejection.objects.filter(item=OuterRef("pk"), rejection__in=rejection_ids))
        )
        .order_by("id")
    )
    closed = 0
    for item in items:
        try:
            with transaction.atomic():
                closed += _close_if_resolved(item)
        except InvalidTransition as exc:
            logger.warning("rejection item %s left as it is: %s", item.pk, exc)
    return closed


def _close_if_resolved(item: WorklistItem) -> int:
    rejections = list(item.rejections.order_by("resolved_at", "id"))
    if not rejections or any(r.is_open for r in rejections):
        return 0
    last = rejections[-1]
    by = last.resolved_by_kind or ResolvedBy.ACCEPTED
    codes = ", ".join(rules.short_codes(r) for r in rejections)
    item_transition(
        item=item,
        to_status=ItemStatus.RESOLVED,
        actor=None,
        resolution=RESOLUTIONS.get(by, Resolution.ACCEPTED_ON_RESUBMISSION),
        recovered_amount=Decimal(0),
        kind=ActivityKind.PAYER,
        rescore=False,
        note=f"Rejection resolved: {WHY.get(by, by)} (rejection {codes}).",
    )
    return 1
