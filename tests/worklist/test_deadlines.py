"""Deadline arithmetic without a database. Every expected date is counted by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from worklist.choices import DeadlineState, RuleBasis, RuleKind
from worklist.deadlines import (
    DeadlineFacts,
    Deadlines,
    Rule,
    add_months,
    compute,
    deadline_state,
    pick_rule,
    relevant_deadline,
)

# The seeded type defaults (worklist/defaults.py), as payer_rules() turns them into Rules.
MEDICARE = [
    Rule(RuleKind.APPEAL_1, 0, 120, RuleBasis.REMITTANCE_RECEIPT, receipt_grace_days=5),
    Rule(RuleKind.TIMELY_FILING, 12, 0, RuleBasis.SERVICE_DATE),
]
COMMERCIAL = [
    Rule(RuleKind.APPEAL_1, 0, 180, RuleBasis.REMITTANCE_RECEIPT),
    Rule(RuleKind.TIMELY_FILING, 0, 90, RuleBasis.SERVICE_DATE),
]


def facts(*, received=None, service=None, through=None, institutional=False):
    return DeadlineFacts(
        received_date=received,
        service_from=service,
        through_date=through,
        institutional=institutional,
        amount=Decimal("100.00"),
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 February in 2025
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: end of February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),  # across the year end
        (date(2024, 12, 15), 12, date(2025, 12, 15)),
        (date(2024, 3, 31), 0, date(2024, 3, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_medicare_redetermination_is_120_days_after_presumed_receipt():
    # Remittance 2024-03-01, presumed received 2024-03-06; 120 days on: 25 left in March,
    # 30 in April, 31 in May, 30 in June = 116, so 4 July.
    due = compute(facts(received=date(2024, 3, 1)), MEDICARE)
    assert due.appeal == date(2024, 7, 4)
    assert "120 days from remittance + 5 days presumed receipt" in due.explanation


def test_medicare_timely_filing_counts_from_the_through_date_for_an_institutional_claim():
    due = compute(
        facts(service=date(2024, 1, 10), through=date(2024, 2, 29), institutional=True),
        MEDICARE,
    )
    assert due.refile == date(2025, 2, 28)
    assert "from through date" in due.explanation


def test_medicare_timely_filing_counts_from_the_line_date_for_a_professional_claim():
    due = compute(
        facts(service=date(2024, 2, 29), through=date(2024, 3, 15), institutional=False),
        MEDICARE,
    )
    assert due.refile == date(2025, 2, 28)
    assert "from date of service" in due.explanation


def test_missing_through_date_falls_back_to_the_service_date():
    due = compute(facts(service=date(2024, 5, 20), institutional=True), MEDICARE)
    assert due.refile == date(2025, 5, 20)


def test_commercial_refile_is_90_days_from_service():
    # 2024-01-15 + 90 days: 16 left in January, 29 in February, 31 in March = 76; 14 April.
    due = compute(facts(received=date(2024, 2, 1), service=date(2024, 1, 15)), COMMERCIAL)
    assert due.refile == date(2024, 4, 14)
    # 2024-02-01 + 180 days: 29 (leap February) + 31 + 30 + 31 + 30 + 31 = 182 to 1 August,
    # so 30 July.
    assert due.appeal == date(2024, 7, 30)


def test_no_rules_or_no_dates_give_no_deadlines():
    assert compute(facts(received=date(2024, 3, 1), service=date(2024, 3, 1)), []) == Deadlines(
        None, None, ""
    )
    due = compute(facts(), MEDICARE)
    assert (due.appeal, due.refile) == (None, None)


def test_payer_rule_listed_first_overrides_the_type_default():
    payer_rule = Rule(RuleKind.APPEAL_1, 0, 60, RuleBasis.REMITTANCE_RECEIPT, scope="payer 7")
    due = compute(facts(received=date(2024, 3, 1)), [payer_rule, *COMMERCIAL])
    assert due.appeal == date(2024, 4, 30)  # 30 left in March + 30 in April
    assert due.refile is None  # no service date; the payer rule has no filing limit
    assert pick_rule([payer_rule, *COMMERCIAL], RuleKind.APPEAL_1, date(2024, 3, 1)) is payer_rule


def test_payer_rule_without_the_kind_leaves_the_type_default_in_force():
    payer_rule = Rule(RuleKind.APPEAL_1, 0, 60, RuleBasis.REMITTANCE_RECEIPT)
    due = compute(facts(service=date(2024, 1, 15)), [payer_rule, *COMMERCIAL])
    assert due.refile == date(2024, 4, 14)


def test_a_rule_effective_later_does_not_apply_to_earlier_dates():
    later = Rule(
        RuleKind.APPEAL_1, 0, 60, RuleBasis.REMITTANCE_RECEIPT, effective_from=date(2024, 7, 1)
    )
    rules = [later, *COMMERCIAL]
    before = compute(facts(received=date(2024, 6, 30)), rules)
    # 2024-06-30 + 180 days: 31+31+30+31+30+31 = 184 to 31 December, so 27 December.
    assert before.appeal == date(2024, 12, 27)
    on = compute(facts(received=date(2024, 7, 1)), rules)
    assert on.appeal == date(2024, 8, 30)  # 30 left in July + 30 in August


def test_a_rule_that_has_ended_no_longer_applies():
    ended = Rule(
        RuleKind.TIMELY_FILING,
        0,
        365,
        RuleBasis.SERVICE_DATE,
        effective_from=date(2020, 1, 1),
        effective_to=date(2023, 12, 31),
    )
    rules = [ended, *COMMERCIAL]
    assert compute(facts(service=date(2023, 12, 31)), rules).refile == date(2024, 12, 30)
    assert compute(facts(service=date(2024, 1, 1)), rules).refile == date(2024, 3, 31)


def test_a_filing_rule_not_counted_from_service_gives_no_refile_deadline():
    rule = Rule(RuleKind.TIMELY_FILING, 0, 90, RuleBasis.REMITTANCE_RECEIPT)
    due = compute(facts(received=date(2024, 1, 1), service=date(2024, 1, 1)), [rule])
    assert due.refile is None


TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (None, DeadlineState.NONE),
        (TODAY - timedelta(days=1), DeadlineState.MISSED),
        (TODAY, DeadlineState.AT_RISK),
        (TODAY + timedelta(days=13), DeadlineState.AT_RISK),
        (TODAY + timedelta(days=14), DeadlineState.AT_RISK),  # the boundary is inclusive
        (TODAY + timedelta(days=15), DeadlineState.OK),
        (TODAY + timedelta(days=200), DeadlineState.OK),
    ],
)
def test_deadline_state(deadline, expected):
    assert deadline_state(deadline, TODAY, 14) == expected


APPEAL_BY, REFILE_BY = date(2024, 9, 1), date(2024, 8, 1)
BOTH = Deadlines(APPEAL_BY, REFILE_BY, "")


@pytest.mark.parametrize(
    ("deadlines", "action", "appealable", "expected"),
    [
        (BOTH, "correct_resubmit", True, REFILE_BY),
        (BOTH, "appeal", False, REFILE_BY),  # no appeal rights: only a corrected claim
        (BOTH, "write_off", False, REFILE_BY),
        (BOTH, "appeal", True, APPEAL_BY),  # even though the refile date is nearer
        (BOTH, "investigate_duplicate", True, REFILE_BY),  # otherwise the nearer one
        (Deadlines(APPEAL_BY, None, ""), "investigate_duplicate", True, APPEAL_BY),
        (Deadlines(None, None, ""), "investigate_duplicate", True, None),
        (Deadlines(APPEAL_BY, None, ""), "correct_resubmit", True, None),
    ],
)
def test_relevant_deadline(deadlines, action, appealable, expected):
    assert relevant_deadline(deadlines, action, appealable) == expected
