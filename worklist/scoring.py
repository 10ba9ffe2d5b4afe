"""Priority scoring: pure functions (no database), so the ranking is easy to test.

priority = max(expected net recovery, 0) × urgency, where
  expected net recovery = open amount × probability of recovery − cost of working it,
  probability            = this installation's outcomes for the payer, category and reason
                           code, shrunk toward the category level and its prior while
                           data is thin (each level counts as ``prior_weight`` outcomes),
  urgency                = 1 … 3, rising as the deadline nears (×1 when there is none or
                           it has passed: a missed deadline is flagged, not hidden).
An item whose work would cost more than it can bring back, or that is past every deadline
with no recourse left, gets priority 0: it sinks to the bottom of the queue (never below),
and the latter is listed for write-off review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from remittance.formatting import money

CENT = Decimal("0.01")
URGENCY_HORIZON_DAYS = 30
URGENCY_MAX = Decimal("3")


@dataclass(frozen=True, slots=True)
class Policy:
    prior_rate: Decimal
    prior_weight: int
    work_cost: Decimal


@dataclass
class Outcomes:
    """Recovered fractions summed and counted per level: (sum, count)."""

    by_reason: dict[tuple, tuple[Decimal, int]] = field(default_factory=dict)  # payer, cat, code
    by_payer: dict[tuple, tuple[Decimal, int]] = field(default_factory=dict)  # payer, category
    by_category: dict[str, tuple[Decimal, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Score:
    probability: Decimal
    expected_net_recovery: Decimal
    urgency: Decimal
    priority: Decimal
    explanation: str


def _shrink(observed: tuple[Decimal, int] | None, prior: Decimal, weight: int) -> Decimal:
    total, count = observed or (Decimal(0), 0)
    return (total + prior * weight) / (count + weight)


def recovery_probability(
    *, payer_id: int, category: str, reason_code: str, outcomes: Outcomes, policy: Policy
) -> tuple[Decimal, str]:
    """Probability of recovery and where it came from, in words."""
    k = policy.prior_weight
    level_cat = outcomes.by_category.get(category)
    level_payer = outcomes.by_payer.get((payer_id, category))
    level_reason = outcomes.by_reason.get((payer_id, category, reason_code))
    p = _shrink(level_cat, policy.prior_rate, k)
    p = _shrink(level_payer, p, k)
    p = _shrink(level_reason, p, k)
    counts = [
        (level_reason, "for this payer and code"),
        (level_payer, "for this payer and category"),
        (level_cat, "in this category"),
    ]
    seen = [f"{level[1]} {where}" for level, where in counts if level]
    basis = ", ".join(seen) + " resolved" if seen else "no outcomes yet"
    return p.quantize(Decimal("0.001")), f"{basis}; category prior {policy.prior_rate:.0%}"


def urgency(deadline: date | None, today: date) -> Decimal:
    if deadline is None or deadline < today:
        return Decimal(1)
    days_left = (deadline - today).days
    if days_left >= URGENCY_HORIZON_DAYS:
        return Decimal(1)
    rise = (URGENCY_MAX - 1) * (URGENCY_HORIZON_DAYS - days_left) / URGENCY_HORIZON_DAYS
    return (1 + rise).quantize(Decimal("0.01"))


def score(
    *,
    open_amount: Decimal,
    probability: Decimal,
    basis: str,
    policy: Policy,
    deadline: date | None,
    today: date,
    recourse_left: bool = True,
) -> Score:
    net = (open_amount * probability - policy.work_cost).quantize(CENT, ROUND_HALF_UP)
    factor = urgency(deadline, today)
    worth = net > 0 and recourse_left
    priority = (net * factor if worth else Decimal(0)).quantize(CENT, ROUND_HALF_UP)
    if deadline is None:
        when = "no deadline"
    elif deadline < today:
        when = f"deadline missed {(today - deadline).days} days ago"
    else:
        when = f"deadline in {(deadline - today).days} days"
    if not recourse_left:
        when += " and no other deadline open: no recourse left, for write-off review"
    explanation = (
        f"{money(open_amount)} open × {probability:.0%} likely to recover ({basis}) "
        f"− {money(policy.work_cost)} to work = {money(net)} expected; {when} → "
        f"urgency ×{factor}; priority {priority:,.2f}"
    )
    return Score(probability, net, factor, priority, explanation)
