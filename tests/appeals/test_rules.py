"""The pure rules: the level chain, deadline arithmetic per payer type, the expected
decision date and the route checks (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from appeals import deadlines, routes
from worklist.deadlines import Rule

MEDICARE = [
    Rule("appeal_1", 0, 120, "receipt", 5),
    Rule("appeal_2", 0, 180, "decision", 5),
    Rule("appeal_3", 0, 60, "decision", 5, D("190")),
    Rule("appeal_4", 0, 60, "decision", 5),
    Rule("appeal_5", 0, 60, "decision", 5, D("1900")),
]
COMMERCIAL = [
    Rule("appeal_1", 0, 180, "receipt"),
    Rule("appeal_2", 0, 60, "decision"),
    Rule("external_review", 4, 0, "decision"),
]


def test_the_chain_follows_the_payers_rules():
    assert deadlines.chain(MEDICARE) == ["first", "second", "third", "fourth", "fifth"]
    assert deadlines.chain(COMMERCIAL) == ["first", "second", "external"]
    assert deadlines.chain([]) == ["first"]
    assert deadlines.next_level(COMMERCIAL, "second") == "external"
    assert deadlines.next_level(COMMERCIAL, "external") is None
    assert deadlines.next_level(MEDICARE, "fifth") is None


@pytest.mark.parametrize(
    ("rules", "level", "decided", "due", "minimum"),
    [
        # Medicare reconsideration: 180 days from the redetermination notice, presumed
        # received 5 days after its date.
        (MEDICARE, "second", date(2026, 1, 10), date(2026, 7, 14), None),
        (MEDICARE, "third", date(2026, 1, 10), date(2026, 3, 16), D("190")),
        # Commercial external review: 4 calendar months from the final internal decision.
        (COMMERCIAL, "external", date(2025, 10, 31), date(2026, 2, 28), None),
    ],
)
def test_later_levels_count_from_the_previous_decision(rules, level, decided, due, minimum):
    deadline = deadlines.level_deadline(rules, level, decided)
    assert (deadline.on, deadline.min_amount) == (due, minimum)
    assert decided.isoformat() in deadline.explanation


def test_first_submissions_deadlines():
    kw = {
        "appeal_deadline": date(2026, 5, 1),
        "refile_deadline": date(2026, 3, 1),
        "received_date": date(2026, 1, 15),
        "rules": MEDICARE,
    }
    assert deadlines.first_deadline("appeal", **kw).on == date(2026, 5, 1)
    assert deadlines.first_deadline("corrected_claim", **kw).on == date(2026, 3, 1)
    assert deadlines.first_deadline("reopening", **kw).on == date(2027, 1, 15)


def test_expected_decision_learns_from_the_payers_own_times():
    sent = date(2026, 3, 1)
    assert deadlines.expected_decision(sent, [20, 30, 40, 50], 60, 45)[0] == date(2026, 4, 30)
    on, why = deadlines.expected_decision(sent, [20, 30, 40, 50, 90], 60, 45)
    assert on == date(2026, 4, 10) and "median of 5" in why  # 40 days, not the published 60
    assert deadlines.expected_decision(sent, [], None, 45)[0] == date(2026, 4, 15)


def facts(**kw):
    base = {
        "kind": "appeal",
        "level": "first",
        "payer_type": "commercial",
        "reason_codes": ("CO-50",),
        "appealable": True,
    }
    return routes.RouteFacts(**{**base, **kw})


def test_route_checks():
    assert routes.check_route(facts()).allowed
    ma130 = routes.check_route(facts(reason_codes=("CO-16", "MA130"), appealable=False))
    assert not ma130.allowed and ma130.suggested_kind == "corrected_claim"
    assert len(ma130.refusals) == 1  # one reason, not also the generic "not appealable"
    late = routes.check_route(facts(reason_codes=("CO-29", "N211"), appealable=False))
    assert "proof of timely filing" in late.refusals[0]
    proven = facts(reason_codes=("CO-29",), appealable=False, timely_filing_proof=True)
    assert routes.check_route(proven).allowed
    clerical = routes.check_route(facts(payer_type="medicare", clerical_error=True))
    assert clerical.suggested_kind == "reopening"
    assert routes.check_route(facts(payer_type="commercial", clerical_error=True)).allowed
    assert not routes.check_route(facts(kind="reopening")).allowed  # no clerical error
    small = facts(level="third", amount=D("150"), min_amount_in_controversy=D("190"))
    assert "$190.00 in controversy" in routes.check_route(small).refusals[0]
    assert routes.check_route(facts(kind="corrected_claim", appealable=False)).allowed
