"""The dashboards' tables: columns and rows of plain values, each cell optionally a link
to the rows behind it, rendered by templates/analytics/partials/table.html and exported
as CSV or Excel (pandas) from the same rows, so the download is what the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

import pandas as pd
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode

from .filters import MetricFilters
from .results import Metric

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Cell:
    value: object
    text: str
    url: str = ""
    title: str = ""  # the formula and its numerator / denominator, on hover


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)  # columns shown right-aligned

    def add(self, *cells: Cell) -> None:
        self.rows.append(list(cells))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [[_plain(c.value) for c in row] for row in self.rows], columns=self.columns
        )


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def export(table: Table, fmt: str, name: str) -> HttpResponse:
    """The table as a CSV or Excel download."""
    frame = table.frame()
    if fmt == "csv":
        response = HttpResponse(frame.to_csv(index=False), content_type=CSV)
        extension = "csv"
    else:
        buffer = BytesIO()
        frame.to_excel(buffer, index=False, sheet_name=table.title[:31], engine="openpyxl")
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        extension = "xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}-{table.key}.{extension}"'
    return response


# -- cells


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def num(value, places: int = 1) -> str:
    return "—" if value is None else f"{float(value):,.{places}f}"


def dollars(value) -> str:
    return "—" if value is None else f"${float(value):,.0f}"


def metric_cell(m: Metric, unit: str = "rate", url: str = "") -> Cell:
    text = pct(m.value) if unit == "rate" else num(m.value)
    title = f"{m.formula}: {num(m.numerator, 2)} / {num(m.denominator, 2)}"
    return Cell(m.value, text, url, title)


# -- links to the rows behind a figure


def _query(params: dict) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""


def _claim_cuts(f: MetricFilters) -> dict:
    """The claim-side cuts, which the denial and submitted-claim lists both take."""
    return {
        "payer": f.payer,
        "payer_type": f.payer_type,
        "provider": f.provider,
        "location": f.location,
        "procedure_code": f.procedure_code,
        "revenue_code": f.revenue_code,
    }


def denials_url(f: MetricFilters, **extra) -> str:
    """The denial list: denials on claims adjudicated in the period, in every cut (the
    claim-side ones on the denial's 835 claim and its submission, as the figures read
    them)."""
    params = {
        "adjudicated_after": f.date_from.isoformat(),
        "adjudicated_before": f.date_to.isoformat(),
        **_claim_cuts(f),
        "category": f.category,
        "reason_code": f.reason_code,
        "control_point": f.control_point,
        "team": f.team,
        **extra,
    }
    return reverse("denials:denial_list") + _query(params)


def claims_url(f: MetricFilters, *, since: bool = True, **extra) -> str:
    """Submitted original claims in the period (or, ``since=False``, up to its end), in
    the claim-side cuts (the denial-side ones do not apply to claims)."""
    params = {
        "submitted_after": f.date_from.isoformat() if since else None,
        "submitted_before": f.date_to.isoformat(),
        **_claim_cuts(f),
        "frequency_code": "1",
        **extra,
    }
    return reverse("claims:submitted_claim_list") + _query(params)


def appeals_url(f: MetricFilters, **extra) -> str:
    """Appeals decided in the period, in the cuts the appeal list takes (payer, payer
    type, team)."""
    params = {
        "kind": "appeal",
        "status": "decided",
        "decided_after": f.date_from.isoformat(),
        "decided_before": f.date_to.isoformat(),
        "payer": f.payer,
        "payer_type": f.payer_type,
        "team": f.team,
        **extra,
    }
    return reverse("appeals:appeal_list") + _query(params)


def queue_url(team, f: MetricFilters | None = None, **extra) -> str:
    """A team's worklist queue (open items), in the cuts it takes."""
    params = {"kind": "denial"}
    if f is not None:
        params.update(payer=f.payer, category=f.category, reason_code=f.reason_code)
    params.update(extra)
    return reverse("worklist:team_queue", args=[team.slug]) + _query(params)
