"""Deadline risk and team productivity: the item-based figures, per team, each linking to
the team's queue."""

from __future__ import annotations

from dataclasses import replace

from worklist.models import Team

from ..metrics import Metrics
from ..results import DEADLINE_WINDOWS, add_sums
from ..tables import Cell, Table, dollars, metric_cell, queue_url
from .base import DashboardView
from .dashboards import bar_chart

WINDOW_LABELS = {
    "missed": "Missed",
    "0_7": "0–7 days",
    "8_30": "8–30 days",
    "31_60": "31–60 days",
    "over_60": "Over 60 days",
}
# The queue filter that shows each window's items (deadlines counted from today).
WINDOW_QUEUE = {
    "missed": {"deadline_state": "missed"},
    "0_7": {"due_within_days": 7},
    "8_30": {"due_within_days": 30},
    "31_60": {"due_within_days": 60},
    "over_60": {},
}


NOTHING_OPEN = {"dated": None} | {f"due_{window}": None for window in DEADLINE_WINDOWS}


class DeadlinesView(DashboardView):
    template_name = "analytics/operations.html"
    title = "Deadline risk"
    slug = "deadlines"

    def build(self, f) -> dict:

        table = Table(
            "deadlines",
            "Open denied dollars by deadline, at the period's end",
            ["Team", *WINDOW_LABELS.values()],
            numeric=set(range(1, len(WINDOW_LABELS) + 1)),
        )
        metrics = Metrics(f)
        by_team = metrics.still_open_by_team()
        # The teams' sums added are the total: every item has its team (or none, a row
        # of its own here).
        totals = metrics.dollars_at_risk(add_sums(*by_team.values()) if by_team else NOTHING_OPEN)
        for team in Team.objects.order_by("name"):
            risk = metrics.dollars_at_risk(by_team.get(team.pk, NOTHING_OPEN))
            table.add(Cell(team.name, team.name), *self.cells(risk, team, f))
        chart = bar_chart(
            "chart-deadlines",
            list(WINDOW_LABELS.values()),
            {"Open $": [float(totals[f"at_risk_{w}"].numerator or 0) for w in WINDOW_LABELS]},
        )
        return {"tables": [table], "charts": [chart], "totals": totals}

    def cells(self, risk: dict, team, f) -> list[Cell]:
        cells = []
        for window in WINDOW_LABELS:
            m = risk[f"at_risk_{window}"]
            url = queue_url(team, f, **WINDOW_QUEUE[window])
            title = f"{m.formula}: {dollars(m.numerator)} of {dollars(m.denominator)}"
            cells.append(Cell(m.numerator, dollars(m.numerator), url, title))
        return cells


class ProductivityView(DashboardView):
    template_name = "analytics/operations.html"
    title = "Team productivity"
    slug = "productivity"

    COLUMNS = (
        ("days_to_first_action", "Days to first action", "days"),
        ("worked_within_7_days", "Worked within 7 days", "rate"),
        ("days_to_resolution", "Days to resolution", "days"),
        ("recovery_yield", "Recovery yield", "rate"),
    )

    def build(self, f) -> dict:

        table = Table(
            "productivity",
            "Team productivity",
            ["Team", "Items resolved", *(label for _, label, _ in self.COLUMNS)],
            numeric={1, 2, 3, 4, 5},
        )
        values = {}
        for team in Team.objects.order_by("name"):
            m = Metrics(replace(f, team=team.pk))
            figures = {name: getattr(m, name)() for name, _, _ in self.COLUMNS}
            values[team.name] = figures
            resolved = figures["days_to_resolution"].denominator or 0
            url = queue_url(team, f)
            table.add(
                Cell(team.name, team.name, url),
                Cell(resolved, f"{resolved:,}", queue_url(team, f, open="false")),
                *(metric_cell(figures[n], unit, url) for n, _, unit in self.COLUMNS),
            )
        chart = bar_chart(
            "chart-productivity",
            list(values),
            {"Days to first action": [v["days_to_first_action"].value for v in values.values()]},
            unit="days",
        )
        return {"tables": [table], "charts": [chart]}
