"""Payer behaviour alerts (docs/metrics.md, "Payer behaviour alerts"): has a payer's denial
rate for a category risen this week against its own trailing weeks? A one-sided
two-proportion z-test on counts, with a minimum volume on both sides. Pure Python: no
database, no settings, so it is tested on hand-made counts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

TRAILING_WEEKS = 8
MIN_CLAIMS = 30  # claims first adjudicated, in the week and in the trailing weeks each
ALPHA = 0.01  # one-sided significance level


@dataclass(frozen=True)
class WeekCount:
    denied: int  # claims first adjudicated in the week with a denial in the category
    claims: int  # claims first adjudicated in the week


@dataclass(frozen=True)
class RateTest:
    denied: int
    claims: int
    base_denied: int
    base_claims: int
    rate: float | None
    base_rate: float | None
    z: float | None
    p_value: float | None
    flagged: bool
    reason: str  # "risen", "not significant", "too few claims", "no data"


def rate_rise(
    denied: int,
    claims: int,
    base_denied: int,
    base_claims: int,
    *,
    min_claims: int = MIN_CLAIMS,
    alpha: float = ALPHA,
) -> RateTest:
    """One-sided two-proportion z-test of H0 "this week's rate is no higher than the
    baseline's": z = (p1 - p0) / sqrt(p (1 - p) (1/n1 + 1/n0)) with p the pooled rate,
    p-value = P(Z >= z). Flagged when both sides have at least ``min_claims`` claims and
    the p-value is below ``alpha``."""
    rate = denied / claims if claims else None
    base = base_denied / base_claims if base_claims else None
    args = (denied, claims, base_denied, base_claims, rate, base)
    if not claims or not base_claims:
        return RateTest(*args, None, None, False, "no data")
    if claims < min_claims or base_claims < min_claims:
        return RateTest(*args, None, None, False, "too few claims")
    pooled = (denied + base_denied) / (claims + base_claims)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / claims + 1 / base_claims))
    if spread == 0:  # nothing denied anywhere, or everything: no change to test
        return RateTest(*args, 0.0, 1.0 if rate <= base else 0.0, False, "not significant")
    z = (rate - base) / spread
    p_value = 0.5 * math.erfc(z / math.sqrt(2))
    flagged = p_value < alpha
    return RateTest(*args, z, p_value, flagged, "risen" if flagged else "not significant")


def week_test(weeks: list[WeekCount], **options) -> RateTest:
    """The last week of ``weeks`` (oldest first) against the weeks before it."""
    if not weeks:
        return rate_rise(0, 0, 0, 0, **options)
    *trailing, this = weeks
    return rate_rise(
        this.denied,
        this.claims,
        sum(w.denied for w in trailing),
        sum(w.claims for w in trailing),
        **options,
    )


@dataclass(frozen=True)
class Alert:
    payer: object
    category: str
    test: RateTest


def alerts(series: Iterable[tuple[object, str, list[WeekCount]]], **options) -> list[Alert]:
    """The flagged (payer, category) series, most significant first."""
    found = [Alert(payer, cat, week_test(weeks, **options)) for payer, cat, weeks in series]
    flagged = [a for a in found if a.test.flagged]
    return sorted(flagged, key=lambda a: (a.test.p_value, -a.test.claims))
