"""Move items through their states: transitions, assignment and the biller's actions."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

from .. import deadlines
from ..choices import (
    QUEUE_ORDER,
    REJECTION_RESOLUTIONS,
    TRANSITIONS,
    ActivityKind,
    DeadlineState,
    ItemKind,
    ItemStatus,
    Resolution,
    RuleKind,
)
from ..events import item_resubmitted
from ..models import Activity, WorklistItem
from ..querysets import is_manager
from ..selectors import (
    payer_rules,
)

logger = logging.getLogger(__name__)
UNCHANGED = object()
TRANSITION_FIELDS = [
    "status",
    "priority",
    "expected_net_recovery",
    "deadline_state",
    "resolution",
    "resolved_at",
    "recovered_amount",
    "assignee",
    "follow_up_on",
    "follow_up_due",
    "control_point",
    "root_cause",
    "write_off_requested",
    "updated_at",
]
DEFAULT_FOLLOW_UP_DAYS = 30
RECOVERED = (Resolution.RECOVERED_FULL, Resolution.RECOVERED_PARTIAL)


class InvalidTransition(ValueError):
    """A status change the state machine does not allow."""


@transaction.atomic
def item_transition(
    *,
    item: WorklistItem,
    to_status: str,
    actor,
    note: str = "",
    resolution: str = "",
    recovered_amount: Decimal | None = None,
    kind: str = ActivityKind.STATUS,
    rescore: bool = True,
    assignee=UNCHANGED,
    root_cause: dict | None = None,
    remittance_id: int | None = None,
) -> WorklistItem:
    """Move an item along the state machine, with its activity row, and return the fresh
    row. The row is locked and re-read first, so concurrent moves are checked against the
    real current status and a rescore landing in between is not overwritten. Refuses
    moves the machine does not allow, an assigned item without an assignee, and resolving
    without a resolution."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
    root_cause = root_cause or {}
    if assignee is not UNCHANGED:
        item.assignee = assignee
    from_status = item.status
    if to_status not in ItemStatus.values:
        raise InvalidTransition(f"Unknown status {to_status!r}.")
    if to_status not in TRANSITIONS[from_status]:
        raise InvalidTransition(
            f"An item that is {item.get_status_display().lower()} "
            f"cannot become {ItemStatus(to_status).label.lower()}."
        )
    if to_status == ItemStatus.RESOLVED and resolution not in Resolution.values:
        raise InvalidTransition("Resolving an item needs a resolution.")
    if resolution in REJECTION_RESOLUTIONS and item.kind != ItemKind.REJECTION:
        raise InvalidTransition(
            f"“{Resolution(resolution).label}” closes a rejection's item, not a denial's."
        )
    if resolution in RECOVERED and item.kind == ItemKind.REJECTION:
        raise InvalidTransition(
            "A rejection was never adjudicated, so nothing was recovered: it closes when the "
            "corrected claim is accepted, or as written off."
        )
    if to_status == ItemStatus.ASSIGNED and item.assignee_id is None:
        raise InvalidTransition("An assigned item needs an assignee: assign it to someone.")
    if to_status == ItemStatus.RESOLVED:
        item.control_point = root_cause.get("control_point") or item.control_point
        item.root_cause = root_cause.get("cause") or item.root_cause
        if actor is None and not item.root_cause:  # closed by a payer's remittance
            item.root_cause = item.get_category_display()
        if not (item.control_point and item.root_cause):
            raise InvalidTransition("Closing an item needs a root cause: control point and cause.")
    item.follow_up_due = False
    if to_status == ItemStatus.RESOLVED:
        item.write_off_requested = False  # closed one way or another: nothing to approve
    item.status = to_status
    if to_status == ItemStatus.RESOLVED:
        # Closed: nothing left to rank or race (the dates stay, for the record).
        item.priority = item.expected_net_recovery = Decimal(0)
        item.deadline_state = DeadlineState.NONE
        item.resolution = resolution
        item.resolved_at = timezone.now()
        if recovered_amount is not None:
            item.recovered_amount = recovered_amount
    elif from_status == ItemStatus.RESOLVED:
        item.resolution, item.resolved_at, item.recovered_amount = "", None, Decimal(0)
    if to_status == ItemStatus.NEW:
        item.assignee = None
    if to_status == ItemStatus.AWAITING_PAYER:
        if item.follow_up_on is not None and item.follow_up_on >= timezone.localdate():
            # A follow-up date a person set is never silently replaced.
            note = (
                note
                or f"Follow up on {item.follow_up_on:%Y-%m-%d} (as set) if the payer is silent."
            )
        else:
            item.follow_up_on = follow_up_date(item)
            note = note or f"Follow up on {item.follow_up_on:%Y-%m-%d} if the payer is silent."
    item.save(update_fields=TRANSITION_FIELDS)
    Activity.objects.create(
        item=item,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        remittance_id=remittance_id,
    )
    if actor is not None:
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=item,
            detail=f"status {from_status} -> {to_status}",
        )
    # Outcomes inform denial scores only (rejections are scored by a fixed policy).
    if rescore and item.kind == ItemKind.DENIAL and ItemStatus.RESOLVED in (to_status, from_status):
        _rescore_on_commit({(item.payer_id, item.category)})
    return item


