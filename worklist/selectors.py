"""Reads for the worklist: the rules and figures scoring and routing need, and queues."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Least

from .choices import Resolution
from .deadlines import Rule
from .filtersets import WorklistItemFilterSet
from .models import CategoryPolicy, PayerRule, RoutingRule, Team, WorklistItem
from .routing import RouteRule
from .scoring import Outcomes, Policy

DEFAULT_POLICY = Policy(Decimal("0.35"), 10, Decimal("25"))


def routing_table() -> tuple[list[RouteRule], int]:
    """Active routing rules in order, and the default team's id."""
    rules = [
        RouteRule(
            id=r.id,
            name=r.name,
            team_id=r.team_id,
            payer_id=r.payer_id,
            payer_type=r.payer_type,
            category=r.category,
            reason_code=r.reason_code,
            min_amount=r.min_amount,
            max_amount=r.max_amount,
            rendering_provider_id=r.rendering_provider_id,
            procedure_code=r.procedure_code,
            revenue_code=r.revenue_code,
        )
        for r in RoutingRule.objects.filter(active=True).order_by("order", "id")
    ]
    default = Team.objects.filter(is_default=True).values_list("id", flat=True).first()
    if default is None:
        default = Team.objects.get_or_create(
            slug="unrouted", defaults={"name": "Unrouted", "is_default": True}
        )[0].id
    return rules, default


def payer_rules(payer_types: dict[int, str]) -> dict[int, list[Rule]]:
    """Deadline rules per payer: its own first, then its type's defaults."""
    own, by_type = defaultdict(list), defaultdict(list)
    scope = Q(payer_id__in=payer_types) | Q(
        payer__isnull=True, payer_type__in=set(payer_types.values())
    )
    for r in PayerRule.objects.filter(scope).order_by("-effective_from"):
        rule = Rule(
            kind=r.kind,
            months=r.months,
            days=r.days,
            basis=r.basis,
            receipt_grace_days=r.receipt_grace_days,
            min_amount=r.min_amount_in_controversy,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            scope=f"payer {r.payer_id}" if r.payer_id else f"type {r.payer_type}",
        )
        (own[r.payer_id] if r.payer_id else by_type[r.payer_type]).append(rule)
    return {pid: own[pid] + by_type[ptype] for pid, ptype in payer_types.items()}


def category_policies() -> dict[str, Policy]:
    return {
        p.category: Policy(p.prior_recovery_rate, p.prior_weight, p.work_cost)
        for p in CategoryPolicy.objects.all()
    }


def recovery_outcomes() -> Outcomes:
    """Resolved items' recovered fraction, summed and counted per payer, category and
    reason code. Items moved to the patient or a secondary payer are not payer outcomes."""
    # Divide as floats: SQLite stores whole amounts as integers and would divide them as
    # integers (600/1000 = 0), so partial recoveries would count as nothing.
    fraction = Least(
        Cast("recovered_amount", FloatField()) / Cast("open_amount", FloatField()),
        Value(1.0),
    )
    rows = (
        WorklistItem.objects.filter(status="resolved", open_amount__gt=0)
        .exclude(resolution=Resolution.PATIENT_OR_SECONDARY)
        .values("payer_id", "category", "reason_code")
        .annotate(total=Sum(fraction), count=Count("id"))
    )
    out = Outcomes()
    for row in rows:
        total, count = Decimal(str(round(row["total"] or 0, 6))), row["count"]
        out.by_reason[(row["payer_id"], row["category"], row["reason_code"])] = (total, count)
        for key, level in (
            ((row["payer_id"], row["category"]), out.by_payer),
            (row["category"], out.by_category),
        ):
            t, c = level.get(key, (Decimal(0), 0))
            level[key] = (t + total, c + count)
    return out


def worklist_for_user(*, user, filters: dict | None = None) -> QuerySet[WorklistItem]:
    """The items a user may see, filtered, highest priority first."""
    qs = WorklistItem.objects.for_user(user).select_related("payer", "team", "assignee")
    return WorklistItemFilterSet(filters, queryset=qs).qs.order_by("-priority", "id")
