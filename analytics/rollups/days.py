"""Daily sums of the claim and denial facts (``SubmissionDay``, ``AdjudicationDay``,
``DenialDay``), recomputed for the days whose facts changed."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum

from ..models import AdjudicationDay, ClaimFact, DenialDay, DenialFact, SubmissionDay
from .writes import among, insert

CLEAN = Q(paid=True, denied=False, rejected_before=False)


def refresh_days(submitted: set[date] | None, adjudicated: set[date] | None) -> None:
    """Recompute the sums of these days (``None``: every day)."""
    _refresh(
        SubmissionDay, "submitted_on", submitted,
        claims=Count("pk"), clean=Count("pk", filter=Q(rejected=False)), charges=Sum("charge"),
    )  # fmt: skip
    _refresh(
        AdjudicationDay, "adjudicated_on", adjudicated,
        claims=Count("pk"), denied=Count("pk", filter=Q(denied=True)),
        denied_charges=Sum("adjudicated_charge", filter=Q(denied=True), default=0),
        first_pass=Count("pk", filter=CLEAN),
    )  # fmt: skip
    _refresh_denials(adjudicated)


def _refresh(model, field: str, days: set[date] | None, **sums) -> None:
    payer = "payer_id" if model is SubmissionDay else "adjudicated_payer_id"
    cells = model.objects.all()
    facts = ClaimFact.objects.filter(**{f"{field}__isnull": False})
    if days is not None:
        days = {d for d in days if d is not None}
        if not days:
            return
        cells = cells.filter(among("day", days, "date"))
        facts = facts.filter(among(field, days, "date"))
    cells.delete()
    # Named apart from the fact columns they sum (``denied`` is both).
    aliased = {f"sum_{name}": value for name, value in sums.items()}
    rows = facts.order_by().values_list(field, payer).annotate(**aliased)
    insert(model, ("day", "payer_id", *sums), list(rows))


def _refresh_denials(days: set[date] | None) -> None:
    cells, facts = DenialDay.objects.all(), DenialFact.objects.all()
    if days is not None:
        days = {d for d in days if d is not None}
        if not days:
            return
        cells = cells.filter(among("day", days, "date"))
        facts = facts.filter(among("adjudicated_on", days, "date"))
    cells.delete()
    rows = (
        facts.order_by()
        .values_list("adjudicated_on", "payer_id", "category")
        .annotate(claims=Count("fact_id", distinct=True))
    )
    insert(DenialDay, ("day", "payer_id", "category", "claims"), list(rows))
