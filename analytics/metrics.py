"""The metrics, computed exactly as docs/metrics.md defines them: one function per metric
(``denial_rate(filters)``) and ``all_metrics(filters)``. Each is an aggregate in the
database over the rollups of ``analytics.models`` (the facts of ``analytics.facts``,
stored and kept current by ``analytics.rollups``); a figure with nothing to divide by is
``value=None`` ("no data"). Read only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Q, Sum

from appeals.choices import OVERTURNED, AppealKind, AppealStatus
from appeals.models import Appeal

from .filters import (
    MetricFilters,
    appeal_condition,
    daily_sums_apply,
    denial_fact_condition,
    fact_adjudicated_condition,
    fact_submitted_condition,
    payer_cut,
)
from .item_metrics import ItemMetrics
from .models import AdjudicationDay, ArSegment, ClaimFact, DenialFact, SubmissionDay
from .results import AGE_BUCKETS, Metric, add_sums, age_between, ratio


class Metrics(ItemMetrics):
    """The metrics for one set of filters. The aggregates several metrics share (first
    adjudications, submissions, A/R) are read once."""

    def __init__(self, filters: MetricFilters):
        self.f = filters

    # -- shared aggregates, read from the rollups (analytics.models; the raw computation
    # of the same aggregates is analytics.raw_metrics)

    @cached_property
    def adjudicated(self) -> dict:
        f = self.f
        rows = ClaimFact.objects.filter(
            fact_adjudicated_condition(f), adjudicated_on__range=(f.date_from, f.date_to)
        )
        if daily_sums_apply(self.f):
            out = AdjudicationDay.objects.filter(
                payer_cut(self.f, "payer"), day__range=(f.date_from, f.date_to)
            ).aggregate(
                claims=Sum("claims", default=0),
                n_denied=Sum("denied", default=0),
                denied_charges=Sum("denied_charges"),
                first_pass=Sum("first_pass", default=0),
            )
        else:
            clean = Q(paid=True, denied=False, rejected_before=False)
            out = rows.aggregate(
                claims=Count("pk"),
                n_denied=Count("pk", filter=Q(denied=True)),
                denied_charges=Sum("adjudicated_charge", filter=Q(denied=True)),
                first_pass=Count("pk", filter=clean),
            )
        if cuts := denial_fact_condition(f):
            # The denial-side cuts narrow the numerator: first adjudications with a
            # denial in the cuts.
            matching = DenialFact.objects.filter(
                cuts, adjudicated_on__range=(f.date_from, f.date_to)
            ).values("fact_id")
            out |= rows.filter(pk__in=matching, denied=True).aggregate(
                n_denied=Count("pk"), denied_charges=Sum("adjudicated_charge")
            )
        return out

    def _submitted(self, start, end) -> dict:
        if daily_sums_apply(self.f):
            cells = SubmissionDay.objects.filter(
                payer_cut(self.f, "payer"), day__range=(start, end)
            )
            return cells.aggregate(
                claims=Sum("claims", default=0),
                charges=Sum("charges"),
                clean=Sum("clean", default=0),
            )
        rows = ClaimFact.objects.filter(
            fact_submitted_condition(self.f), submitted_on__range=(start, end)
        )
        return rows.aggregate(
            claims=Count("pk"), charges=Sum("charge"), clean=Count("pk", filter=Q(rejected=False))
        )

    @cached_property
    def submitted(self) -> dict:
        return self._submitted(self.f.date_from, self.f.date_to)

    @cached_property
    def lookback(self) -> dict:
        return self._submitted(*self.f.lookback)

    @cached_property
    def recent_charges(self) -> Decimal:
        """Charges of original claims submitted in the 90 days ending the period."""
        end = self.f.date_to
        return self._submitted(end - timedelta(days=89), end)["charges"] or Decimal(0)

    @cached_property
    def ar(self) -> dict:
        end = self.f.date_to
        f = self.f
        rest = MetricFilters(
            f.date_from, f.date_to, provider=f.provider, location=f.location,
            procedure_code=f.procedure_code, revenue_code=f.revenue_code,
        )  # fmt: skip
        rows = ArSegment.objects.filter(
            payer_cut(self.f, "payer"),  # the segment holds its root's payer
            fact_submitted_condition(rest, "fact__"),
            starts_on__lte=end,
        )
        buckets = {
            name: Sum("balance", filter=age_between("submitted_on", end, low, high))
            for name, (low, high) in AGE_BUCKETS.items()
        }
        # Open segments and those closed after the day, apart: each is read from its
        # covering index (an OR of the two would read the table).
        parts = [
            rows.filter(condition).aggregate(total=Sum("balance"), **buckets)
            for condition in (Q(ends_on__isnull=True), Q(ends_on__gt=end))
        ]
        return add_sums(*parts)

    # -- the named metrics

    def initial_denial_rate(self) -> Metric:
        months = self.f.months
        average = Decimal(self.lookback["claims"]) / 3 * months
        return ratio(
            self.adjudicated["n_denied"],
            float(average),
            "claims first adjudicated in the period with a denial / (original claims "
            "submitted in the 3 months before the period / 3 x months in the period)",
        )

    def initial_denial_rate_charges(self) -> Metric:
        average = (self.lookback["charges"] or Decimal(0)) / 3 * self.f.months
        return ratio(
            self.adjudicated["denied_charges"] or Decimal(0),
            average.quantize(Decimal("0.01")),
            "charges of claims first adjudicated in the period with a denial / (charges of "
            "original claims submitted in the 3 months before the period / 3 x months)",
        )

    def denial_rate(self) -> Metric:
        return ratio(
            self.adjudicated["n_denied"],
            self.adjudicated["claims"],
            "claims first adjudicated in the period with a denial / claims first "
            "adjudicated in the period",
        )

    def clean_claim_rate(self) -> Metric:
        return ratio(
            self.submitted["clean"],
            self.submitted["claims"],
            "original claims submitted in the period with no 277CA/999 rejection / "
            "original claims submitted in the period",
        )

    def first_pass_yield(self) -> Metric:
        return ratio(
            self.adjudicated["first_pass"],
            self.adjudicated["claims"],
            "claims paid on their first adjudication with no denial and no earlier "
            "rejection / claims first adjudicated in the period",
        )

    @cached_property
    def appeals(self) -> dict:
        f = self.f
        rows = Appeal.objects.filter(
            appeal_condition(f),
            kind=AppealKind.APPEAL,
            status=AppealStatus.DECIDED,
            decided_on__range=(f.date_from, f.date_to),
        ).order_by()
        return rows.aggregate(
            decided=Count("pk"),
            overturned=Count("pk", filter=Q(outcome__in=OVERTURNED)),
            appealed=Sum("amount_appealed"),
            recovered=Sum("recovered_amount"),
        )

    def overturn_rate(self) -> Metric:
        return ratio(
            self.appeals["overturned"],
            self.appeals["decided"],
            "appeals decided in the period overturned in full or in part / appeals decided "
            "in the period",
        )

    def overturn_rate_dollars(self) -> Metric:
        return ratio(
            self.appeals["recovered"] or Decimal(0),
            self.appeals["appealed"] or Decimal(0),
            "dollars recovered / dollars appealed, appeals decided in the period",
        )

    def denial_write_off_rate(self) -> Metric:
        return ratio(
            self.resolved["written_off"] or Decimal(0),
            self.submitted["charges"] or Decimal(0),
            "denied dollars written off in the period / gross charges of original claims "
            "submitted in the period (HFMA AR-6 uses net patient service revenue)",
        )

    def days_in_ar(self) -> Metric:
        return ratio(
            self.ar["total"] or Decimal(0),
            (self.recent_charges / 90).quantize(Decimal("0.01")),
            "insurance A/R at the period's end / (gross charges submitted in the 90 days "
            "ending then / 90)",
        )

    def ar_aging(self) -> dict[str, Metric]:
        total = self.ar["total"] or Decimal(0)
        return {
            f"ar_aging_{name}": ratio(
                self.ar[name] or Decimal(0),
                total,
                f"A/R dollars aged {name.replace('_', '-')} days at the period's end / all A/R",
            )
            for name in AGE_BUCKETS
        }

    def all(self) -> dict[str, Metric]:
        out = {name: getattr(self, name)() for name in NAMED + OPERATIONAL}
        out.update(self.ar_aging())
        out.update(self.denial_aging())
        out.update(self.dollars_at_risk())
        return out


NAMED = (
    "initial_denial_rate",
    "initial_denial_rate_charges",
    "denial_rate",
    "clean_claim_rate",
    "first_pass_yield",
    "overturn_rate",
    "overturn_rate_dollars",
    "denial_write_off_rate",
    "days_in_ar",
)
OPERATIONAL = (
    "days_to_first_action",
    "days_to_resolution",
    "worked_within_7_days",
    "recovery_yield",
    "preventable_share",
)


def all_metrics(filters: MetricFilters) -> dict[str, Metric]:
    """Every metric for ``filters``, by name (docs/metrics.md)."""
    return Metrics(filters).all()


def _single(name: str):
    def metric(filters: MetricFilters) -> Metric:
        return getattr(Metrics(filters), name)()

    metric.__name__ = name
    metric.__doc__ = f"The {name.replace('_', ' ')} for ``filters`` (docs/metrics.md)."
    return metric


initial_denial_rate = _single("initial_denial_rate")
initial_denial_rate_charges = _single("initial_denial_rate_charges")
denial_rate = _single("denial_rate")
clean_claim_rate = _single("clean_claim_rate")
first_pass_yield = _single("first_pass_yield")
overturn_rate = _single("overturn_rate")
overturn_rate_dollars = _single("overturn_rate_dollars")
denial_write_off_rate = _single("denial_write_off_rate")
days_in_ar = _single("days_in_ar")
days_to_first_action = _single("days_to_first_action")
days_to_resolution = _single("days_to_resolution")
worked_within_7_days = _single("worked_within_7_days")
recovery_yield = _single("recovery_yield")
preventable_share = _single("preventable_share")
