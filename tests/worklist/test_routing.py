"""Routing rules without a database: the first match by order names the team."""

from decimal import Decimal as D

import pytest

from worklist.routing import RouteFacts, RouteRule, matches, route

DEFAULT_TEAM = 99


def facts(**overrides):
    values = {
        "payer_id": 1,
        "payer_type": "commercial",
        "category": "coding",
        "reason_code": "97",
        "amount": D("250.00"),
        "rendering_provider_id": "1999900113",
        "procedure_code": "99213",
        "revenue_code": "",
    }
    return RouteFacts(**{**values, **overrides})


def test_the_first_matching_rule_in_order_wins():
    rules = [
        RouteRule(id=5, name="Medical necessity", team_id=30, category="medical_necessity"),
        RouteRule(id=3, name="Coding", team_id=20, category="coding"),
        RouteRule(id=1, name="Commercial", team_id=10, payer_type="commercial"),
    ]
    assert route(facts(), rules, DEFAULT_TEAM) == (20, "routing rule 3 “Coding”")
    assert route(facts(), list(reversed(rules)), DEFAULT_TEAM) == (
        10,
        "routing rule 1 “Commercial”",
    )


def test_a_rule_with_no_conditions_matches_everything():
    catch_all = RouteRule(id=7, name="Everything", team_id=70)
    assert matches(catch_all, facts())
    assert matches(catch_all, facts(payer_type="medicare", category="other", amount=D("0")))
    assert route(facts(category="duplicate"), [catch_all], DEFAULT_TEAM)[0] == 70


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("99.99", False), ("100.00", True), ("250.00", True), ("500.00", True), ("500.01", False)],
)
def test_the_amount_range_is_inclusive(amount, expected):
    rule = RouteRule(id=1, name="Mid", team_id=10, min_amount=D("100"), max_amount=D("500"))
    assert matches(rule, facts(amount=D(amount))) is expected


def test_open_ended_amount_ranges():
    over = RouteRule(id=1, name="Big", team_id=10, min_amount=D("1000"))
    under = RouteRule(id=2, name="Small", team_id=20, max_amount=D("50"))
    assert matches(over, facts(amount=D("1000"))) and not matches(over, facts(amount=D("999")))
    assert matches(under, facts(amount=D("50"))) and not matches(under, facts(amount=D("51")))


def test_a_payer_specific_rule_only_takes_that_payers_items():
    rules = [
        RouteRule(id=1, name="Payer 2 coding", team_id=10, payer_id=2, category="coding"),
        RouteRule(id=2, name="Coding", team_id=20, category="coding"),
    ]
    assert route(facts(payer_id=2), rules, DEFAULT_TEAM)[0] == 10
    assert route(facts(payer_id=1), rules, DEFAULT_TEAM)[0] == 20


@pytest.mark.parametrize(
    "condition",
    [
        "payer_type",
        "category",
        "reason_code",
        "rendering_provider_id",
        "procedure_code",
        "revenue_code",
    ],
)
def test_each_condition_must_hold(condition):
    rule = RouteRule(id=1, name=condition, team_id=10, **{condition: "X1"})
    assert matches(rule, facts(**{condition: "X1"}))
    assert not matches(rule, facts(**{condition: "X2"}))
    assert not matches(rule, facts(**{condition: ""}))


def test_all_conditions_of_a_rule_must_hold_together():
    rule = RouteRule(
        id=1, name="Medicare coding", team_id=10, payer_type="medicare", category="coding"
    )
    assert matches(rule, facts(payer_type="medicare", category="coding"))
    assert not matches(rule, facts(payer_type="medicare", category="eligibility"))
    assert not matches(rule, facts(payer_type="commercial", category="coding"))


def test_no_match_falls_back_to_the_default_team():
    rules = [RouteRule(id=1, name="Eligibility", team_id=10, category="eligibility")]
    team, why = route(facts(category="coding"), rules, DEFAULT_TEAM)
    assert team == DEFAULT_TEAM
    assert why == "no routing rule matched: default team"
    assert route(facts(), [], DEFAULT_TEAM) == (DEFAULT_TEAM, why)


@pytest.mark.parametrize(
    ("rule_code", "matched"),
    [("CO-252", True), ("252", True), ("OA-252", False), ("N211", True), ("CO-25", False)],
)
def test_a_rule_names_a_carc_a_group_and_carc_or_a_remark_code(rule_code, matched):
    denial = facts(reason_code="252", adjustment_codes=("CO-252", "CO-45"), remark_codes=("N211",))
    rule = RouteRule(id=1, name="Attachments", team_id=10, reason_code=rule_code)
    assert matches(rule, denial) is matched
