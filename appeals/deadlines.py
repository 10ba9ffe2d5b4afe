"""When an appeal must be sent and when the payer should have decided: pure arithmetic
over the payer's rules (``worklist.deadlines.Rule``) and its past decision times."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from worklist.choices import RuleKind
from worklist.deadlines import Rule, add_months, pick_rule

from .choices import LEVEL_ORDER, AppealKind, AppealLevel

LEVEL_RULE = {
    AppealLevel.FIRST: RuleKind.APPEAL_1,
    AppealLevel.SECOND: RuleKind.APPEAL_2,
    AppealLevel.THIRD: RuleKind.APPEAL_3,
    AppealLevel.FOURTH: RuleKind.APPEAL_4,
    AppealLevel.FIFTH: RuleKind.APPEAL_5,
    AppealLevel.EXTERNAL: RuleKind.EXTERNAL_REVIEW,
}
# A payer's own decision times replace the published ones once it has decided this many
# appeals at a level (within the learning window).
MIN_LEARNED = 5
LEARNING_WINDOW_DAYS = 730
REOPENING_MONTHS = 12  # Medicare: one year from the initial determination (42 CFR 405.980)


@dataclass(frozen=True)
class Deadline:
    on: date | None
    explanation: str
    min_amount: Decimal | None = None


def chain(rules: list[Rule], on: date | None = None) -> list[str]:
    """The levels this payer offers, in order: the first, then each later level its rules
    give a deadline for."""
    return [
        level
        for level in LEVEL_ORDER
        if level == AppealLevel.FIRST or pick_rule(rules, LEVEL_RULE[level], on) is not None
    ]


def next_level(rules: list[Rule], level: str, on: date | None = None) -> str | None:
    levels = chain(rules, on)
    if level not in levels:
        return None
    index = levels.index(level)
    return levels[index + 1] if index + 1 < len(levels) else None


def level_deadline(rules: list[Rule], level: str, decided_on: date) -> Deadline:
    """A later level's filing deadline, counted from the previous level's decision (plus
    the presumed days for its notice to arrive)."""
    rule = pick_rule(rules, LEVEL_RULE[level], decided_on)
    if rule is None:
        return Deadline(None, "no rule for this level")
    start = decided_on + timedelta(days=rule.receipt_grace_days)
    try:
        on = add_months(start, rule.months) + timedelta(days=rule.days)
    except (OverflowError, ValueError):
        return Deadline(None, "the level's rule gives no valid date", rule.min_amount)
    span = f"{rule.months} months" if rule.months else f"{rule.days} days"
    grace = f" + {rule.receipt_grace_days} days presumed receipt" if rule.receipt_grace_days else ""
    return Deadline(
        on, f"{span} from the previous decision ({decided_on:%Y-%m-%d}){grace}", rule.min_amount
    )


def first_deadline(
    kind: str,
    *,
    appeal_deadline: date | None,
    refile_deadline: date | None,
    received_date: date | None,
    rules: list[Rule],
) -> Deadline:
    """The deadline of a first submission: the item's appeal deadline for an appeal, its
    corrected-claim (timely filing) deadline for a corrected claim, and a year from the
    initial determination for a reopening."""
    if kind == AppealKind.CORRECTED_CLAIM:
        return Deadline(refile_deadline, "corrected-claim (timely filing) deadline")
    if kind == AppealKind.REOPENING:
        if received_date is None:
            return Deadline(None, "no remittance date to count from")
        return Deadline(
            add_months(received_date, REOPENING_MONTHS),
            f"one year from the initial determination ({received_date:%Y-%m-%d})",
        )
    rule = pick_rule(rules, RuleKind.APPEAL_1, received_date)
    return Deadline(
        appeal_deadline,
        "first-level appeal deadline from the remittance date",
        rule.min_amount if rule else None,
    )


def expected_decision(
    submitted_on: date, learned_days: list[int], published_days: int | None, fallback: int
) -> tuple[date, str]:
    """When the payer should have decided: from its own past decisions at this level
    once there are enough (the median), else the published time, else ``fallback``."""
    if len(learned_days) >= MIN_LEARNED:
        days = round(statistics.median(learned_days))
        why = f"the payer's median of {len(learned_days)} decisions at this level: {days} days"
    elif published_days is not None:
        days, why = published_days, f"the payer's published decision time: {published_days} days"
    else:
        days, why = fallback, f"no decision time on record: {fallback} days"
    return submitted_on + timedelta(days=days), why
