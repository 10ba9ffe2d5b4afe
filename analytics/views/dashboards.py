"""Overview, payer and root-cause dashboards."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from denials.choices import ControlPoint, DenialCategory
from remittance.models import Payer

from .. import selectors
from ..metrics import Metrics
from ..tables import (
    Cell,
    Table,
    appeals_url,
    claims_url,
    denials_url,
    dollars,
    metric_cell,
    num,
    pct,
)
from .base import DashboardView

CATEGORIES = dict(DenialCategory.choices)
POINTS = {**dict(ControlPoint.choices), "": "None (not preventable)"}
TILE_LINKS = {
    "initial_denial_rate": "denials",
    "denial_rate": "denials",
    "clean_claim_rate": "claims",
    "first_pass_yield": "claims",
    "overturn_rate": "appeals",
    "overturn_rate_dollars": "appeals",
    "days_in_ar": "claims_to_date",
    "preventable_share": "denials",
    "denial_write_off_rate": "denials",
}


def tile_url(name: str, f) -> str:
    kind = TILE_LINKS[name]
    if kind == "denials":
        return denials_url(f)
    if kind == "appeals":
        return appeals_url(f)
    return claims_url(f, since=kind == "claims")


def line_chart(chart_id: str, labels: list[str], series: dict[str, list], unit="rate") -> dict:
    return {
        "id": chart_id,
        "spec": {
            "type": "line",
            "unit": unit,
            "labels": labels,
            "datasets": [{"label": k, "data": v} for k, v in series.items()],
        },
    }


def bar_chart(chart_id: str, labels: list[str], series: dict[str, list], unit="dollars") -> dict:
    chart = line_chart(chart_id, labels, series, unit)
    chart["spec"]["type"] = "bar"
    return chart


def alerts_table(found, f) -> Table:
    table = Table(
        "alerts",
        "Payer behaviour alerts",
        ["Payer", "Category", "This week", "Trailing 8 weeks", "Claims this week", "z", "p"],
        numeric={2, 3, 4, 5, 6},
    )
    for a in found:
        t, g = a.test, replace(f, payer=a.payer.pk, category=a.category)
        week = replace(g, date_from=f.date_to - timedelta(days=6))
        table.add(
            Cell(a.payer.name, a.payer.name),
            Cell(a.category, CATEGORIES.get(a.category, a.category)),
            Cell(t.rate, pct(t.rate), denials_url(week)),
            Cell(t.base_rate, pct(t.base_rate)),
            Cell(t.claims, f"{t.claims:,}"),
            Cell(round(t.z, 2), num(t.z, 2)),
            Cell(t.p_value, f"{t.p_value:.4f}"),
        )
    return table


class OverviewView(DashboardView):
    template_name = "analytics/overview.html"
    title = "Overview"
    slug = "overview"

    def build(self, f) -> dict:
        tiles = selectors.headline_tiles(f)
        for tile in tiles:
            tile.url = tile_url(tile.name, f)
        table = Table(
            "headlines",
            "Headline figures",
            ["Metric", "Value", "Numerator", "Denominator", "Previous period", "Formula"],
            numeric={1, 2, 3, 4},
        )
        for t in tiles:
            cell = metric_cell(t.metric, t.unit, t.url)
            table.add(
                Cell(t.label, t.label),
                cell,
                Cell(t.metric.numerator, num(t.metric.numerator, 2), t.url),
                Cell(t.metric.denominator, num(t.metric.denominator, 2)),
                metric_cell(t.previous, t.unit),
                Cell(t.metric.formula, t.metric.formula),
            )
        names = ["denial_rate", "clean_claim_rate", "first_pass_yield", "overturn_rate"]
        trend = selectors.metric_trend(f, names)
        trend_table = Table("trend", "Trend", ["From", "To", *names], numeric={2, 3, 4, 5})
        for row in trend:
            g = row["filters"]
            trend_table.add(
                Cell(g.date_from, g.date_from.isoformat()),
                Cell(g.date_to, g.date_to.isoformat()),
                *(metric_cell(row[n], "rate", tile_url(n, g)) for n in names),
            )
        labels = [f"{r['filters'].date_from:%Y-%m-%d}" for r in trend]
        chart = line_chart("chart-trend", labels, {n: [r[n].value for r in trend] for n in names})
        found = selectors.payer_alerts(f)
        return {
            "tiles": tiles,
            "alerts": found,
            "tables": [table, trend_table, alerts_table(found, f)],
            "charts": [chart],
        }


class PayerView(DashboardView):
    template_name = "analytics/payer.html"
    title = "Payer"
    slug = "payer"

    def build(self, f) -> dict:
        payers = Payer.objects.order_by("name")
        if not f.payer:
            return {"payers": payers, "tables": []}
        payer = payers.get(pk=f.payer)
        weeks = selectors.weekly_trend(f)
        weekly = Table(
            "weekly",
            "Weekly trend",
            [
                "Week from",
                "Week to",
                "Denial rate",
                "Clean-claim rate",
                "Rejections",
                "Overturn rate",
            ],
            numeric={2, 3, 4, 5},
        )
        for w in weeks:
            g = w["filters"]
            weekly.add(
                Cell(g.date_from, g.date_from.isoformat()),
                Cell(g.date_to, g.date_to.isoformat()),
                metric_cell(w["denial_rate"], url=denials_url(g)),
                metric_cell(w["clean_claim_rate"], url=claims_url(g)),
                Cell(w["rejections"], f"{w['rejections']:,}", claims_url(g, status="rejected")),
                metric_cell(w["overturn_rate"], url=appeals_url(g)),
            )
        chart = line_chart(
            "chart-weekly",
            [f"{w['filters'].date_from:%m-%d}" for w in weeks],
            {
                "Denial rate": [w["denial_rate"].value for w in weeks],
                "Clean-claim rate": [w["clean_claim_rate"].value for w in weeks],
            },
        )
        codes = self.breakdown(f, "reason", "reason_code", "Top reason codes", "Reason code")
        categories = self.breakdown(f, "category", "category", "Categories", "Category")
        levels = self.levels(f)
        m = Metrics(f)
        found = [a for a in selectors.payer_alerts(f) if a.payer.pk == payer.pk]
        return {
            "payer": payer,
            "payers": payers,
            "days_in_ar": metric_cell(m.days_in_ar(), "days", claims_url(f, since=False)),
            "alerts": found,
            "tables": [weekly, codes, categories, levels, alerts_table(found, f)],
            "charts": [chart, self.bar(codes, "chart-codes")],
        }

    def breakdown(self, f, group: str, param: str, title: str, label: str) -> Table:
        table = Table(group, title, [label, "Denied $", "Claims"], numeric={1, 2})
        for row in selectors.denial_breakdown(f, [group])[:10]:
            key = row[group]
            url = denials_url(replace(f, **{param: key}))
            text = CATEGORIES.get(key, key) if group == "category" else key
            table.add(
                Cell(key, text),
                Cell(row["dollars"], dollars(row["dollars"]), url),
                Cell(row["claims"], f"{row['claims']:,}", url),
            )
        return table

    def bar(self, table: Table, chart_id: str) -> dict:
        labels = [r[0].text for r in table.rows]
        return bar_chart(chart_id, labels, {"Denied $": [float(r[1].value) for r in table.rows]})

    def levels(self, f) -> Table:
        table = Table(
            "levels",
            "Appeals by level",
            [
                "Level",
                "Decided",
                "Overturn rate",
                "Share paid ($)",
                "Days to decision",
                "Recovered $",
            ],
            numeric={1, 2, 3, 4, 5},
        )
        for row in selectors.overturns(f, ["level"]):
            url = appeals_url(f, level=row["level"])
            table.add(
                Cell(row["level"], row["level"]),
                Cell(row["decided"], f"{row['decided']:,}", url),
                Cell(row["overturn_rate"], pct(row["overturn_rate"]), url),
                Cell(row["overturn_rate_dollars"], pct(row["overturn_rate_dollars"]), url),
                Cell(row["mean_days_to_decision"], num(row["mean_days_to_decision"])),
                Cell(row["recovered"], dollars(row["recovered"]), url),
            )
        return table


class RootCauseView(DashboardView):
    template_name = "analytics/root_cause.html"
    title = "Root cause"
    slug = "root-cause"

    def build(self, f) -> dict:
        data = selectors.root_cause(f)
        table = Table(
            "root_cause",
            "Category x control point x provider",
            ["Category", "Control point", "Provider NPI", "Denied $", "Claims", "Share of $"],
            numeric={3, 4, 5},
        )
        total = data["total"]
        for row in data["rows"]:
            g = replace(
                f,
                category=row["category"],
                control_point=row["control_point"],
                provider=row["provider"] or f.provider,
            )
            url = denials_url(g)
            share = float(row["dollars"] / total) if total else None
            table.add(
                Cell(row["category"], CATEGORIES.get(row["category"], row["category"])),
                Cell(row["control_point"], POINTS.get(row["control_point"], row["control_point"])),
                Cell(row["provider"], row["provider"] or "—"),
                Cell(row["dollars"], dollars(row["dollars"]), url),
                Cell(row["claims"], f"{row['claims']:,}", url),
                Cell(share, pct(share)),
            )
        points = Table(
            "control_points",
            "By control point",
            ["Control point", "Denied $", "Claims"],
            numeric={1, 2},
        )
        for row in data["by_control_point"]:
            url = denials_url(replace(f, control_point=row["control_point"]))
            points.add(
                Cell(row["control_point"], POINTS.get(row["control_point"], row["control_point"])),
                Cell(row["dollars"], dollars(row["dollars"]), url),
                Cell(row["claims"], f"{row['claims']:,}", url),
            )
        chart = bar_chart(
            "chart-points",
            [r[0].text for r in points.rows],
            {"Denied $": [float(r[1].value) for r in points.rows]},
        )
        return {**data, "tables": [table, points], "charts": [chart]}
