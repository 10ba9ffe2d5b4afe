"""Deadline arithmetic: pure functions over dates and rule values (no database)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .choices import DeadlineState, RuleBasis, RuleKind


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    months: int
    days: int
    basis: str
    receipt_grace_days: int = 0
    min_amount: Decimal | None = None
    effective_from: date = date.min
    effective_to: date | None = None
    scope: str = ""  # "payer 12" or "type medicare", for explanations

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True, slots=True)
class DeadlineFacts:
    """What a deadline is counted from."""

    received_date: date | None  # the remittance's date (production date or payment date)
    service_from: date | None  # the line's from date (professional) or statement from
    through_date: date | None  # the claim's through date (institutional)
    institutional: bool
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Deadlines:
    appeal: date | None
    refile: date | None
    explanation: str
    problem: str = ""  # a rule that could not be applied; that deadline is left empty


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pick_rule(rules: list[Rule], kind: str, on: date | None) -> Rule | None:
    """The rule of a kind in effect on a date; payer rules come before type defaults
    (the caller lists them first)."""
    for rule in rules:
        if rule.kind == kind and (on is None or rule.applies_on(on)):
            return rule
    return None


def _after(start: date, rule: Rule, extra_days: int = 0) -> date:
    return add_months(start + timedelta(days=extra_days), rule.months) + timedelta(days=rule.days)


def compute(facts: DeadlineFacts, rules: list[Rule]) -> Deadlines:
    """The first-level appeal deadline and the corrected-claim (refile) deadline.

    A rule that yields no valid date (a span past the calendar's end, from a bad rule or
    a far-future date in the file) leaves that deadline empty and says so in ``problem``,
    so one bad rule degrades one item and never the batch it is in."""
    parts, problems = [], []
    appeal = refile = None
    rule = pick_rule(rules, RuleKind.APPEAL_1, facts.received_date)
    if rule and facts.received_date:
        try:
            appeal = _after(facts.received_date, rule, rule.receipt_grace_days)
        except (OverflowError, ValueError):
            problems.append(_unusable(rule, "appeal", facts.received_date))
        else:
            grace = (
                f" + {rule.receipt_grace_days} days presumed receipt"
                if rule.receipt_grace_days
                else ""
            )
            parts.append(f"appeal by {appeal:%Y-%m-%d} ({_span(rule)} from remittance{grace})")
    service = facts.through_date if facts.institutional else facts.service_from
    service = service or facts.service_from or facts.through_date
    rule = pick_rule(rules, RuleKind.TIMELY_FILING, service)
    if rule and service and rule.basis == RuleBasis.SERVICE_DATE:
        try:
            refile = _after(service, rule)
        except (OverflowError, ValueError):
            problems.append(_unusable(rule, "corrected-claim", service))
        else:
            counted = "through date" if facts.institutional else "date of service"
            parts.append(f"corrected claim by {refile:%Y-%m-%d} ({_span(rule)} from {counted})")
    return Deadlines(appeal, refile, "; ".join(parts), "; ".join(problems))


def _unusable(rule: Rule, what: str, start: date) -> str:
    scope = f" ({rule.scope})" if rule.scope else ""
    return (
        f"the {what} rule{scope} of {_span(rule)} from {start:%Y-%m-%d} gives no valid date; "
        "no deadline until the rule is fixed"
    )


def relevant_deadline(
    deadlines: Deadlines, action: str, appealable: bool, today: date | None = None
) -> date | None:
    """The deadline the suggested action races against. Once it has passed, the other
    one takes over while it is still open (a missed corrected-claim date gives way to
    the appeal date, and the other way round); a denial that cannot be appealed has no
    appeal deadline to fall back on."""
    appeal = deadlines.appeal if appealable else None
    if action == "correct_resubmit" or not appealable:
        first, other = deadlines.refile, appeal
    elif action == "appeal":
        first, other = appeal, deadlines.refile
    else:
        candidates = sorted(d for d in (appeal, deadlines.refile) if d)
        first, other = (candidates + [None, None])[:2]
    if today is not None and first is not None and first < today and other and other >= today:
        return other
    return first


def recourse_left(deadlines: Deadlines, appealable: bool, today: date) -> bool:
    """False when the item had deadlines and every one of them has passed."""
    open_dates = [d for d in (deadlines.appeal if appealable else None, deadlines.refile) if d]
    return not open_dates or any(d >= today for d in open_dates)


def deadline_state(deadline: date | None, today: date, warning_days: int) -> str:
    if deadline is None:
        return DeadlineState.NONE
    if deadline < today:
        return DeadlineState.MISSED
    if (deadline - today).days <= warning_days:
        return DeadlineState.AT_RISK
    return DeadlineState.OK


def _span(rule: Rule) -> str:
    if rule.months and rule.days:
        return f"{rule.months} months {rule.days} days"
    return f"{rule.months} months" if rule.months else f"{rule.days} days"
