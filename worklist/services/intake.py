"""Open worklist items for new denials: guardrails, deadlines, score, routing; and
rescore open items as days pass and outcomes arrive."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from denials.choices import DenialCategory
from denials.models import Denial
from remittance.bulk import insert_rows, reserve_ids

from .. import deadlines, guardrails, rejections, routing, scoring
from ..choices import ActivityKind, DeadlineState, ItemKind, ItemStatus
from ..models import Activity, ItemDenial, WorklistItem
from ..selectors import (
    DEFAULT_POLICY,
    category_policies,
    payer_rules,
    reason_control_points,
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
    "claim__submitted_claim_id",
    "claim__submitted_claim__original_id",
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
    "kind",
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
    "follow_up_due",
    "control_point",
    "root_cause",
    "new_claim_reference",
    "write_off_requested",
    "write_off_reason",
    "problem",
]


logger = logging.getLogger(__name__)

WAITING_ON_PAYER = {ItemStatus.RESUBMITTED, ItemStatus.APPEALED, ItemStatus.AWAITING_PAYER}

# Where a category's denials usually start, for reason codes the catalog has no answer for.
CATEGORY_CONTROL_POINTS = {
    "eligibility": "registration",
    "coordination_of_benefits": "registration",
    "authorization": "prior_authorization",
    "medical_necessity": "clinical_documentation",
    "missing_information": "clinical_documentation",
    "coding": "coding",
}


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
    control_points: dict[str, str] = field(default_factory=dict)

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
            reason_control_points(),
        )


def assess(facts: dict, ctx: Context) -> dict:
    """Guardrails, deadlines, score and routing for one denial (a dict of DENIAL_FIELDS).
    Returns the computed item fields, or ``{"no_item": why}`` when a guardrail says there
    is nothing to work."""
    guard = guardrails.check(
        adjustment_codes=facts["adjustment_codes"],
        remark_codes=facts["remark_codes"],
        payer_type=facts["payer__payer_type"],
    )
    if guard and not guard.open_item:
        return {"no_item": guard.rule}
    fields = _denial_fields(facts)
    if guard:
        fields.update(
            guardrail=guard.rule,
            suggested_action=guard.action,
            appealable=facts["appealable"] and guard.appealable,
        )
    fields["control_point"] = (
        ctx.control_points.get(facts["reason_code"]) or fields["control_point"]
    )
    fields.update(_timing_and_score(fields, facts["payer_id"], ctx))
    team, rule = routing.route(
        routing.RouteFacts(
            payer_id=facts["payer_id"],
            payer_type=facts["payer__payer_type"],
            category=facts["category"],
            reason_code=facts["reason_code"],
            adjustment_codes=tuple(facts["adjustment_codes"]),
            remark_codes=tuple(facts["remark_codes"]),
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


def _denial_fields(facts: dict) -> dict:
    """An item's fields that come straight from its denial, before any rule applies."""
    return {
        "category": facts["category"],
        "reason_code": facts["reason_code"],
        "guardrail": "",
        "suggested_action": facts["next_action"] or "appeal",
        "appealable": facts["appealable"],
        "open_amount": facts["denied_amount"],
        "institutional": bool(facts["claim__drg_code"] or facts["service_line__revenue_code"]),
        "service_date": facts["service_date"],
        "through_date": facts["claim__statement_to"],
        "received_date": facts["received_date"],
        "procedure_code": facts["service_line__procedure_code"] or "",
        "control_point": CATEGORY_CONTROL_POINTS.get(facts["category"], "billing"),
    }


def _unscored(exc: Exception) -> dict:
    """The timing and score fields of an item its rules could not be applied to."""
    return {
        "appeal_deadline": None,
        "refile_deadline": None,
        "deadline": None,
        "deadline_state": DeadlineState.NONE,
        "recovery_probability": Decimal(0),
        "expected_net_recovery": Decimal(0),
        "priority": Decimal(0),
        "priority_explanation": "Not scored: the rules could not be applied.",
        "problem": f"Rules could not be applied ({type(exc).__name__}: {exc})"[:300],
    }


def _probability(fields: dict, payer_id: int | None, ctx: Context):
    """(policy, probability, basis): a denial's from this installation's outcomes, a
    rejection's fixed (``worklist.rejections``)."""
    if fields.get("kind") == ItemKind.REJECTION:
        policy = rejections.REJECTION_POLICY
        return policy, policy.prior_rate, rejections.REJECTION_BASIS
    policy = ctx.policies.get(fields["category"], DEFAULT_POLICY)
    probability, basis = scoring.recovery_probability(
        payer_id=payer_id,
        category=fields["category"],
        reason_code=fields["reason_code"],
        outcomes=ctx.outcomes,
        policy=policy,
    )
    return policy, probability, basis


