"""Defaults an installation starts with; managers edit them afterwards (admin and API).

Appeal and filing limits per payer type, as published (Medicare: 42 CFR 405 subpart I and
the CMS claims processing manual; others are common contract defaults, to be checked
against each payer's agreement). Amounts in controversy are CMS's 2025 figures.
"""

from datetime import date
from decimal import Decimal

EFFECTIVE = date(2000, 1, 1)  # rules without a dated figure: in effect for any claim
AMOUNTS_2025 = date(2025, 1, 1)  # the amount-in-controversy figures are CMS's for 2025

# (payer type, kind, months, days, basis, receipt grace days, min amount in controversy, note)
PAYER_RULES = [
    (
        "medicare",
        "appeal_1",
        0,
        120,
        "receipt",
        5,
        None,
        "Redetermination: 120 days from receipt; receipt presumed 5 days after the remittance date",
    ),
    ("medicare", "appeal_2", 0, 180, "decision", 5, None, "Reconsideration (QIC): 180 days"),
    (
        "medicare",
        "appeal_3",
        0,
        60,
        "decision",
        5,
        Decimal("190"),
        "ALJ hearing: 60 days; $190 in controversy (2025)",
    ),
    ("medicare", "appeal_4", 0, 60, "decision", 5, None, "Appeals Council: 60 days"),
    (
        "medicare",
        "appeal_5",
        0,
        60,
        "decision",
        5,
        Decimal("1900"),
        "Federal court: 60 days; $1,900 in controversy (2025)",
    ),
    (
        "medicare",
        "timely_filing",
        12,
        0,
        "service",
        0,
        None,
        "12 months from the through date (institutional) or the line's from date (professional)",
    ),
    ("medicare", "follow_up", 0, 30, "receipt", 0, None, ""),
    (
        "medicare_advantage",
        "appeal_1",
        0,
        60,
        "receipt",
        0,
        None,
        "Plan reconsideration: typically 60 days",
    ),
    ("medicare_advantage", "timely_filing", 12, 0, "service", 0, None, ""),
    ("medicare_advantage", "follow_up", 0, 30, "receipt", 0, None, ""),
    (
        "medicaid",
        "appeal_1",
        0,
        90,
        "receipt",
        0,
        None,
        "Varies by state: check the state's manual",
    ),
    ("medicaid", "timely_filing", 12, 0, "service", 0, None, "Varies by state"),
    ("medicaid", "follow_up", 0, 30, "receipt", 0, None, ""),
    (
        "commercial",
        "appeal_1",
        0,
        180,
        "receipt",
        0,
        None,
        "Large commercial plans allow 65–180 days: set per payer",
    ),
    (
        "commercial",
        "timely_filing",
        0,
        90,
        "service",
        0,
        None,
        "In-network default: set per contract",
    ),
    (
        "commercial",
        "appeal_2",
        0,
        60,
        "decision",
        0,
        None,
        "Second internal level: commonly 60 days from the first decision; set per payer",
    ),
    (
        "commercial",
        "external_review",
        4,
        0,
        "decision",
        0,
        None,
        "External review: 4 months from the final internal decision (45 CFR 147.136)",
    ),
    ("commercial", "follow_up", 0, 30, "receipt", 0, None, ""),
    ("workers_comp", "appeal_1", 0, 90, "receipt", 0, None, "Varies by state"),
    ("workers_comp", "timely_filing", 0, 180, "service", 0, None, "Varies by state"),
    ("workers_comp", "follow_up", 0, 30, "receipt", 0, None, ""),
    ("other", "appeal_1", 0, 90, "receipt", 0, None, ""),
    ("other", "timely_filing", 0, 90, "service", 0, None, ""),
    ("other", "follow_up", 0, 30, "receipt", 0, None, ""),
]

# category: (prior recovery rate, prior weight, work cost). Cost: industry figures put
# reworking a denial at about $25 in a practice and $118 in a hospital; clinical appeals
# sit at the hospital end.
CATEGORY_POLICIES = {
    "eligibility": ("0.600", 10, "25"),
    "authorization": ("0.450", 10, "60"),
    "medical_necessity": ("0.400", 10, "118"),
    "coding": ("0.700", 10, "25"),
    "missing_information": ("0.750", 10, "25"),
    "duplicate": ("0.300", 10, "15"),
    "timely_filing": ("0.150", 10, "25"),
    "coordination_of_benefits": ("0.650", 10, "25"),
    "non_covered": ("0.200", 10, "40"),
    "pricing": ("0.500", 10, "40"),
    "other": ("0.350", 10, "25"),
}

# slug: (name, description, default?)
TEAMS = {
    "front-end": (
        "Front end / eligibility",
        "Registration, eligibility and coordination of benefits",
        False,
    ),
    "coding": ("Coding", "Coding, bundling and modifiers", False),
    "clinical-appeals": ("Clinical appeals", "Medical necessity and authorization", False),
    "ar-follow-up": ("AR follow-up", "Everything else: follow-up, documentation, pricing", True),
}

# (order, name, team slug, category)
ROUTING_RULES = [
    (10, "Eligibility to front end", "front-end", "eligibility"),
    (20, "Coordination of benefits to front end", "front-end", "coordination_of_benefits"),
    (30, "Coding to coding", "coding", "coding"),
    (40, "Medical necessity to clinical appeals", "clinical-appeals", "medical_necessity"),
    (50, "Authorization to clinical appeals", "clinical-appeals", "authorization"),
]


def install(apps) -> None:
    """Create the defaults that are missing (safe to run twice)."""
    Team = apps.get_model("worklist", "Team")
    RoutingRule = apps.get_model("worklist", "RoutingRule")
    PayerRule = apps.get_model("worklist", "PayerRule")
    CategoryPolicy = apps.get_model("worklist", "CategoryPolicy")
    teams = {}
    for slug, (name, description, default) in TEAMS.items():
        teams[slug], _ = Team.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "is_default": default}
        )
    for order, name, slug, category in ROUTING_RULES:
        RoutingRule.objects.get_or_create(
            name=name, defaults={"order": order, "team": teams[slug], "category": category}
        )
    for ptype, kind, months, days, basis, grace, minimum, note in PAYER_RULES:
        PayerRule.objects.get_or_create(
            payer=None,
            payer_type=ptype,
            kind=kind,
            effective_from=EFFECTIVE,
            defaults={
                "months": months,
                "days": days,
                "basis": basis,
                "receipt_grace_days": grace,
                "min_amount_in_controversy": minimum,
                "note": note,
            },
        )
    for category, (rate, weight, cost) in CATEGORY_POLICIES.items():
        CategoryPolicy.objects.get_or_create(
            category=category,
            defaults={
                "prior_recovery_rate": Decimal(rate),
                "prior_weight": weight,
                "work_cost": Decimal(cost),
            },
        )
