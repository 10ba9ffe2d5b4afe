"""The merge fields a letter template may use, described for the managers who write
templates, the default letter, and a made-up appeal to preview and check templates with."""

from __future__ import annotations

from datetime import date

MERGE_FIELDS: dict[str, str] = {
    "letter_date": "The letter's date: the submission date once sent, otherwise today.",
    "today": "Today's date.",
    "appeal.level_name": 'What is sent, by level: "Redetermination (MAC)", "First level"…',
    "appeal.kind": "Appeal, reopening (clerical error) or corrected claim.",
    "appeal.number": "This appeal's number in the app.",
    "appeal.amount": "The amount appealed, e.g. 1,000.00.",
    "appeal.deadline": "The payer's deadline for it (a date; may be empty).",
    "appeal.deadline_explanation": "How the deadline was worked out.",
    "appeal.reference": "The payer's reference, once sent.",
    "appeal.submitted_on": "The submission date, once sent.",
    "appeal.method": "How it is sent (portal, mail, fax, electronic), once sent.",
    "payer.name": "The payer's name.",
    "payer.identifier": "The payer's identifier.",
    "payer.type": "Medicare, Medicaid, commercial…",
    "patient.name": "The patient's first and last name.",
    "patient.first_name": "The patient's first name.",
    "patient.last_name": "The patient's last name.",
    "patient.member_id": "The member (subscriber) id.",
    "claim.patient_control_number": "The provider's claim (account) number.",
    "claim.payer_claim_control_number": "The payer's claim number (ICN).",
    "claim.number": "The payer's claim number, or the provider's when the payer gave none.",
    "claim.service_date": "The first date of service.",
    "claim.service_date_to": "The last date of service.",
    "claim.submitted_on": "When the original claim was submitted.",
    "claim.charge": "The claim's total charge, e.g. 1,250.00.",
    "claim.paid": "What the payer paid on the claim, e.g. 0.00.",
    "claim.procedure_code": "The appealed procedure code (empty: the whole claim).",
    "claim.diagnosis_codes": "The claim's diagnosis codes, comma-separated.",
    "claim.prior_authorization": "The prior authorization number on the claim.",
    "claim.place_of_service": "The place of service code.",
    "claim.lines": "The claim's lines: for each line, line.number, line.procedure_code, "
    "line.modifiers, line.units, line.charge, line.service_date.",
    "denial.category": "The denial's category, in words.",
    "denial.remittance_date": "The date of the remittance that denied it.",
    "denial_codes": "The denial codes: for each code, code.code (CO-50) and code.description.",
    "provider.name": "The billing provider's name.",
    "provider.npi": "The billing provider's NPI.",
    "provider.tax_id": "The billing provider's tax id.",
    "provider.rendering_npi": "The rendering provider's NPI.",
    "argument": "The biller's argument, as typed (use |linebreaksbr).",
    "enclosures": "What is enclosed: the evidence and any proof of timely filing.",
    "timely_filing.submitted_on": "Proof of timely filing: the original submission date.",
    "timely_filing.accepted_on": "Proof of timely filing: the date the payer accepted it.",
    "timely_filing.trace_number": "Proof of timely filing: the clearinghouse trace number.",
}
# The names a template may start a variable with, and the keys each group has.
GROUPS: dict[str, set[str]] = {}
for _name in MERGE_FIELDS:
    _head, _, _tail = _name.partition(".")
    GROUPS.setdefault(_head, set()).update({_tail} if _tail else set())

DEFAULT_BODY = """<p>{{ letter_date }}</p>
<p>{{ payer.name }}<br>Appeals department</p>
<p><strong>Re: {{ appeal.level_name }}, claim {{ claim.number }}</strong><br>
Patient: {{ patient.name }}, member id {{ patient.member_id }}<br>
Date of service: {{ claim.service_date|default:"not given" }}; amount appealed: ${{ appeal.amount }}</p>
<p>We ask you to reconsider the denial of this claim ({% for code in denial_codes %}{{ code.code }}{% if code.description %}: {{ code.description }}{% endif %}{% if not forloop.last %}; {% endif %}{% endfor %}).</p>
<p>{{ argument|linebreaksbr }}</p>
{% if enclosures %}<p>Enclosures:</p><ul>{% for e in enclosures %}<li>{{ e }}</li>{% endfor %}</ul>{% endif %}
<p>Sincerely,<br>{{ provider.name }}{% if provider.npi %} (NPI {{ provider.npi }}){% endif %}</p>"""  # noqa: E501
DEFAULT_SUBJECT = "{{ appeal.level_name }}: claim {{ claim.number }}"


def sample_context() -> dict:
    """Every merge field filled with made-up values: the preview without an appeal, and
    the render check of validation."""
    return {
        "letter_date": date(2025, 3, 14),
        "today": date(2025, 3, 14),
        "appeal": {
            "level_name": "First level",
            "kind": "Appeal",
            "number": 1001,
            "amount": "1,250.00",
            "deadline": date(2025, 6, 30),
            "deadline_explanation": "180 days from the remittance (payer rule).",
            "reference": "",
            "submitted_on": None,
            "method": "",
        },
        "payer": {"name": "Sample Health Plan", "identifier": "99999", "type": "Commercial"},
        "patient": {
            "name": "Alex Sample",
            "first_name": "Alex",
            "last_name": "Sample",
            "member_id": "XYZ123456789",
        },
        "claim": {
            "patient_control_number": "ACCT-0001",
            "payer_claim_control_number": "ICN20250001",
            "number": "ICN20250001",
            "service_date": date(2025, 1, 10),
            "service_date_to": date(2025, 1, 10),
            "submitted_on": date(2025, 1, 12),
            "charge": "1,250.00",
            "paid": "0.00",
            "procedure_code": "99214",
            "diagnosis_codes": "E11.9, I10",
            "prior_authorization": "PA-778899",
            "place_of_service": "11",
            "lines": [
                {
                    "number": 1,
                    "procedure_code": "99214",
                    "modifiers": "25",
                    "units": "1",
                    "charge": "1,250.00",
                    "service_date": date(2025, 1, 10),
                }
            ],
        },
        "denial": {"category": "Medical necessity", "remittance_date": date(2025, 2, 20)},
        "denial_codes": [
            {
                "code": "CO-50",
                "description": "These are non-covered services because this is not deemed "
                "a 'medical necessity' by the payer.",
            }
        ],
        "provider": {
            "name": "Sample Medical Group",
            "npi": "1234567893",
            "tax_id": "12-3456789",
            "rendering_npi": "1987654321",
        },
        "argument": "The enclosed notes show why the visit was needed.",
        "enclosures": ["Office visit notes, January 10, 2025"],
        "timely_filing": {
            "submitted_on": date(2025, 1, 12),
            "accepted_on": date(2025, 1, 13),
            "trace_number": "TRN-0001",
        },
    }
