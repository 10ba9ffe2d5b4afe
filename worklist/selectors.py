"""Reads for the worklist: the rules and figures scoring and routing need, and queues."""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, FloatField, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Least
from django.utils import timezone

from denials.models import ReasonCode

from .choices import OPEN_STATUSES, ItemKind, Resolution
from .deadlines import Rule
from .filtersets import WorklistItemFilterSet
from .models import Activity, CategoryPolicy, PayerRule, RoutingRule, Team, WorklistItem
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


def reason_control_points() -> dict[str, str]:
    """CARC -> the control point where such denials usually start (catalog data)."""
    return dict(ReasonCode.objects.exclude(control_point="").values_list("code", "control_point"))


def category_policies() -> dict[str, Policy]:
    return {
        p.category: Policy(p.prior_recovery_rate, p.prior_weight, p.work_cost)
        for p in CategoryPolicy.objects.all()
    }


def recovery_outcomes() -> Outcomes:
    """Resolved items' recovered fraction, summed and counted per payer, category and
    reason code. Items moved to the patient or a secondary payer are not payer outcomes,
    nor are rejection items (never adjudicated: ``worklist.rejections``)."""
    # Divide as floats: SQLite stores whole amounts as integers and would divide them as
    # integers (600/1000 = 0), so partial recoveries would count as nothing.
    fraction = Least(
        Cast("recovered_amount", FloatField()) / Cast("open_amount", FloatField()),
        Value(1.0),
    )
    rows = (
        WorklistItem.objects.filter(kind=ItemKind.DENIAL, status="resolved", open_amount__gt=0)
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


# ---- Queues: keyset pagination, so page 1,000 costs what page 1 does ----------------

SORTS = {
    # name: (keys, all descending?) — the default is the queue order.
    "priority": ["follow_up_due", "priority", "id"],
    "deadline": ["deadline_key", "id"],
    "amount": ["open_amount", "id"],
    "service_date": ["service_key", "id"],
}
ASCENDING_SORTS = {"deadline", "service_date"}  # soonest first


@dataclass(frozen=True)
class QueuePage:
    items: list
    next_cursor: str | None
    sort: str  # as asked: "deadline", or "-deadline" for the other way round
    sort_key: str = "priority"
    descending: bool = True


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str | None) -> list | None:
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error):
        return None
    return values if isinstance(values, list) else None


def queue_page(
    *,
    queryset: QuerySet[WorklistItem],
    sort: str = "priority",
    cursor: str | None = None,
    size: int = 50,
) -> QueuePage:
    """One page of a queue in ``sort`` order, after ``cursor`` (from the previous page).
    Every key sorts in one direction, so the page boundary is a single row comparison
    that PostgreSQL answers from the queue index."""
    flipped = sort.startswith("-")
    sort_key = sort.removeprefix("-")
    if sort_key not in SORTS:
        sort, sort_key, flipped = "priority", "priority", False
    keys = SORTS[sort_key]
    qs = annotated = queryset.annotate(
        deadline_key=Coalesce("deadline", Value(date(9999, 12, 31))),
        service_key=Coalesce("service_date", Value(date(9999, 12, 31))),
    )
    ascending = (sort_key in ASCENDING_SORTS) != flipped  # every column sorts both ways
    after = decode_cursor(cursor)
    params = _cursor_params(keys, after) if after and len(after) == len(keys) else None
    if params is not None:
        columns = ", ".join(_key_sql(k) for k in keys)
        marks = ", ".join(["%s"] * len(keys))
        op = ">" if ascending else "<"
        qs = qs.filter(
            RawSQL(
                f"({columns}) {op} ({marks})",
                params,
                output_field=BooleanField(),
            )
        )
    order = keys if ascending else [f"-{k}" for k in keys]
    # Two steps: the page's ids from the queue index alone (no joins: with them the
    # planner misjudged a deep keyset condition and sorted 100,000 joined rows), then
    # those rows with their payer, team and assignee.
    ids = list(qs.order_by(*order).values_list("pk", flat=True)[: size + 1])
    found = {row.pk: row for row in annotated.filter(pk__in=ids)}
    rows = [found[pk] for pk in ids if pk in found]
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor([_key_value(rows[-1], k) for k in keys]) if more else None
    return QueuePage(rows, next_cursor, sort, sort_key, not ascending)


KEY_SQL = {
    "deadline_key": 'COALESCE("worklist_worklistitem"."deadline", \'9999-12-31\')',
    "service_key": 'COALESCE("worklist_worklistitem"."service_date", \'9999-12-31\')',
}


def _key_sql(key: str) -> str:
    return KEY_SQL.get(key, f'"worklist_worklistitem"."{key}"')


def _key_value(item: WorklistItem, key: str):
    value = getattr(item, key)
    return value.isoformat() if isinstance(value, date) else value