def follow_up_date(item: WorklistItem, today: date | None = None) -> date:
    """When to chase the payer about an item now awaiting it: the payer's follow-up
    interval (payer rule, else its type's default, else 30 days) from today."""
    today = today or timezone.localdate()
    rules = []
    if item.payer_id is not None:  # a rejection's payer may not be mapped yet
        rules = payer_rules({item.payer_id: item.payer.payer_type}).get(item.payer_id, [])
    rule = deadlines.pick_rule(rules, RuleKind.FOLLOW_UP, today)
    if rule is not None:
        try:
            return deadlines.add_months(today, rule.months) + timedelta(days=rule.days)
        except (OverflowError, ValueError):
            pass  # a rule past the calendar's end: fall back to the default interval
    return today + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)


def _rescore_on_commit(keys: set[tuple[int, str]]) -> None:
    """Outcomes changed: rescore the open items they inform, once per payer and category
    (coalesced: a burst of outcomes queues one rescore per scope)."""
    from ..tasks import rescore_soon

    for payer_id, category in keys:
        transaction.on_commit(
            lambda p=payer_id, c=category: _quietly(rescore_soon, payer_id=p, category=c)
        )


def _quietly(enqueue, **kwargs) -> None:
    """Queue follow-on work; a broker that is down never fails the person's change (the
    nightly rescore catches up)."""
    from remittance.pipeline import BROKER_ERRORS

    try:
        enqueue(**kwargs)
    except BROKER_ERRORS as exc:
        logger.warning("follow-on task not queued, broker unavailable: %s", exc)


class AssignmentRefused(PermissionError):
    """The actor may not make this assignment: only managers assign other people."""


class InvalidAssignment(ValueError):
    """The assignee cannot hold the item: they are not a member of its team."""


@transaction.atomic
def item_assign(*, item: WorklistItem, assignee, actor) -> WorklistItem:
    """Give an item to a member of its team, or take it back (``assignee=None``), with one
    "assigned" activity. A new item that gets an assignee becomes assigned; an assigned
    item that loses its assignee goes back to new. Assigning the current assignee again
    changes nothing. The row is locked first, so two people taking the same item cannot
    both win; the returned instance is the freshly read, updated row."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
    _check_assignment(item, assignee, actor)
    new_id = assignee.pk if assignee is not None else None
    if item.assignee_id == new_id:
        return item
    note = f"Assigned to {assignee.get_username()}." if assignee else "Unassigned."
    item.assignee = assignee
    if assignee is not None and item.status == ItemStatus.NEW:
        to_status = ItemStatus.ASSIGNED
    elif assignee is None and item.status == ItemStatus.ASSIGNED:
        to_status = ItemStatus.NEW
    else:
        item.save(update_fields=["assignee", "updated_at"])
        Activity.objects.create(item=item, actor=actor, kind=ActivityKind.ASSIGNED, note=note)
        return item
    return item_transition(
        item=item,
        to_status=to_status,
        actor=actor,
        note=note,
        kind=ActivityKind.ASSIGNED,
        assignee=assignee,
    )


def _check_assignment(item: WorklistItem, assignee, actor) -> None:
    """Managers (and the system, ``actor=None``) may assign any member of the item's team.
    Anyone else may only take an item that is free or already theirs, and only unassign
    themselves."""
    new_id = assignee.pk if assignee is not None else None
    if actor is not None and not is_manager(actor):
        if new_id not in (None, actor.pk):
            raise AssignmentRefused("Only a manager can assign an item to someone else.")
        if item.assignee_id not in (None, actor.pk):
            raise AssignmentRefused("Only a manager can reassign an item someone else holds.")
    if assignee is not None and not item.team.members.filter(pk=new_id).exists():
        raise InvalidAssignment(
            f"{assignee.get_username()} is not a member of the team {item.team.name}."
        )


def _check_holder(item: WorklistItem, actor) -> None:
    """Only the person holding an item (or a manager, or the system) changes its state:
    nobody takes a teammate's item by moving it, closing it or working on it."""
    if actor is None or is_manager(actor):
        return
    if item.assignee_id not in (None, actor.pk):
        raise AssignmentRefused(
            f"This item is held by {item.assignee.get_username()}: only they or a manager "
            "can change it."
        )