def _timing_and_score(fields: dict, payer_id: int | None, ctx: Context) -> dict:
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
    if fields.get("next_level_deadline"):
        # An upheld appeal with a further level open: that level's deadline is the appeal's.
        due = replace(
            due,
            appeal=fields["next_level_deadline"],
            explanation=f"next appeal level by {fields['next_level_deadline']:%Y-%m-%d}"
            + (f"; {due.explanation}" if due.explanation else ""),
        )
    appealable = fields["appealable"]
    deadline = deadlines.relevant_deadline(due, fields["suggested_action"], appealable, ctx.today)
    if fields.get("status") in WAITING_ON_PAYER and fields.get("follow_up_on"):
        # Resubmitted or appealed: what the item races now is its follow-up with the payer.
        deadline = fields["follow_up_on"]
    policy, probability, basis = _probability(fields, payer_id, ctx)
    result = scoring.score(
        open_amount=fields["open_amount"],
        probability=probability,
        basis=basis,
        policy=policy,
        deadline=deadline,
        today=ctx.today,
        recourse_left=deadlines.recourse_left(due, appealable, ctx.today),
    )
    explanation = result.explanation
    if due.explanation:
        explanation += f". Deadlines: {due.explanation}"
    if fields.get("guardrail"):
        explanation = f"Guardrail: {fields['guardrail']}. {explanation}"
    problem = due.problem
    if fields.get("kind") == ItemKind.REJECTION:
        explanation = f"Rejected before adjudication: correct and resubmit. {explanation}"
        if payer_id is None:
            problem = rejections.UNMAPPED_PAYER.format(
                identifier=fields.get("payer_identifier", "")
            )
    return {
        "appeal_deadline": due.appeal if appealable else None,  # e.g. MA130: no appeal rights
        "refile_deadline": due.refile,
        "deadline": deadline,
        "deadline_state": deadlines.deadline_state(deadline, ctx.today, warning_days()),
        "recovery_probability": result.probability,
        "expected_net_recovery": result.expected_net_recovery,
        "priority": result.priority,
        "priority_explanation": explanation,
        "problem": problem[:300],
    }


def assess_safely(facts: dict, ctx: Context) -> dict:
    """``assess``, but an error in any rule degrades this one denial instead of its batch:
    it still gets an item, in the default team, flagged with the error and no deadline,
    so a person sees it and nothing is lost."""
    try:
        return assess(facts, ctx)
    except Exception as exc:  # noqa: BLE001 - any rule error: flag the item, keep going
        logger.exception("intake rules failed for denial %s; flagged for review", facts["id"])
        return {
            **_denial_fields(facts),
            **_unscored(exc),
            "team_id": ctx.default_team,
            "routing_rule": "default team: the rules could not be applied to this denial",
        }


@transaction.atomic
def worklist_intake(*, denial_ids: list[int], today: date | None = None) -> int:
    """Open worklist items for denials that have none. Idempotent: a denial already on an
    item is skipped, so a re-run creates nothing. A repeat denial of a claim (same payer,
    patient account and category as an open item from an earlier remittance) joins that
    item and sends it back to the queue. Returns the number of items created.

    "The same claim" is the claim's identity (``remittance.Claim.submitted_claim``, one per
    claim from submission to payment); an item whose claim predates identities matches by
    payer and patient account."""
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
    new, links, activities, skipped = [], [], [], []
    for f in facts:
        account = (f["payer_id"], f["claim__patient_control_number"])
        target = repeats.get(("claim", _identity(f), f["category"])) or repeats.get(
            ("account", *account, f["category"])
        )
        if target and target[1] < f["claim_id"]:
            links.append((target[0], f["id"], ""))
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
        fields = assess_safely(f, ctx)
        if "no_item" in fields:
            skipped.append((None, f["id"], fields["no_item"][:200]))
        else:
            new.append((f, fields))
    ids = reserve_ids(WorklistItem, len(new))
    rows = []
    for item_id, (f, fields) in zip(ids, new, strict=True):
        rows.append(_item_row(item_id, f, fields, now))
        links.append((item_id, f["id"], ""))
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
    insert_rows(ItemDenial, ["item_id", "denial_id", "note"], links + skipped)
    insert_rows(
        Activity,
        ["item_id", "at", "actor_id", "kind", "from_status", "to_status", "note"],
        activities,
    )
    created = set(ids)
    requeue = {item for item, _, _ in links if item not in created}
    if requeue:
        WorklistItem.objects.filter(id__in=requeue).exclude(status=ItemStatus.NEW).update(
            status=ItemStatus.NEW, assignee=None, updated_at=now
        )
    return len(new)


