"""Writes for the worklist: open items for new denials (guardrails, deadlines, score,
routing), follow later remittances, move items through their states, rescore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from denials.models import Denial
from remittance.bulk import insert_rows, reserve_ids
from remittance.models import Claim, ServiceLine

from . import deadlines, guardrails, routing, scoring
from .choices import TRANSITIONS, ActivityKind, ItemStatus, Resolution, RuleKind
from .models import Activity, ItemDenial, WorklistItem
from .selectors import (
    DEFAULT_POLICY,
    category_policies,
    payer_rules,
    recovery_outcomes,
    routing_table,
)

DENIAL_FIELDS = [
    "id",
    "claim_id",
    "payer_id",
    "payer__payer_type",
    "category",
    "reason_code",
    "adjustment_codes",
    "remark_codes",
    "appealable",
    "next_action",
    "denied_amount",
    "service_date",
    "received_date",
    "claim__patient_control_number",
    "claim__statement_from",
    "claim__statement_to",
    "claim__drg_code",
    "claim__rendering_provider_id",
    "service_line__procedure_code",
    "service_line__revenue_code",
    "remittance_id",
]

ITEM_COLUMNS = [
    "id",
    "claim_id",
    "payer_id",
    "patient_control_number",
    "team_id",
    "status",
    "resolution",
    "category",
    "reason_code",
    "guardrail",
    "routing_rule",
    "suggested_action",
    "appealable",
    "open_amount",
    "recovered_amount",
    "procedure_code",
    "institutional",
    "service_date",
    "through_date",
    "received_date",
    "appeal_deadline",
    "refile_deadline",
    "deadline",
    "deadline_state",
    "recovery_probability",
    "expected_net_recovery",
    "priority",
    "priority_explanation",
    "created_at",
    "updated_at",
]


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


def warning_days() -> int:
    return settings.WORKLIST_WARNING_DAYS


@dataclass
class Context:
    """Everything scoring and routing read, loaded once per batch."""

    rules: list[routing.RouteRule]
    default_team: int
    policies: dict[str, scoring.Policy]
    outcomes: scoring.Outcomes
    deadline_rules: dict[int, list[deadlines.Rule]]
    today: date

    @classmethod
    def load(cls, payer_types: dict[int, str], today: date | None = None) -> Context:
        rules, default = routing_table()
        return cls(
            rules,
            default,
            category_policies(),
            recovery_outcomes(),
            payer_rules(payer_types),
            today or timezone.localdate(),
        )


def assess(facts: dict, ctx: Context) -> dict:
    """Guardrails, deadlines, score and routing for one denial (a dict of DENIAL_FIELDS).
    Returns the computed item fields, or {} when a guardrail says there is nothing to work."""
    guard = guardrails.check(
        adjustment_codes=facts["adjustment_codes"],
        remark_codes=facts["remark_codes"],
        payer_type=facts["payer__payer_type"],
    )
    if guard and not guard.open_item:
        return {}
    action = guard.action if guard else (facts["next_action"] or "appeal")
    appealable = facts["appealable"] and (guard.appealable if guard else True)
    institutional = bool(facts["claim__drg_code"] or facts["service_line__revenue_code"])
    fields = {
        "category": facts["category"],
        "reason_code": facts["reason_code"],
        "guardrail": guard.rule if guard else "",
        "suggested_action": action,
        "appealable": appealable,
        "open_amount": facts["denied_amount"],
        "institutional": institutional,
        "service_date": facts["service_date"],
        "through_date": facts["claim__statement_to"],
        "received_date": facts["received_date"],
        "procedure_code": facts["service_line__procedure_code"] or "",
    }
    fields.update(_timing_and_score(fields, facts["payer_id"], ctx))
    team, rule = routing.route(
        routing.RouteFacts(
            payer_id=facts["payer_id"],
            payer_type=facts["payer__payer_type"],
            category=facts["category"],
            reason_code=facts["reason_code"],
            amount=facts["denied_amount"],
            rendering_provider_id=facts["claim__rendering_provider_id"],
            procedure_code=fields["procedure_code"],
            revenue_code=facts["service_line__revenue_code"] or "",
        ),
        ctx.rules,
        ctx.default_team,
    )
    fields.update(team_id=team, routing_rule=rule[:200])
    return fields


def _timing_and_score(fields: dict, payer_id: int, ctx: Context) -> dict:
    """Deadlines, their state and the priority score of an item's fields."""
    due = deadlines.compute(
        deadlines.DeadlineFacts(
            received_date=fields["received_date"],
            service_from=fields["service_date"],
            through_date=fields["through_date"],
            institutional=fields["institutional"],
            amount=fields["open_amount"],
        ),
        ctx.deadline_rules.get(payer_id, []),
    )
    deadline = deadlines.relevant_deadline(due, fields["suggested_action"], fields["appealable"])
    policy = ctx.policies.get(fields["category"], DEFAULT_POLICY)
    probability, basis = scoring.recovery_probability(
        payer_id=payer_id,
        category=fields["category"],
        reason_code=fields["reason_code"],
        outcomes=ctx.outcomes,
        policy=policy,
    )
    result = scoring.score(
        open_amount=fields["open_amount"],
        probability=probability,
        basis=basis,
        policy=policy,
        deadline=deadline,
        today=ctx.today,
    )
    explanation = result.explanation
    if due.explanation:
        explanation += f". Deadlines: {due.explanation}"
    if fields.get("guardrail"):
        explanation = f"Guardrail: {fields['guardrail']}. {explanation}"
    return {
        "appeal_deadline": due.appeal,
        "refile_deadline": due.refile,
        "deadline": deadline,
        "deadline_state": deadlines.deadline_state(deadline, ctx.today, warning_days()),
        "recovery_probability": result.probability,
        "expected_net_recovery": result.expected_net_recovery,
        "priority": result.priority,
        "priority_explanation": explanation,
    }