@transaction.atomic
def item_change_status(
    *,
    item: WorklistItem,
    to_status: str,
    actor,
    note: str = "",
    resolution: str = "",
    recovered_amount: Decimal | None = None,
    control_point: str = "",
    cause: str = "",
) -> WorklistItem:
    """The one door for a person's status change outside the page's named actions (the
    API's ``transition``): every rule the named actions hold applies. Closing goes through
    ``item_resolve`` (write-off approval above the threshold, recovered amount within the
    open amount, root cause prefilled from the item); assigning needs ``item_assign``;
    only the holder or a manager moves an item."""
    item = _locked(item)
    _check_holder(item, actor)
    if to_status == ItemStatus.ASSIGNED:
        raise InvalidTransition("Use the assign action to give the item to someone.")
    if to_status == ItemStatus.APPEALED:
        raise InvalidTransition(
            "An appeal is its own record: start it with POST /api/v1/appeals/ "
            '({"item": <id>, "level": "first"}).'
        )
    if to_status == ItemStatus.RESOLVED:
        return item_resolve(
            item=item,
            actor=actor,
            resolution=resolution,
            control_point=control_point or item.control_point,
            cause=cause or item.root_cause,
            recovered_amount=recovered_amount,
            reason=note,
        )
    if recovered_amount is not None or resolution:
        raise InvalidTransition("A resolution and a recovered amount apply only to closing.")
    return item_transition(item=item, to_status=to_status, actor=actor, note=note)


# ---- The biller's day: next item and the actions on an item --------------------------


@transaction.atomic
def item_next(*, user, team=None) -> WorklistItem | None:
    """Give the user the most valuable unassigned item of their teams (or of ``team``, one
    of them), atomically: rows another biller is taking right now are skipped (SKIP
    LOCKED), so two people pressing "next" at once never get the same item. Returns None
    when the queues are empty."""
    team_ids = list(user.teams.order_by().values_list("id", flat=True))
    if team is not None:
        team_ids = [team.pk] if team.pk in team_ids else []
    if not team_ids:
        return None
    free = WorklistItem.objects.filter(status=ItemStatus.NEW, assignee__isnull=True)
    candidates = free.filter(team_id__in=team_ids)
    if len(team_ids) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # Each team's head from its own index (item_team_free), so several teams never
        # sort all their free items together; then lock the best of those heads. (SQLite,
        # the embedded default, cannot limit the parts of a UNION: one query there.)
        heads = [
            free.filter(team_id=team_id).order_by(*QUEUE_ORDER).values("id")[:NEXT_HEADS]
            for team_id in team_ids
        ]
        ids = [row["id"] for row in heads[0].union(*heads[1:], all=True)]
        item = _lock_first(free.filter(id__in=ids)) if ids else None
        if item is not None or not ids:
            return _take_next(item, user) if item else None
        # Every head was taken by someone else meanwhile: look further down, all at once.
    item = _lock_first(candidates)
    return _take_next(item, user) if item else None


NEXT_HEADS = 5  # free items considered per team before falling back to one full query


def _lock_first(items) -> WorklistItem | None:
    """The first of ``items`` no one else holds, locked: its id only, since
    ``item_transition`` reads the whole row (already ours) again."""
    first = (
        items.order_by(*QUEUE_ORDER)
        .select_for_update(skip_locked=True)
        .values_list("id", flat=True)
        .first()
    )
    return WorklistItem(pk=first) if first is not None else None


def _take_next(item: WorklistItem, user) -> WorklistItem:
    return item_transition(
        item=item,
        to_status=ItemStatus.ASSIGNED,
        actor=user,
        assignee=user,
        kind=ActivityKind.ASSIGNED,
        note=f"Taken by {user.get_username()} (next item).",
    )


@transaction.atomic
def item_note(*, item: WorklistItem, actor, text: str) -> Activity:
    text = text.strip()
    if not text:
        raise InvalidTransition("A note needs some text.")
    WorklistItem.objects.filter(pk=item.pk).update(updated_at=timezone.now())
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=item, detail="note added")
    return Activity.objects.create(item=item, actor=actor, kind=ActivityKind.NOTE, note=text)


