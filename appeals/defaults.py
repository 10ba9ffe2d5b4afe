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


# ---- Letter templates ----------------------------------------------------------------
# Plain letters a manager adapts: a heading with the claim's facts, the case for the
# category, the biller's argument, the enclosures. Django template syntax; the merge
# fields are in appeals.letters.fields.

_HEADING = """<p>{{ letter_date }}</p>
<p>{{ payer.name }}<br>DEPARTMENT</p>
<p><strong>Re: {{ appeal.level_name }}</strong><br>
Patient: {{ patient.name }}<br>
Member id: {{ patient.member_id }}<br>
Claim number: {{ claim.number }}{% if claim.payer_claim_control_number %} (our account {{ claim.patient_control_number }}){% endif %}<br>
Date of service: {{ claim.service_date|default:"see the enclosed claim" }}<br>
Amount in question: ${{ appeal.amount }}</p>
<p>To whom it may concern:</p>
"""  # noqa: E501

_CODES = """<p>The claim was denied with {% for code in denial_codes %}{{ code.code }}{% if code.description %} ({{ code.description }}){% endif %}{% if not forloop.last %}; {% endif %}{% empty %}no reason given{% endfor %}.</p>
"""  # noqa: E501

_LINES = """{% if claim.lines %}<table>
<tr><th>Line</th><th>Service</th><th>Modifiers</th><th>Units</th><th>Date</th><th>Charge</th></tr>
{% for line in claim.lines %}<tr><td>{{ line.number }}</td><td>{{ line.procedure_code }}</td><td>{{ line.modifiers }}</td><td>{{ line.units }}</td><td>{{ line.service_date|default:"" }}</td><td>${{ line.charge }}</td></tr>
{% endfor %}</table>{% endif %}
"""  # noqa: E501

_CLOSING = """{% if argument %}<p>{{ argument|linebreaksbr }}</p>{% endif %}
<p>Please contact our office with any questions about this request.</p>
{% if enclosures %}<p>Enclosures:</p>
<ul>{% for enclosure in enclosures %}<li>{{ enclosure }}</li>{% endfor %}</ul>{% endif %}
<p>Sincerely,</p>
<p>{{ provider.name|default:"Billing office" }}{% if provider.npi %}<br>NPI {{ provider.npi }}{% endif %}{% if provider.tax_id %}<br>Tax id {{ provider.tax_id }}{% endif %}</p>
"""  # noqa: E501

_SUBJECT = "{{ appeal.level_name }}: claim {{ claim.number }}, {{ patient.name }}"

# (name, category, kind, subject, the paragraphs between heading and closing)
LETTER_TEMPLATES = [
    (
        "General appeal",
        "",
        "appeal",
        _SUBJECT,
        """<p>We ask you to reconsider your decision on the claim above.</p>
"""
        + _CODES
        + _LINES
        + """<p>We believe the claim was billed correctly and is payable under the member's
plan, for the reasons below and in the enclosed records.</p>
""",
    ),
    (
        "Medical necessity appeal",
        "medical_necessity",
        "appeal",
        _SUBJECT,
        _CODES
        + """<p>The services were medically necessary. The patient's condition
({{ claim.diagnosis_codes|default:"see the enclosed records" }}) called for them, as the
enclosed clinical records show, and they were in keeping with accepted standards of
practice.</p>
"""
        + _LINES
        + """<p>We ask that you review the records and pay the claim.</p>
""",
    ),
    (
        "Authorization appeal",
        "authorization",
        "appeal",
        _SUBJECT,
        _CODES
        + """<p>{% if claim.prior_authorization %}The services were authorized before they
were provided: authorization number {{ claim.prior_authorization }}, as it appears on the
claim.{% else %}The services were provided under the circumstances described below, in
which prior authorization was obtained or was not required.{% endif %}</p>
<p>We ask that you match the claim to its authorization and pay it.</p>
""",
    ),
    (
        "Coding appeal",
        "coding",
        "appeal",
        _SUBJECT,
        _CODES
        + _LINES
        + """<p>The codes and modifiers billed describe the services provided, as the
enclosed documentation shows. We ask that you review the coding with the records and pay
the lines as billed.</p>
""",
    ),
    (
        "Timely filing appeal",
        "timely_filing",
        "appeal",
        _SUBJECT,
        _CODES
        + """<p>The claim was filed in time.{% if timely_filing %} It was first submitted
on {{ timely_filing.submitted_on|default:"the date shown on the enclosed proof" }} and
accepted on {{ timely_filing.accepted_on }}{% if timely_filing.trace_number %} (trace
number {{ timely_filing.trace_number }}){% endif %}, within your filing limit. The enclosed
proof of timely filing shows the acceptance on record.{% else %} The enclosed records
show its original submission within your filing limit.{% endif %}</p>
<p>We ask that you consider the claim filed on its original date and process it.</p>
""",
    ),
    (
        "Reopening request",
        "",
        "reopening",
        "Reopening request: claim {{ claim.number }}, {{ patient.name }}",
        """<p>We request a reopening of the claim above to correct a clerical error.</p>
"""
        + _CODES
        + _LINES
        + """<p>The correction is described below. No other information on the claim
changes.</p>
""",
    ),
    (
        "Corrected claim cover letter",
        "",
        "corrected_claim",
        "Corrected claim: claim {{ claim.number }}, {{ patient.name }}",
        """<p>Please find enclosed a corrected claim replacing the claim above.</p>
"""
        + _CODES
        + """<p>The corrected claim addresses the reason for the denial, as described below.
Please process it in place of the original.</p>
""",
    ),
]


def install_letter_templates(apps) -> None:
    """Install the default letters, once each (by name): safe to run again, and a
    manager's edits to an installed letter are kept."""
    LetterTemplate = apps.get_model("appeals", "LetterTemplate")
    for name, category, kind, subject, middle in LETTER_TEMPLATES:
        department = "Appeals department" if kind == "appeal" else "Claims department"
        LetterTemplate.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "kind": kind,
                "subject": subject,
                "body": _HEADING.replace("DEPARTMENT", department) + middle + _CLOSING,
                "active": True,
            },
        )
