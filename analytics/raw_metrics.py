"""The metrics computed from the raw rows (835 claims, submissions, rejections) rather
than the rollups: the definition the rollups must reproduce, used by the tests and by
``manage.py analytics_rebuild --check``. Too slow for a page view on a large book."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q, Sum

from claims.models import ClaimRejection

from . import facts
from .filters import (
    MetricFilters,
    claim_condition,
    denial_condition,
    item_condition,
    submitted_condition,
)
from .metrics import Metrics
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