@transaction.atomic
def worklist_intake(*, denial_ids: list[int], today: date | None = None) -> int:
    """Open worklist items for denials that have none. Idempotent: a denial already on an
    item is skipped, so a re-run creates nothing. A repeat denial of a claim (same payer,
    patient account and category as an open item from an earlier remittance) joins that
    item and sends it back to the queue. Returns the number of items created."""
    facts = list(
        Denial.objects.filter(id__in=denial_ids, item_link__isnull=True)
        .order_by("id")
        .values(*DENIAL_FIELDS)
    )
    if not facts:
        return 0
    repeats = _repeat_targets(facts)
    ctx = Context.load({f["payer_id"]: f["payer__payer_type"] for f in facts}, today)
    now = timezone.now()
    new, links, activities = [], [], []
    for f in facts:
        target = repeats.get((f["payer_id"], f["claim__patient_control_number"], f["category"]))
        if target and target[1] < f["claim_id"]:
            links.append((target[0], f["id"]))
            activities.append(
                _activity(
                    target[0],
                    now,
                    ActivityKind.PAYER,
                    "",
                    "",
                    f"Denied again in remittance {f['remittance_id']} "
                    f"({', '.join(f['adjustment_codes'])}); back to the queue.",
                )
            )
            continue
        fields = assess(f, ctx)
        if fields:
            new.append((f, fields))
    ids = reserve_ids(WorklistItem, len(new))
    rows = []
    for item_id, (f, fields) in zip(ids, new, strict=True):
        rows.append(_item_row(item_id, f, fields, now))
        links.append((item_id, f["id"]))
        activities.append(
            _activity(
                item_id,
                now,
                ActivityKind.CREATED,
                "",
                ItemStatus.NEW,
                f"{fields['guardrail'] + '; ' if fields['guardrail'] else ''}"
                f"{fields['routing_rule']}",
            )
        )
    insert_rows(WorklistItem, ITEM_COLUMNS, rows)
    insert_rows(ItemDenial, ["item_id", "denial_id"], links)
    insert_rows(
        Activity,
        ["item_id", "at", "actor_id", "kind", "from_status", "to_status", "note"],
        activities,
    )
    created = set(ids)
    requeue = {item for item, _ in links if item not in created}
    if requeue:
        WorklistItem.objects.filter(id__in=requeue).exclude(status=ItemStatus.NEW).update(
            status=ItemStatus.NEW, assignee=None, updated_at=now
        )
    return len(new)


def _repeat_targets(facts: list[dict]) -> dict[tuple, tuple[int, int]]:
    """Open items for the payers and patient accounts in this batch:
    (payer, account, category) -> (item id, its claim id)."""
    pcns = {f["claim__patient_control_number"] for f in facts}
    payers = {f["payer_id"] for f in facts}
    items = WorklistItem.objects.open().filter(payer_id__in=payers, patient_control_number__in=pcns)
    return {
        (i["payer_id"], i["patient_control_number"], i["category"]): (i["id"], i["claim_id"])
        for i in items.values("id", "payer_id", "patient_control_number", "category", "claim_id")
    }


def _item_row(item_id: int, f: dict, fields: dict, now) -> tuple:
    values = {
        "id": item_id,
        "claim_id": f["claim_id"],
        "payer_id": f["payer_id"],
        "patient_control_number": f["claim__patient_control_number"],
        "status": ItemStatus.NEW,
        "resolution": "",
        "recovered_amount": Decimal(0),
        "created_at": now,
        "updated_at": now,
        **fields,
    }
    return tuple(values[c] for c in ITEM_COLUMNS)


def _activity(item_id, at, kind, from_status, to_status, note, actor_id=None) -> tuple:
    return (item_id, at, actor_id, kind, from_status, to_status, note)


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
    from .tasks import worklist_rescore_task

    for payer_id, category in keys:
        transaction.on_commit(
            lambda p=payer_id, c=category: worklist_rescore_task.delay(payer_id=p, category=c)
        )


RESCORE_FIELDS = [
    "appeal_deadline",
    "refile_deadline",
    "deadline",
    "deadline_state",
    "recovery_probability",
    "expected_net_recovery",
    "priority",
    "priority_explanation",
]


def worklist_rescore(
    *,
    payer_id: int | None = None,
    category: str | None = None,
    today: date | None = None,
    batch: int = 5000,
) -> int:
    """Recompute deadlines, deadline state and priority of open items (all, or one payer's
    and/or one category's), in batches. Returns the number of items rescored."""
    qs = WorklistItem.objects.open().select_related("payer").order_by("id")
    if payer_id is not None:
        qs = qs.filter(payer_id=payer_id)
    if category:
        qs = qs.filter(category=category)
    done, last = 0, 0
    while True:
        items = list(qs.filter(id__gt=last)[:batch])
        if not items:
            return done
        ctx = Context.load({i.payer_id: i.payer.payer_type for i in items}, today)
        for item in items:
            fields = {f.name: getattr(item, f.name) for f in WorklistItem._meta.concrete_fields}
            for name, value in _timing_and_score(fields, item.payer_id, ctx).items():
                setattr(item, name, value)
        with transaction.atomic():
            WorklistItem.objects.bulk_update(items, RESCORE_FIELDS, batch_size=1000)
        done += len(items)
        last = items[-1].id


def worklist_deadline_report() -> dict:
    """Open items per deadline state: what the nightly sweep reports (never drops)."""
    rows = WorklistItem.objects.open().values_list("deadline_state").annotate(n=Count("id"))
    return dict(rows)


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
    from .querysets import is_manager

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