@transaction.atomic
def item_set_follow_up(*, item: WorklistItem, actor, on: date) -> WorklistItem:
    item = _locked(item)
    _check_holder(item, actor)
    item.follow_up_on, item.follow_up_due = on, on <= timezone.localdate()
    item.save(update_fields=["follow_up_on", "follow_up_due", "updated_at"])
    Activity.objects.create(
        item=item, actor=actor, kind=ActivityKind.NOTE, note=f"Follow-up set for {on:%Y-%m-%d}."
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=item, detail=f"follow-up {on}")
    return item


def _locked(item: WorklistItem) -> WorklistItem:
    return (
        WorklistItem.objects.select_for_update(of=("self",))
        .select_related("assignee")
        .get(pk=item.pk)
    )


def _take(item: WorklistItem, actor) -> WorklistItem:
    """Bring an item to "in progress" in the acting user's hands, through the states."""
    if item.status == ItemStatus.NEW:
        item = item_transition(
            item=item,
            to_status=ItemStatus.ASSIGNED,
            actor=actor,
            assignee=item.assignee or actor,
            kind=ActivityKind.ASSIGNED,
        )
    if item.status in (ItemStatus.ASSIGNED, ItemStatus.AWAITING_PAYER):
        item = item_transition(item=item, to_status=ItemStatus.IN_PROGRESS, actor=actor)
    return item


@transaction.atomic
def item_mark_resubmitted(
    *, item: WorklistItem, actor, on: date, new_claim_reference: str = ""
) -> WorklistItem:
    """Corrected and resubmitted: record when and the new claim's reference; the item
    then waits for the payer."""
    _check_holder(_locked(item), actor)
    item = _take(item, actor)
    item = item_transition(
        item=item,
        to_status=ItemStatus.RESUBMITTED,
        actor=actor,
        note=f"Corrected claim sent {on:%Y-%m-%d}"
        + (f", reference {new_claim_reference}." if new_claim_reference else "."),
    )
    WorklistItem.objects.filter(pk=item.pk).update(
        resubmitted_on=on, new_claim_reference=new_claim_reference[:50]
    )
    item = item_transition(item=item, to_status=ItemStatus.AWAITING_PAYER, actor=actor)
    item_resubmitted.send(
        sender=WorklistItem, item=item, actor=actor, on=on, reference=new_claim_reference[:50]
    )
    return item


@transaction.atomic
def item_resolve(
    *,
    item: WorklistItem,
    actor,
    resolution: str,
    control_point: str,
    cause: str,
    recovered_amount: Decimal | None = None,
    reason: str = "",
) -> WorklistItem:
    """Close an item with its root cause. A write-off above the approval threshold by
    anyone but a manager is only requested: a manager approves it (``item_approve_write_off``)."""
    if not (control_point and cause.strip()):
        raise InvalidTransition("Closing an item needs a root cause: control point and cause.")
    if resolution == Resolution.WRITTEN_OFF and not reason.strip():
        raise InvalidTransition("A write-off needs a reason.")
    item = _locked(item)
    _check_holder(item, actor)
    if item.status == ItemStatus.RESOLVED:
        raise InvalidTransition("This item is already closed.")
    if resolution not in Resolution.values:
        raise InvalidTransition("Resolving an item needs a resolution.")
    if recovered_amount is not None and not (0 <= recovered_amount <= item.open_amount):
        raise InvalidTransition(
            f"The recovered amount must be between $0.00 and the open amount "
            f"${item.open_amount:,.2f}."
        )
    if (
        resolution == Resolution.WRITTEN_OFF
        and not is_manager(actor)
        and item.open_amount > settings.WORKLIST_WRITE_OFF_APPROVAL_ABOVE
    ):
        WorklistItem.objects.filter(pk=item.pk).update(
            write_off_requested=True,
            write_off_reason=reason[:200],
            control_point=control_point,
            root_cause=cause.strip()[:200],
            updated_at=timezone.now(),
        )
        Activity.objects.create(
            item=item,
            actor=actor,
            kind=ActivityKind.NOTE,
            note=f"Write-off requested ({reason}); needs a manager's approval.",
        )
        return WorklistItem.objects.get(pk=item.pk)
    if resolution in (Resolution.RECOVERED_FULL, Resolution.RECOVERED_PARTIAL):
        recovered_amount = item.open_amount if recovered_amount is None else recovered_amount
    note = {Resolution.WRITTEN_OFF: f"Written off: {reason}."}.get(resolution, "")
    return item_transition(
        item=item,
        to_status=ItemStatus.RESOLVED,
        actor=actor,
        resolution=resolution,
        recovered_amount=recovered_amount,
        note=note,
        root_cause={"control_point": control_point, "cause": cause.strip()[:200]},
    )


