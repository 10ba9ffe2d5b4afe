"""How long payers take to decide, as published, until an installation's own decided
appeals say better (``appeals.deadlines.expected_decision``).

Medicare: 42 CFR 405.950 (redetermination, 60 days), 405.970 (reconsideration, 60 days),
405.1016 (ALJ, 90 days), 405.1100 (Appeals Council, 90 days). Medicare Advantage:
42 CFR 422.590 (payment reconsideration, 60 days). Group health plans: 45 CFR 147.136
(post-service internal appeal, 60 days for the plan; 45 days for an external review).
Corrected claims: the prompt-pay clock most states and Medicare use (30 days).
"""

# (payer type, kind, level, days, note)
DECISION_TIMES = [
    ("medicare", "appeal", "first", 60, "Redetermination: 60 days (42 CFR 405.950)"),
    ("medicare", "appeal", "second", 60, "Reconsideration: 60 days (42 CFR 405.970)"),
    ("medicare", "appeal", "third", 90, "ALJ hearing: 90 days (42 CFR 405.1016)"),
    ("medicare", "appeal", "fourth", 90, "Appeals Council: 90 days (42 CFR 405.1100)"),
    ("medicare", "reopening", "first", 60, "Reopening: commonly within 60 days"),
    ("medicare", "corrected_claim", "first", 30, "Clean claim: paid within 30 days"),
    ("medicare_advantage", "appeal", "first", 60, "Plan reconsideration: 60 days"),
    ("medicare_advantage", "appeal", "second", 60, "Independent review entity: 60 days"),
    ("medicare_advantage", "appeal", "third", 90, "ALJ hearing: 90 days"),
    ("medicare_advantage", "appeal", "fourth", 90, "Appeals Council: 90 days"),
    ("medicare_advantage", "corrected_claim", "first", 30, "Prompt pay: 30 days"),
    ("medicaid", "appeal", "first", 60, "Varies by state"),
    ("medicaid", "corrected_claim", "first", 30, "Prompt pay: 30 days"),
    ("commercial", "appeal", "first", 60, "Post-service internal appeal: 60 days"),
    ("commercial", "appeal", "second", 60, "Second internal level: 60 days"),
    ("commercial", "appeal", "external", 45, "External review: 45 days (45 CFR 147.136)"),
    ("commercial", "corrected_claim", "first", 30, "Prompt pay: 30 days"),
    ("workers_comp", "appeal", "first", 60, "Varies by state"),
    ("workers_comp", "corrected_claim", "first", 30, ""),
    ("other", "appeal", "first", 60, ""),
    ("other", "corrected_claim", "first", 30, ""),
]

# With no rule at all for a payer and level: this many days.
FALLBACK_DECISION_DAYS = 60


def install(apps) -> None:
    DecisionTime = apps.get_model("appeals", "DecisionTime")
    for payer_type, kind, level, days, note in DECISION_TIMES:
        DecisionTime.objects.get_or_create(
            payer=None,
            payer_type=payer_type,
            kind=kind,
            level=level,
            defaults={"days": days, "note": note},
        )
