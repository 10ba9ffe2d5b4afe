"""Payer scorecards: what a manager takes to contract talks, on the page and as one PDF
or Excel file."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpResponse

from appeals.pdf import document, latin1

from .. import selectors
from ..tables import Cell, Table, appeals_url, denials_url, dollars, metric_cell, num, pct
from .base import DashboardView

COLUMNS = [
    "Payer",
    "Reason code",
    "Denial rate",
    "Appeals decided",
    "Overturn rate",
    "Days to decision",
    "Share paid on appeal",
    "Recovered $",
]


class ScorecardView(DashboardView):
    template_name = "analytics/scorecards.html"
    title = "Payer scorecards"
    slug = "scorecards"

    def build(self, f) -> dict:
        cards = selectors.payer_scorecards(f)
        table = Table("scorecards", "Payer scorecards", COLUMNS, numeric={2, 3, 4, 5, 6, 7})
        for card in cards:
            g = card["filters"]
            table.add(*self.cells(card["payer"].name, card["total"], g))
            for line in card["lines"]:
                table.add(
                    *self.cells(
                        card["payer"].name, line, replace(g, reason_code=line["reason_code"])
                    )
                )
        return {"cards": cards, "tables": [table]}

    def cells(self, payer: str, line: dict, g) -> list[Cell]:
        appeals = appeals_url(g)
        code = line["reason_code"]
        return [
            Cell(payer, payer),
            Cell(code or "All", code or "All"),
            metric_cell(line["denial_rate"], url=denials_url(g)),
            Cell(line["decided"], f"{line['decided']:,}", appeals),
            Cell(line["overturn_rate"], pct(line["overturn_rate"]), appeals),
            Cell(line["days_to_decision"], num(line["days_to_decision"])),
            Cell(line["paid_share"], pct(line["paid_share"]), appeals),
            Cell(line["recovered"], dollars(line["recovered"]), appeals),
        ]

    def download(self, fmt, filters, data):
        if fmt != "pdf":
            return super().download(fmt, filters, data)
        self.audit_list(len(data["tables"][0].rows))
        body = scorecard_pdf(data["tables"][0], filters)
        response = HttpResponse(body, content_type="application/pdf")
        name = f"payer-scorecards-{filters.date_from}-{filters.date_to}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


WIDTHS = (42, 22, 18, 18, 18, 18, 20, 24)  # mm, landscape letter less margins


def scorecard_pdf(table: Table, filters) -> bytes:
    """The scorecards as one landscape PDF table (fpdf2, core font)."""
    pdf = document(f"Payer scorecards {filters.date_from} to {filters.date_to}")
    pdf.set_margins(10, 15, 10)
    pdf.add_page(orientation="landscape")
    pdf.set_font(style="B", size=14)
    pdf.cell(0, 8, latin1(f"Payer scorecards, {filters.date_from} to {filters.date_to}"))
    pdf.ln(10)
    pdf.set_font(size=8)
    with pdf.table(col_widths=WIDTHS, text_align="LEFT", first_row_as_headings=True) as out:
        out.row([latin1(c) for c in table.columns])
        for row in table.rows:
            out.row([latin1(cell.text) for cell in row])
    return bytes(pdf.output())
