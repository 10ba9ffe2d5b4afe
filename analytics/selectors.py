"""The cuts the dashboards read, built only from the public metrics
(``analytics.metrics``, ``analytics.item_metrics``), the facts they aggregate
(``analytics.facts``) and ``appeals.selectors``: so a rollup table under the facts serves
the dashboards too. Read only; every function takes ``MetricFilters``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Concat

from appeals.models import Appeal
from appeals.selectors import overturn_by_reason_code, overturn_figures
from denials.querysets import code_condition
from remittance.models import Payer
from worklist.models import Team

from . import alerts
from .filters import (
    MetricFilters,
    appeal_condition,
    daily_sums_apply,
    denial_fact_condition,
    fact_adjudicated_condition,
    payer_cut,
)
from .metrics import Metrics
from .models import AdjudicationDay, ClaimFact, DenialDay, DenialFact, IndustryReference
from .results import Metric, ratio

# The overview's headline figures: name, label, unit, and whether lower is better.
HEADLINES = (
    ("initial_denial_rate", "Initial denial rate", "rate", True),
    ("denial_rate", "Denial rate (adjudicated claims)", "rate", True),
    ("clean_claim_rate", "Clean-claim rate", "rate", False),
    ("first_pass_yield", "First-pass yield", "rate", False),
    ("overturn_rate", "Overturn rate", "rate", False),
    ("overturn_rate_dollars", "Share paid on appeal ($)", "rate", False),
    ("days_in_ar", "Days in A/R (insurance, gross)", "days", True),
    ("preventable_share", "Preventable share", "rate", True),
    ("denial_write_off_rate", "Denial write-off rate", "rate", True),
)


# -- periods


def whole_months(f: MetricFilters) -> bool:
    last = calendar.monthrange(f.date_to.year, f.date_to.month)[1]
    return f.date_from.day == 1 and f.date_to.day == last


def earlier(f: MetricFilters, steps: int = 1) -> MetricFilters:
    """The period ``steps`` periods before ``f`` (calendar months when ``f`` is whole
    months, else the same number of days)."""
    if whole_months(f):
        first = _add_months(f.date_from, -steps * f.months)
        last_month = _add_months(f.date_to.replace(day=1), -steps * f.months)
        end = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
        return replace(f, date_from=first, date_to=end)
    length = (f.date_to - f.date_from).days + 1
    shift = timedelta(days=length * steps)
    return replace(f, date_from=f.date_from - shift, date_to=f.date_to - shift)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def weeks_ending(f: MetricFilters, count: int) -> list[MetricFilters]:
    """``count`` 7-day weeks, oldest first, the last ending on the period's last day."""
    return [
        replace(
            f,
            date_from=f.date_to - timedelta(days=7 * n + 6),
            date_to=f.date_to - timedelta(days=7 * n),
        )
        for n in reversed(range(count))
    ]


# -- overview


@dataclass
class Tile:
    name: str
    label: str
    unit: str
    lower_is_better: bool
    metric: Metric
    previous: Metric
    references: list = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.metric.value is None or self.previous.value is None:
            return None
        return self.metric.value - self.previous.value

    @property
    def better(self) -> bool | None:
        if not self.change:
            return None
        return (self.change < 0) == self.lower_is_better


def headline_tiles(f: MetricFilters) -> list[Tile]:
    """The headline figures for the period and the period before, each with the
    published references for it."""
    now, before = Metrics(f), Metrics(earlier(f))
    refs: dict[str, list] = {}
    for ref in IndustryReference.objects.all():
        refs.setdefault(ref.metric, []).append(ref)
    return [
        Tile(
            name,
            label,
            unit,
            lower,
            getattr(now, name)(),
            getattr(before, name)(),
            refs.get(name, []),
        )
        for name, label, unit, lower in HEADLINES
    ]


def metric_trend(f: MetricFilters, names: list[str], periods: int = 6) -> list[dict]:
    """``names`` for the period and the ``periods - 1`` before it, oldest first."""
    out = []
    for steps in reversed(range(periods)):
        g = earlier(f, steps) if steps else f
        m = Metrics(g)
        out.append({"filters": g, **{name: getattr(m, name)() for name in names}})
    return out


def weekly_trend(f: MetricFilters, weeks: int = 12) -> list[dict]:
    """Per week: the denial rate, rejections (originals submitted with a 277CA/999
    rejection: the clean-claim rate's denominator less its numerator) and overturns."""
    out = []
    for g in weeks_ending(f, weeks):
        m = Metrics(g)
        clean = m.clean_claim_rate()
        out.append(
            {
                "filters": g,
                "denial_rate": m.denial_rate(),
                "clean_claim_rate": clean,
                "rejections": (clean.denominator or 0) - (clean.numerator or 0),
                "overturn_rate": m.overturn_rate(),
            }
        )
    return out


# -- denials by cut (the denials on claims first adjudicated in the period)


GROUPS = {  # None: the stored fact's own column, under the same name
    "payer": None,
    "category": None,
    "reason": Concat("group_code", Value("-"), "reason_code", output_field=CharField()),
    "control_point": None,
    "provider": None,
    "team": None,
}