def _cursor_params(keys: list[str], values: list) -> list | None:
    """The cursor's values typed for SQL, or None when the cursor is not one we made
    (a tampered or stale link then shows the first page rather than an error)."""
    params = []
    try:
        for key, value in zip(keys, values, strict=True):
            if key == "follow_up_due":
                params.append(bool(value))
            elif key in ("priority", "open_amount"):
                params.append(Decimal(str(value)))
            elif key in ("deadline_key", "service_key"):
                params.append(date.fromisoformat(str(value)))
            else:
                params.append(int(value))
    except (ValueError, TypeError, ArithmeticError):
        return None
    return params


# What a queue row shows (and what sorting and paging read): nothing else is fetched.
QUEUE_ROW_FIELDS = [
    "id",
    "kind",
    "status",
    "category",
    "reason_code",
    "patient_control_number",
    "open_amount",
    "priority",
    "follow_up_due",
    "deadline",
    "deadline_state",
    "service_date",
    "write_off_requested",
    "team_id",
    "payer__name",
    "assignee__username",
    "team__name",
    "team__slug",
]


def queue_queryset(*, user, scope: str, filters: dict | None = None) -> QuerySet[WorklistItem]:
    """The open items behind a queue page: ``scope`` is "mine" (assigned to the user) or
    a team slug (the user's team, or any team for a manager; else nothing), filtered like
    the API. Access: "mine" reads through ``WorklistItem.objects.for_user``; a team queue
    is resolved through ``Team.objects.for_user`` first (a biller's own teams, any team for
    a manager), and then filters on a plain ``team_id = n`` with no membership join, which
    PostgreSQL answers from the partial queue index however deep the page (the join made
    a page 100,000 items down take seconds: docs/benchmarks.md)."""
    if scope == "mine":
        qs = WorklistItem.objects.for_user(user).filter(assignee=user)
    else:
        team_id = Team.objects.for_user(user).filter(slug=scope).values_list("id", flat=True)[:1]
        team_id = next(iter(team_id), None)
        if team_id is None:
            return WorklistItem.objects.none()
        qs = WorklistItem.objects.filter(team_id=team_id)
    qs = (
        qs.filter(status__in=OPEN_STATUSES)
        .select_related("payer", "assignee", "team")
        .only(*QUEUE_ROW_FIELDS)
    )
    return WorklistItemFilterSet(filters, queryset=qs).qs


DENIAL_ITEMS = Q(kind=ItemKind.DENIAL)
REJECTION_ITEMS = Q(kind=ItemKind.REJECTION)


def kind_counts() -> dict:
    """Open denial items and dollars, their at-risk and missed deadlines; and, apart,
    open rejection items (never counted as denials) and their dollars and missed ones."""
    return {
        "open": Count("id", filter=DENIAL_ITEMS),
        "dollars": Sum("open_amount", filter=DENIAL_ITEMS, default=Decimal(0)),
        "at_risk": Count("id", filter=DENIAL_ITEMS & Q(deadline_state="at_risk")),
        "missed": Count("id", filter=DENIAL_ITEMS & Q(deadline_state="missed")),
        "rejections": Count("id", filter=REJECTION_ITEMS),
        "rejection_dollars": Sum("open_amount", filter=REJECTION_ITEMS, default=Decimal(0)),
        "rejections_missed": Count("id", filter=REJECTION_ITEMS & Q(deadline_state="missed")),
    }


def team_overview(*, today: date | None = None) -> list[dict]:
    """Per team and per member: open denial items and dollars, at-risk and missed
    deadlines, open rejection items apart (``_kind_counts``), and items worked today
    (activities by a person)."""
    today = today or timezone.localdate()
    open_items = WorklistItem.objects.open()
    per_team = {
        row["team_id"]: row
        for row in open_items.values("team_id").annotate(
            **kind_counts(),
            unassigned=Count("id", filter=Q(assignee__isnull=True)),
        )
    }
    review = dict(
        WorklistItem.objects.past_every_deadline(today)
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    per_member = {}
    for row in (
        open_items.filter(assignee__isnull=False)
        .values("team_id", "assignee_id")
        .annotate(**kind_counts())
    ):
        per_member[(row["team_id"], row["assignee_id"])] = row
    worked = dict(
        Activity.objects.filter(at__date=today, actor__isnull=False)
        .values("actor_id")
        .annotate(n=Count("item_id", distinct=True))
        .values_list("actor_id", "n")
    )
    teams = []
    for team in Team.objects.prefetch_related("members"):
        empty = {
            "open": 0,
            "dollars": Decimal(0),
            "at_risk": 0,
            "missed": 0,
            "rejections": 0,
            "rejection_dollars": Decimal(0),
            "rejections_missed": 0,
        }
        members = [
            {
                "user": m,
                **(per_member.get((team.id, m.id)) or empty),
                "worked_today": worked.get(m.id, 0),
            }
            for m in team.members.all()
        ]
        teams.append(
            {
                "team": team,
                **(per_team.get(team.id) or {**empty, "unassigned": 0}),
                "write_off_review": review.get(team.id, 0),
                "members": members,
            }
        )
    return teams