def _identity(row: dict) -> int | None:
    """The claim's identity: its original submission when it is a replacement (a corrected
    claim is the same claim), else its own; None for a claim booked before identities."""
    return row["claim__submitted_claim__original_id"] or row["claim__submitted_claim_id"]


def _repeat_targets(facts: list[dict]) -> dict[tuple, tuple[int, int]]:
    """Open denial items of the claims in this batch, keyed ("claim", identity, category)
    or, for an item whose claim has no identity, ("account", payer, account, category);
    -> (item id, its claim id)."""
    identities = {_identity(f) for f in facts} - {None}
    pcns = {f["claim__patient_control_number"] for f in facts}
    payers = {f["payer_id"] for f in facts}
    items = WorklistItem.objects.open().filter(kind=ItemKind.DENIAL)
    items = items.filter(
        Q(claim__submitted_claim_id__in=identities)
        | Q(claim__submitted_claim__original_id__in=identities)
        | Q(
            claim__submitted_claim__isnull=True,
            payer_id__in=payers,
            patient_control_number__in=pcns,
        )
    )
    targets = {}
    for i in items.values(
        "id", "payer_id", "patient_control_number", "category", "claim_id",
        "claim__submitted_claim_id", "claim__submitted_claim__original_id",
    ):  # fmt: skip
        identity = _identity(i)
        key = (
            ("claim", identity, i["category"])
            if identity
            else ("account", i["payer_id"], i["patient_control_number"], i["category"])
        )
        targets[key] = (i["id"], i["claim_id"])
    return targets


def _item_row(item_id: int, f: dict, fields: dict, now) -> tuple:
    values = {
        "id": item_id,
        "kind": ItemKind.DENIAL,
        "claim_id": f["claim_id"],
        "payer_id": f["payer_id"],
        "patient_control_number": f["claim__patient_control_number"],
        "status": ItemStatus.NEW,
        "resolution": "",
        "recovered_amount": Decimal(0),
        "created_at": now,
        "updated_at": now,
        "follow_up_due": False,
        "root_cause": DenialCategory(f["category"]).label,  # prefilled; confirmed on close
        "new_claim_reference": "",
        "write_off_requested": False,
        "write_off_reason": "",
        **fields,
    }
    return tuple(values[c] for c in ITEM_COLUMNS)


def _activity(item_id, at, kind, from_status, to_status, note, actor_id=None) -> tuple:
    return (item_id, at, actor_id, kind, from_status, to_status, note)


RESCORE_FIELDS = [
    "payer",
    "appeal_deadline",
    "refile_deadline",
    "deadline",
    "deadline_state",
    "recovery_probability",
    "expected_net_recovery",
    "priority",
    "priority_explanation",
    "problem",
]


def worklist_rescore(
    *,
    payer_id: int | None = None,
    category: str | None = None,
    today: date | None = None,
    batch: int = 5000,
) -> int:
    """Recompute deadlines, deadline state and priority of open items (all, or one payer's
    and/or one category's), in batches. Returns the number of items rescored. A rejection
    item without a payer takes its submitted claim's once the claims app has mapped it."""
    qs = (
        WorklistItem.objects.open().select_related("payer", "submitted_claim__payer").order_by("id")
    )
    if payer_id is not None:
        qs = qs.filter(payer_id=payer_id)
    if category:
        qs = qs.filter(category=category)
    done, last = 0, 0
    while True:
        items = list(qs.filter(id__gt=last)[:batch])
        if not items:
            return done
        for item in items:
            if item.payer_id is None and item.submitted_claim_id:
                item.payer = item.submitted_claim.payer
        ctx = Context.load({i.payer_id: i.payer.payer_type for i in items if i.payer_id}, today)
        for item in items:
            fields = {f.name: getattr(item, f.name) for f in WorklistItem._meta.concrete_fields}
            if item.submitted_claim_id:
                fields["payer_identifier"] = item.submitted_claim.payer_identifier
            try:
                computed = _timing_and_score(fields, item.payer_id, ctx)
            except Exception as exc:  # noqa: BLE001 - one bad rule must not stop the rescore
                logger.exception("rescore failed for item %s; flagged for review", item.pk)
                unscored = _unscored(exc)
                computed = {k: unscored[k] for k in ("deadline", "deadline_state", "problem")}
            for name, value in computed.items():
                setattr(item, name, value)
        with transaction.atomic():
            WorklistItem.objects.bulk_update(items, RESCORE_FIELDS, batch_size=1000)
        done += len(items)
        last = items[-1].id


def worklist_deadline_report() -> dict:
    """Open items per deadline state: what the nightly sweep reports (never drops)."""
    rows = WorklistItem.objects.open().values_list("deadline_state").annotate(n=Count("id"))
    return dict(rows)