def denial_breakdown(f: MetricFilters, by: list[str]) -> list[dict]:
    """Denied dollars and claims by ``by`` (keys of ``GROUPS``), over the denials on the
    claims first adjudicated in the period (the denial rates' numerator), largest
    dollars first. Read from the stored denial facts; ``analytics.raw_metrics`` has the
    same from the raw rows."""
    rows = (
        DenialFact.objects.filter(
            denial_fact_condition(f),
            _claim_side(f, f.date_from),
            adjudicated_on__range=(f.date_from, f.date_to),
        )
        .annotate(**{name: GROUPS[name] for name in by if GROUPS[name] is not None})
        .values(*by)
        .annotate(dollars=Sum("denied_amount"), claims=Count("fact_id", distinct=True))
        .order_by("-dollars", *by)
    )
    return list(rows)


def root_cause(f: MetricFilters) -> dict:
    """Category x control point x provider in denied dollars, and the preventable share
    (dollars with a control point: a step of the provider's own process)."""
    rows = denial_breakdown(f, ["category", "control_point", "provider"])
    total = sum((r["dollars"] for r in rows), Decimal(0))
    preventable = sum((r["dollars"] for r in rows if r["control_point"]), Decimal(0))
    by_point = denial_breakdown(f, ["control_point"])
    return {
        "rows": rows,
        "by_control_point": by_point,
        "total": total,
        "preventable": preventable,
        "share": float(preventable / total) if total else None,
        "items_share": Metrics(f).preventable_share(),
    }


def top_preventable(f: MetricFilters, limit: int = 5) -> list[dict]:
    rows = denial_breakdown(f, ["control_point", "category"])
    return [r for r in rows if r["control_point"]][:limit]


# -- appeals


def decided_appeals(f: MetricFilters):
    return Appeal.objects.filter(appeal_condition(f), decided_on__range=(f.date_from, f.date_to))


def overturns(f: MetricFilters, by: list[str]) -> list[dict]:
    return overturn_figures(decided_appeals(f), by=by)


def overturns_by_code(f: MetricFilters) -> list[dict]:
    return overturn_by_reason_code(decided_appeals(f))


# -- scorecards


def payer_scorecards(f: MetricFilters, codes_per_payer: int = 5) -> list[dict]:
    """Per payer and, under it, its top reason codes: denial rate, overturn rate, days
    to an appeal decision, share paid on appeal and recovered dollars. A code's denial
    rate is ``Metrics`` with that reason-code cut, its numerators counted for every
    payer and code in one query."""
    by_code_dollars = denial_breakdown(f, ["payer", "reason"])
    appeal_rows = {r["payer"]: r for r in overturns(f, ["payer"])}
    payer_ids = {r["payer"] for r in by_code_dollars} | set(appeal_rows)
    if f.payer:
        payer_ids &= {f.payer}
    payers = list(Payer.objects.filter(pk__in=payer_ids).order_by("name"))
    plans = []
    for payer in payers:
        g = replace(f, payer=payer.pk)
        by_code = {r["reason_code"]: r for r in overturns_by_code(g)}
        top = [r["reason"] for r in by_code_dollars if r["payer"] == payer.pk]
        top = top[:codes_per_payer]
        codes = top + [c for c in by_code if c not in top and "-" in c][:codes_per_payer]
        plans.append((payer, g, by_code, codes))
    denied = _claims_denied_with(f, {code for *_, codes in plans for code in codes})
    cards = []
    for payer, g, by_code, codes in plans:
        total = Metrics(g).denial_rate()
        lines = [
            _score_line(
                code,
                ratio(denied.get((payer.pk, code), 0), total.denominator, total.formula),
                by_code.get(code),
            )
            for code in codes
        ]
        total_line = _score_line("", total, appeal_rows.get(payer.pk))
        cards.append({"payer": payer, "filters": g, "total": total_line, "lines": lines})
    return cards


def _claims_denied_with(f: MetricFilters, codes: set[str]) -> dict[tuple[int, str], int]:
    """Per payer and reason code: claims first adjudicated in the period (in ``f``'s
    cuts) with a denial in the cuts carrying that code (the denial rate's numerator with
    that payer and reason-code cut)."""
    if not codes:
        return {}
    codes = sorted(codes)
    rows = (
        DenialFact.objects.filter(
            denial_fact_condition(f),
            _claim_side(f, f.date_from),
            adjudicated_on__range=(f.date_from, f.date_to),
        )
        .values("payer")
        .annotate(
            **{
                f"c{i}": Count("fact_id", distinct=True, filter=code_condition(code))
                for i, code in enumerate(codes)
            }
        )
        .order_by()
    )
    return {(row["payer"], code): row[f"c{i}"] for row in rows for i, code in enumerate(codes)}


