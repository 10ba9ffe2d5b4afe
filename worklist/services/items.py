"""Move items through their states: transitions, assignment and the biller's actions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .. import deadlines
from ..choices import TRANSITIONS, ActivityKind, ItemStatus, Resolution, RuleKind
from ..models import Activity, WorklistItem
from ..selectors import (
    payer_rules,
)

UNCHANGED = object()
TRANSITION_FIELDS = [
    "status",
    "resolution",
    "resolved_at",
    "recovered_amount",
    "assignee",
    "follow_up_on",
    "updated_at",
]
DEFAULT_FOLLOW_UP_DAYS = 30


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
) -> WorklistItem:
    """Move an item along the state machine, with its activity row, and return the fresh
    row. The row is locked and re-read first, so concurrent moves are checked against the
    real current status and a rescore landing in between is not overwritten. Refuses
    moves the machine does not allow, an assigned item without an assignee, and resolving
    without a resolution."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
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
    if to_status == ItemStatus.ASSIGNED and item.assignee_id is None:
        raise InvalidTransition("An assigned item needs an assignee: assign it to someone.")
    item.status = to_status
    if to_status == ItemStatus.RESOLVED:
        item.resolution = resolution
        item.resolved_at = timezone.now()
        if recovered_amount is not None:
            item.recovered_amount = recovered_amount
    elif from_status == ItemStatus.RESOLVED:
        item.resolution, item.resolved_at, item.recovered_amount = "", None, Decimal(0)
    if to_status == ItemStatus.NEW:
        item.assignee = None
    if to_status == ItemStatus.AWAITING_PAYER:
        item.follow_up_on = follow_up_date(item)
        note = note or f"Follow up on {item.follow_up_on:%Y-%m-%d} if the payer is silent."
    item.save(update_fields=TRANSITION_FIELDS)
    Activity.objects.create(
        item=item, actor=actor, kind=kind, from_status=from_status, to_status=to_status, note=note
    )
    if rescore and ItemStatus.RESOLVED in (to_status, from_status):
        _rescore_on_commit({(item.payer_id, item.category)})
    return item


def follow_up_date(item: WorklistItem, today: date | None = None) -> date:
    """When to chase the payer about an item now awaiting it: the payer's follow-up
    interval (payer rule, else its type's default, else 30 days) from today."""
    today = today or timezone.localdate()
    rules = payer_rules({item.payer_id: item.payer.payer_type}).get(item.payer_id, [])
    rule = deadlines.pick_rule(rules, RuleKind.FOLLOW_UP, today)
    days = rule.days if rule else DEFAULT_FOLLOW_UP_DAYS
    return (deadlines.add_months(today, rule.months) if rule else today) + timedelta(days=days)


def _rescore_on_commit(keys: set[tuple[int, str]]) -> None:
    """Outcomes changed: rescore the open items they inform, once per payer and category."""
    from ..tasks import worklist_rescore_task

    for payer_id, category in keys:
        transaction.on_commit(
            lambda p=payer_id, c=category: worklist_rescore_task.delay(payer_id=p, category=c)
        )


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
    from ..querysets import is_manager

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