@transaction.atomic
def item_approve_write_off(*, item: WorklistItem, actor) -> WorklistItem:
    if not is_manager(actor):
        raise AssignmentRefused("Only a manager can approve a write-off.")
    if not item.write_off_requested:
        raise InvalidTransition("No write-off was requested for this item.")
    item = item_transition(
        item=item,
        to_status=ItemStatus.RESOLVED,
        actor=actor,
        resolution=Resolution.WRITTEN_OFF,
        note=f"Write-off approved: {item.write_off_reason}.",
    )
    WorklistItem.objects.filter(pk=item.pk).update(write_off_requested=False)
    return item


@transaction.atomic
def item_reject_write_off(*, item: WorklistItem, actor, reason: str) -> WorklistItem:
    """A manager turns down a requested write-off: the item stays open with its holder,
    and the reason goes on its timeline."""
    if not is_manager(actor):
        raise AssignmentRefused("Only a manager can reject a write-off.")
    if not reason.strip():
        raise InvalidTransition("Say why the write-off is rejected.")
    item = _locked(item)
    if not item.write_off_requested:
        raise InvalidTransition("No write-off was requested for this item.")
    item.write_off_requested = False
    item.save(update_fields=["write_off_requested", "updated_at"])
    Activity.objects.create(
        item=item,
        actor=actor,
        kind=ActivityKind.NOTE,
        note=f"Write-off rejected: {reason.strip()}",
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=item, detail="write-off rejected")
    return item


@transaction.atomic
def items_bulk_update(
    *, items, actor, assignee=UNCHANGED, team=None, follow_up_on: date | None = None
) -> int:
    """A manager's bulk change on a filtered selection of open items: reassign, move to
    another team (which unassigns) and/or set a follow-up date. One activity per item."""
    if not is_manager(actor):
        raise AssignmentRefused("Only a manager can change items in bulk.")
    ids = list(items.open().values_list("id", flat=True))
    changes, notes = {"updated_at": timezone.now()}, []
    if team is not None:
        changes.update(team=team, assignee=None)
        notes.append(f"moved to team {team.name}")
    if assignee is not UNCHANGED:
        if assignee is not None and team is None and items.exclude(team__members=assignee).exists():
            raise InvalidAssignment(f"{assignee.get_username()} is not on every item's team.")
        changes["assignee"] = assignee
        notes.append(f"assigned to {assignee.get_username()}" if assignee else "unassigned")
    if follow_up_on is not None:
        changes.update(
            follow_up_on=follow_up_on, follow_up_due=follow_up_on <= timezone.localdate()
        )
        notes.append(f"follow-up {follow_up_on:%Y-%m-%d}")
    if not notes or not ids:
        return 0
    WorklistItem.objects.filter(id__in=ids).update(**changes)
    if "assignee" in changes:  # keep statuses consistent with who holds the item
        held = changes["assignee"] is not None
        WorklistItem.objects.filter(
            id__in=ids, status=ItemStatus.NEW if held else ItemStatus.ASSIGNED
        ).update(status=ItemStatus.ASSIGNED if held else ItemStatus.NEW)
    note = "Bulk change: " + ", ".join(notes) + "."
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                action=AuditAction.CHANGE,
                object_type="worklist.worklistitem",
                object_id=str(i),
                detail=note[:200],
            )
            for i in ids
        ]
    )
    Activity.objects.bulk_create(
        [Activity(item_id=i, actor=actor, kind=ActivityKind.ASSIGNED, note=note) for i in ids]
    )
    return len(ids)


def worklist_follow_up_sweep(*, today: date | None = None) -> int:
    """Items awaiting the payer past their follow-up date go back to the top of their
    queue (``follow_up_due``), with a note. Returns how many came due."""
    today = today or timezone.localdate()
    due = WorklistItem.objects.filter(
        status=ItemStatus.AWAITING_PAYER, follow_up_due=False, follow_up_on__lte=today
    )
    ids = list(due.values_list("id", flat=True))
    WorklistItem.objects.filter(id__in=ids).update(follow_up_due=True, updated_at=timezone.now())
    Activity.objects.bulk_create(
        [
            Activity(
                item_id=i,
                kind=ActivityKind.DEADLINE,
                note="Follow-up date reached with no answer from the payer: back to the top.",
            )
            for i in ids
        ]
    )
    return len(ids)