def _score_line(code: str, denial_rate: Metric, appeals: dict | None) -> dict:
    appeals = appeals or {}
    return {
        "reason_code": code,
        "denial_rate": denial_rate,
        "decided": appeals.get("decided", 0),
        "overturn_rate": appeals.get("overturn_rate"),
        "days_to_decision": appeals.get("mean_days_to_decision"),
        "paid_share": appeals.get("overturn_rate_dollars"),
        "recovered": appeals.get("recovered", Decimal(0)),
    }


# -- operations


def team_figures(f: MetricFilters) -> list[dict]:
    """Per team: dollars at risk by deadline window and productivity figures."""
    out = []
    for team in Team.objects.order_by("name"):
        m = Metrics(replace(f, team=team.pk))
        out.append(
            {
                "team": team,
                "at_risk": m.dollars_at_risk(),
                "days_to_first_action": m.days_to_first_action(),
                "worked_within_7_days": m.worked_within_7_days(),
                "days_to_resolution": m.days_to_resolution(),
                "recovery_yield": m.recovery_yield(),
            }
        )
    return out


# -- payer behaviour alerts


def category_weeks(
    f: MetricFilters, weeks: int = alerts.TRAILING_WEEKS + 1
) -> list[tuple[Payer, str, list[alerts.WeekCount]]]:
    """Per payer and denial category, the weekly counts the alert test reads: claims
    first adjudicated in each 7-day week ending on the period's last day, and of them
    those with a denial in the category. Oldest week first."""
    start = f.date_to - timedelta(days=7 * weeks - 1)
    totals: dict[int, list[int]] = {}
    for payer_id, week, n in _adjudicated_by_week(f, start, weeks):
        totals.setdefault(payer_id, [0] * weeks)[week] += n
    denied: dict[tuple[int, str], list[int]] = {}
    for payer_id, category, week, n in _denied_by_week(f, start, weeks):
        denied.setdefault((payer_id, category), [0] * weeks)[week] += n
    payers = Payer.objects.in_bulk(list(totals))
    return [
        (payers[pid], cat, [alerts.WeekCount(d, totals[pid][i]) for i, d in enumerate(counts)])
        for (pid, cat), counts in sorted(denied.items())
        if pid in payers
    ]


def _week_of(field: str, start: date, weeks: int) -> Case:
    """The 7-day week from ``start`` (0 the oldest) that the date ``field`` falls in, so
    the database sums by week rather than sending a row per day."""
    return Case(
        *(
            When(
                **{
                    f"{field}__range": (
                        start + timedelta(days=7 * n),
                        start + timedelta(days=7 * n + 6),
                    )
                },
                then=Value(n),
            )
            for n in range(weeks)
        ),
        output_field=IntegerField(),
    )


def _denied_by_week(f: MetricFilters, start: date, weeks: int):
    """(payer, category, week, claims first adjudicated with a denial in the category):
    from the daily counts when the cuts allow them (payer and category cuts only), else
    from the denial facts. A claim's facts share one day, so daily counts add up."""
    if daily_sums_apply(f) and not (f.reason_code or f.control_point or f.team):
        cells = DenialDay.objects.filter(payer_cut(f, "payer"), day__range=(start, f.date_to))
        if f.category:
            cells = cells.filter(category=f.category)
        return (
            cells.annotate(week=_week_of("day", start, weeks))
            .values_list("payer_id", "category", "week")
            .annotate(n=Sum("claims"))
            .order_by()
        )
    return (
        DenialFact.objects.filter(
            denial_fact_condition(f),
            _claim_side(f, start),
            adjudicated_on__range=(start, f.date_to),
        )
        .annotate(week=_week_of("adjudicated_on", start, weeks))
        .values_list("payer", "category", "week")
        .annotate(n=Count("fact_id", distinct=True))
        .order_by()
    )


def _adjudicated_by_week(f: MetricFilters, start: date, weeks: int):
    """(payer, week, claims first adjudicated): from the daily sums when the cuts allow
    them (no provider, location or code cut), else from the claim facts."""
    if daily_sums_apply(f):
        cells = AdjudicationDay.objects.filter(payer_cut(f, "payer"), day__range=(start, f.date_to))
        return (
            cells.annotate(week=_week_of("day", start, weeks))
            .values_list("payer_id", "week")
            .annotate(n=Sum("claims"))
            .order_by()
        )
    facts_in = ClaimFact.objects.filter(
        fact_adjudicated_condition(f), adjudicated_on__range=(start, f.date_to)
    )
    return (
        facts_in.annotate(week=_week_of("adjudicated_on", start, weeks))
        .values_list("adjudicated_payer_id", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _claim_side(f: MetricFilters, start: date) -> Q:
    """The claim-side cuts of denial facts: the payer's on their own copy when those are
    the only ones (no join), else the claim facts in the cuts (a subquery)."""
    if daily_sums_apply(f):
        return payer_cut(f, "payer")
    facts_in = ClaimFact.objects.filter(
        fact_adjudicated_condition(f), adjudicated_on__range=(start, f.date_to)
    )
    return Q(fact__in=facts_in.values("pk"))


def payer_alerts(f: MetricFilters) -> list[alerts.Alert]:
    """The flagged payer-category rises for the week ending on the period's last day."""
    return alerts.alerts(category_weeks(f))
