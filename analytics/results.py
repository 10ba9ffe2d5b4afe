"""What a metric is (a value with its numerator, denominator and formula) and the age
buckets and deadline windows the aging metrics use (docs/metrics.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q

Number = int | float | Decimal | None


@dataclass(frozen=True)
class Metric:
    value: float | None
    numerator: Number
    denominator: Number
    formula: str


def add_sums(*rows: dict) -> dict:
    """The same aggregates of several parts, added (None where every part is None)."""
    return {
        name: None if all(r[name] is None for r in rows) else sum(r[name] or 0 for r in rows)
        for name in rows[0]
    }


def ratio(numerator: Number, denominator: Number, formula: str) -> Metric:
    """``numerator / denominator``, or no data (``value`` None) when there is nothing to
    divide by."""
    numerator = numerator or 0
    value = float(numerator) / float(denominator) if denominator else None
    return Metric(value, numerator, denominator, formula)


def days(value) -> float:
    # PostgreSQL sums intervals to a timedelta; SQLite to microseconds.
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000


AGE_BUCKETS = {  # name: (youngest, oldest) age in days, both included
    "0_30": (0, 30),
    "31_60": (31, 60),
    "61_90": (61, 90),
    "91_120": (91, 120),
    "over_120": (121, None),
}
DEADLINE_WINDOWS = {  # name: days from the period's end to the deadline, both included
    "missed": (None, -1),
    "0_7": (0, 7),
    "8_30": (8, 30),
    "31_60": (31, 60),
    "over_60": (61, None),
}


def age_between(field: str, end, low: int | None, high: int | None) -> Q:
    """Rows whose ``field`` date is between ``low`` and ``high`` days before ``end``
    (both included; None: unbounded), i.e. aged ``low``..``high`` days at ``end``."""
    q = Q()
    if low is not None:
        q &= Q(**{f"{field}__lte": end - timedelta(days=low)})
    if high is not None:
        q &= Q(**{f"{field}__gte": end - timedelta(days=high)})
    return q
