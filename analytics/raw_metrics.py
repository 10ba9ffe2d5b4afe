"""The metrics computed from the raw rows (835 claims, submissions, rejections) rather
than the rollups: the definition the rollups must reproduce, used by the tests and by
``manage.py analytics_rebuild --check``. Too slow for a page view on a large book."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from claims.models import ClaimRejection
from denials.models import Denial, ReasonCode

from . import facts
from .filters import (
    MetricFilters,
    claim_condition,
    denial_condition,
    fact_adjudicated_condition,
    item_condition,
    submitted_condition,
)
from .metrics import Metrics
from .models import ClaimFact
from .results import AGE_BUCKETS, Metric, age_between


class RawMetrics(Metrics):
    """``Metrics`` with the shared claim aggregates and the items read from the raw rows."""

    @cached_property
    def items(self):
        return facts.denial_items().filter(item_condition(self.f))

    @cached_property
    def adjudicated(self) -> dict:
        f = self.f
        rows = facts.with_matching_denial(
            facts.first_adjudications(until=f.date_to), denial_condition(f)
        ).filter(claim_condition(f), adjudicated_on__gte=f.date_from)
        clean = Q(paid__gt=0, denied=False, rejected_before=False)
        return rows.aggregate(
            claims=Count("pk"),
            n_denied=Count("pk", filter=Q(denied_match=True)),
            denied_charges=Sum("charge", filter=Q(denied_match=True)),
            first_pass=Count("pk", filter=clean),
        )

    def _submitted(self, start, end) -> dict:
        rows = facts.submitted_originals().filter(
            submitted_condition(self.f), submitted_on__range=(start, end)
        )
        rejections = ClaimRejection.objects.filter(submitted_claim_id=OuterRef("pk"))
        return rows.annotate(rejected=Exists(rejections)).aggregate(
            claims=Count("pk"), charges=Sum("charge"), clean=Count("pk", filter=Q(rejected=False))
        )

    @cached_property
    def ar(self) -> dict:
        end = self.f.date_to
        rows = facts.ar_balances(as_of=end).filter(submitted_condition(self.f))
        buckets = {
            name: Sum("balance", filter=age_between("submitted_on", end, low, high))
            for name, (low, high) in AGE_BUCKETS.items()
        }
        return rows.aggregate(total=Sum("balance"), **buckets)

    @cached_property
    def recent_charges(self) -> Decimal:
        end = self.f.date_to
        return self._submitted(end - timedelta(days=89), end)["charges"] or Decimal(0)


def all_metrics_raw(filters: MetricFilters) -> dict[str, Metric]:
    """Every metric for ``filters`` from the raw rows (what the rollups must equal)."""
    return RawMetrics(filters).all()


def _control_point():
    """The denial's item's control point, else (no item) the catalog's for its CARC: as
    ``analytics.filters.denial_condition`` reads it."""
    catalog = ReasonCode.objects.filter(code=OuterRef("reason_code")).values("control_point")[:1]
    return Case(
        When(item_link__item__isnull=False, then=F("item_link__item__control_point")),
        default=Coalesce(Subquery(catalog), Value("")),
        output_field=CharField(),
    )


RAW_GROUPS = {  # None: the denial's own field
    "payer": None,
    "category": None,
    "reason": Concat("group_code", Value("-"), "reason_code", output_field=CharField()),
    "control_point": _control_point(),
    "provider": Coalesce(
        "claim__submitted_claim__rendering_npi", "claim__rendering_provider_id", Value("")
    ),
    "team": F("item_link__item__team_id"),
}


def denial_breakdown_raw(f: MetricFilters, by: list[str]) -> list[dict]:
    """``analytics.selectors.denial_breakdown`` from the denial rows themselves (the
    claims first adjudicated in the period still from the claim facts)."""
    first = ClaimFact.objects.filter(
        fact_adjudicated_condition(f), adjudicated_on__range=(f.date_from, f.date_to)
    ).values("first_claim_id")
    rows = (
        Denial.objects.filter(denial_condition(f), claim_id__in=first)
        .annotate(**{name: RAW_GROUPS[name] for name in by if RAW_GROUPS[name] is not None})
        .values(*by)
        .annotate(dollars=Sum("denied_amount"), claims=Count("claim_id", distinct=True))
        .order_by("-dollars", *by)
    )
    return list(rows)
