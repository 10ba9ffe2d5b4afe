"""The worklist's operational metrics (docs/metrics.md, "Operational metrics"): timing,
recovery, preventable share, denial aging and dollars at risk, over denial items in the
cuts and the reader's scope."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum

from worklist.choices import Resolution

from .filters import MetricFilters, day_start, item_condition
from .models import ItemFact
from .results import AGE_BUCKETS, DEADLINE_WINDOWS, Metric, add_sums, days, ratio


class ItemMetrics:
    """Mixed into ``analytics.metrics.Metrics``: the figures read from denial items'
    stored facts (``analytics.models.ItemFact``; ``analytics.facts.denial_items`` is the
    raw equivalent). The figures of items created in the period, resolved in it and open
    at its end are each read in one aggregate."""

    f: MetricFilters

    @cached_property
    def items(self):
        return ItemFact.objects.filter(item_condition(self.f))

    @cached_property
    def created(self) -> dict:
        acted = Q(first_action_at__isnull=False)
        soon = Q(first_action_at__lte=F("created_at") + timedelta(days=7))
        return self._created_in_period().aggregate(
            n=Count("pk"),
            acted=Count("pk", filter=acted),
            days=Sum(_elapsed("first_action_at"), filter=acted),
            soon=Count("pk", filter=soon),
            preventable=Count("pk", filter=~Q(control_point="")),
        )

    @cached_property
    def resolved(self) -> dict:
        written_off = Q(resolution=Resolution.WRITTEN_OFF)
        return self._resolved_in_period().aggregate(
            n=Count("pk"),
            days=Sum(_elapsed("resolved_at")),
            recovered=Sum("recovered_amount"),
            denied=Sum("open_amount"),
            written_off=Sum(_OPEN, filter=written_off),
        )

    @cached_property
    def still_open(self) -> dict:
        return add_sums(
            *(part.aggregate(**self._open_aggregates()) for part in self._open_at_end())
        )

    def still_open_by_team(self) -> dict[int | None, dict]:
        """``still_open`` per owning team, in one grouped query per part."""
        out: dict[int | None, dict] = {}
        for part in self._open_at_end():
            rows = part.values("team_id").annotate(**self._open_aggregates()).order_by()
            for row in rows:
                team = row.pop("team_id")
                out[team] = add_sums(out[team], row) if team in out else row
        return out

    def _open_aggregates(self) -> dict:
        end = self.f.date_to
        dated = Q(deadline__isnull=False)
        return {
            "total": Sum(_OPEN),
            "dated": Sum(_OPEN, filter=dated),
            **{
                f"age_{name}": Sum(_OPEN, filter=_created_between(end, low, high))
                for name, (low, high) in AGE_BUCKETS.items()
            },
            **{
                f"due_{name}": Sum(_OPEN, filter=dated & _due_between(end, low, high))
                for name, (low, high) in DEADLINE_WINDOWS.items()
            },
        }

    def _created_in_period(self):
        start, end = self.f.moments()
        return self.items.filter(created_at__gte=start, created_at__lt=end)

    def _resolved_in_period(self):
        start, end = self.f.moments()
        return self.items.filter(resolved_at__gte=start, resolved_at__lt=end)

    def _open_at_end(self) -> tuple:
        """The items open at the period's end, as two parts summed apart: those still
        open (read from their covering index) and those resolved since."""
        end = day_start(self.f.date_to + timedelta(days=1))
        created = self.items.filter(created_at__lt=end)
        return created.filter(resolved_at__isnull=True), created.filter(resolved_at__gte=end)

    def days_to_first_action(self) -> Metric:
        row = self.created
        return ratio(
            round(days(row["days"]), 4),
            row["acted"],
            "days from each denial item's creation to its first action by a person / "
            "items created in the period with such an action",
        )

    def days_to_resolution(self) -> Metric:
        row = self.resolved
        return ratio(
            round(days(row["days"]), 4),
            row["n"],
            "days from creation to resolution / denial items resolved in the period",
        )

    def worked_within_7_days(self) -> Metric:
        row = self.created
        return ratio(
            row["soon"],
            row["n"],
            "denial items created in the period first acted on within 7 days / denial "
            "items created in the period",
        )

    def recovery_yield(self) -> Metric:
        row = self.resolved
        return ratio(
            row["recovered"] or Decimal(0),
            row["denied"] or Decimal(0),
            "dollars recovered / dollars denied, denial items resolved in the period",
        )

    def preventable_share(self) -> Metric:
        row = self.created
        return ratio(
            row["preventable"],
            row["n"],
            "denial items created in the period with a control point / denial items "
            "created in the period",
        )

    def denial_aging(self) -> dict[str, Metric]:
        row = self.still_open
        total = row["total"] or Decimal(0)
        return {
            f"denial_aging_{name}": ratio(
                row[f"age_{name}"] or Decimal(0),
                total,
                f"open denied dollars aged {name.replace('_', '-')} days at the period's "
                "end / all open denied dollars",
            )
            for name in AGE_BUCKETS
        }

    def dollars_at_risk(self, row: dict | None = None) -> dict[str, Metric]:
        """Open denied dollars by deadline window at the period's end (of ``row``, one
        of ``still_open_by_team``, when given)."""
        row = self.still_open if row is None else row
        total = row["dated"] or Decimal(0)
        return {
            f"at_risk_{name}": ratio(
                row[f"due_{name}"] or Decimal(0),
                total,
                f"open denied dollars with a deadline {name.replace('_', '-')} days from the "
                "period's end / all open denied dollars with a deadline",
            )
            for name in DEADLINE_WINDOWS
        }


_OPEN = F("open_amount") - F("recovered_amount")


def _elapsed(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(field) - F("created_at"), output_field=DurationField())


def _due_between(end, low: int | None, high: int | None) -> Q:
    """Items whose deadline is ``low``..``high`` days after ``end`` (None: unbounded)."""
    q = Q()
    if low is not None:
        q &= Q(deadline__gte=end + timedelta(days=low))
    if high is not None:
        q &= Q(deadline__lte=end + timedelta(days=high))
    return q


def _created_between(end, low: int, high: int | None) -> Q:
    """Items created ``low``..``high`` whole days before ``end`` (local dates)."""
    q = Q(created_at__lt=day_start(end - timedelta(days=low - 1)))
    if high is not None:
        q &= Q(created_at__gte=day_start(end - timedelta(days=high)))
    return q
