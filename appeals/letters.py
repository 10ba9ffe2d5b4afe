"""Appeal letters: the merge fields an appeal offers, and its letter rendered from its
template (Django template syntax, in an engine of its own that loads nothing else)."""

from __future__ import annotations

from django.template import Context, Engine

from . import selectors

# Templates are data managers edit: builtins only, no loaders (no {% include %} of files).
ENGINE = Engine(debug=False, loaders=[], string_if_invalid="", autoescape=True)

DEFAULT_BODY = """<p>{{ today }}</p>
<p>{{ payer.name }}<br>Appeals department</p>
<p><strong>Re: {{ appeal.level_name }} — claim {{ claim.payer_claim_control_number|default:claim.patient_control_number }}</strong><br>
Patient: {{ patient.name }} · Member id: {{ patient.member_id }}<br>
Date of service: {{ claim.service_date|default:"—" }} · Amount appealed: ${{ appeal.amount }}</p>
<p>We ask you to reconsider the denial of this claim ({% for c in denial_codes %}{{ c.code }}{% if c.description %}: {{ c.description }}{% endif %}{% if not forloop.last %}; {% endif %}{% endfor %}).</p>
<p>{{ argument|linebreaksbr }}</p>
{% if enclosures %}<p>Enclosures:</p><ul>{% for e in enclosures %}<li>{{ e }}</li>{% endfor %}</ul>{% endif %}
<p>Sincerely,<br>{{ provider.name }}{% if provider.npi %} (NPI {{ provider.npi }}){% endif %}</p>"""  # noqa: E501


def letter_context(appeal) -> dict:
    from django.utils import timezone

    claim = appeal.submitted_claim
    codes = selectors.code_descriptions(list(appeal.reason_codes))
    enclosures = [e.description or e.name for e in appeal.evidence.all()]
    return {
        "today": timezone.localdate(),
        "appeal": {
            "level_name": appeal.level_name,
            "amount": f"{appeal.amount_appealed:,.2f}",
            "deadline": appeal.deadline,
            "reference": appeal.reference,
        },
        "payer": {"name": appeal.payer.name, "identifier": appeal.payer.identifier},
        "patient": {
            "name": " ".join(
                p
                for p in (claim and claim.patient_first_name, claim and claim.patient_last_name)
                if p
            ),
            "member_id": claim.member_id if claim else "",
        },
        "claim": {
            "patient_control_number": appeal.patient_control_number,
            "payer_claim_control_number": appeal.payer_claim_control_number,
            "service_date": appeal.service_date,
            "procedure_code": appeal.procedure_code,
            "charge": claim.charge if claim else None,
        },
        "provider": {
            "name": "",
            "npi": claim.billing_npi if claim else "",
            "tax_id": claim.billing_tax_id if claim else "",
        },
        "denial_codes": [{"code": c, "description": d} for c, d in codes.items()],
        "argument": appeal.argument,
        "enclosures": enclosures,
    }


def render_html(appeal) -> str:
    body = appeal.template.body if appeal.template else DEFAULT_BODY
    return ENGINE.from_string(body).render(Context(letter_context(appeal)))
