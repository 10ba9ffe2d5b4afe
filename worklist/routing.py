"""Routing: the first matching rule (by order) names the team; else the default team."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RouteRule:
    id: int
    name: str
    team_id: int
    payer_id: int | None = None
    payer_type: str = ""
    category: str = ""
    reason_code: str = ""
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    rendering_provider_id: str = ""
    procedure_code: str = ""
    revenue_code: str = ""


@dataclass(frozen=True, slots=True)
class RouteFacts:
    payer_id: int
    payer_type: str
    category: str
    reason_code: str
    amount: Decimal
    rendering_provider_id: str = ""
    procedure_code: str = ""
    revenue_code: str = ""
    adjustment_codes: tuple[str, ...] = ()  # group and code, e.g. ("CO-252", "CO-45")
    remark_codes: tuple[str, ...] = ()  # RARCs, e.g. ("N211",)


def code_matches(rule_code: str, f: RouteFacts) -> bool:
    """A rule's reason code names a CARC alone ("252": any group), a group and a CARC
    ("CO-252") or a remark code ("N211")."""
    return (
        not rule_code
        or rule_code == f.reason_code
        or rule_code in f.adjustment_codes
        or rule_code in f.remark_codes
        or (
            "-" not in rule_code
            and any(c.split("-", 1)[-1] == rule_code for c in f.adjustment_codes)
        )
    )


def matches(rule: RouteRule, f: RouteFacts) -> bool:
    return (
        (rule.payer_id is None or rule.payer_id == f.payer_id)
        and (not rule.payer_type or rule.payer_type == f.payer_type)
        and (not rule.category or rule.category == f.category)
        and code_matches(rule.reason_code, f)
        and (rule.min_amount is None or f.amount >= rule.min_amount)
        and (rule.max_amount is None or f.amount <= rule.max_amount)
        and (
            not rule.rendering_provider_id or rule.rendering_provider_id == f.rendering_provider_id
        )
        and (not rule.procedure_code or rule.procedure_code == f.procedure_code)
        and (not rule.revenue_code or rule.revenue_code == f.revenue_code)
    )


def route(facts: RouteFacts, rules: list[RouteRule], default_team_id: int) -> tuple[int, str]:
    """(team id, the rule that fired in words). ``rules`` are in order."""
    for rule in rules:
        if matches(rule, facts):
            return rule.team_id, f"routing rule {rule.id} “{rule.name}”"
    return default_team_id, "no routing rule matched: default team"
