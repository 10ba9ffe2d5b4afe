"""One appeal's merge fields: from the claim as submitted when there is one, otherwise
from the appeal's own record and the 835 claim it came from; and its enclosures, proof of
timely filing included when the denial is for timely filing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from denials.choices import DenialCategory

from .. import selectors


def money(value) -> str:
    return "" if value is None else f"{Decimal(value):,.2f}"


def letter_context(appeal) -> dict:
    """The merge fields for one appeal: from the claim as submitted when there is one,
    otherwise from the appeal's own record and the 835 claim it came from."""
    item = appeal.item
    booked = item.claim  # the 835 claim (None for a rejection)
    submitted = appeal.submitted_claim
    era = getattr(booked, "era", None)
    proof = timely_filing(appeal)
    return {
        "letter_date": appeal.submitted_on or timezone.localdate(),
        "today": timezone.localdate(),
        "appeal": {
            "level_name": appeal.level_name,
            "kind": appeal.get_kind_display(),
            "number": appeal.pk,
            "amount": money(appeal.amount_appealed),
            "deadline": appeal.deadline,
            "deadline_explanation": appeal.deadline_explanation,
            "reference": appeal.reference,
            "submitted_on": appeal.submitted_on,
            "method": appeal.get_method_display() if appeal.method else "",
        },
        "payer": {
            "name": appeal.payer.name,
            "identifier": appeal.payer.identifier,
            "type": appeal.get_payer_type_display(),
        },
        "patient": _patient(submitted, booked),
        "claim": _claim(appeal, submitted, booked),
        "denial": {
            "category": DenialCategory(appeal.category).label if appeal.category else "",
            "remittance_date": item.received_date,
        },
        "denial_codes": [
            {"code": code, "description": description}
            for code, description in selectors.code_descriptions(list(appeal.reason_codes)).items()
        ],
        "provider": {
            "name": getattr(era, "payee_name", ""),
            "npi": (submitted and submitted.billing_npi) or getattr(era, "payee_npi", ""),
            "tax_id": (submitted and submitted.billing_tax_id) or getattr(era, "payee_tax_id", ""),
            "rendering_npi": (submitted and submitted.rendering_npi)
            or getattr(booked, "rendering_provider_id", ""),
        },
        "argument": appeal.argument,
        "enclosures": enclosures(appeal, proof),
        "timely_filing": proof and proof.as_context(),
    }


def _patient(submitted, booked) -> dict:
    source = submitted if submitted and submitted.patient_last_name else booked
    first = getattr(source, "patient_first_name", "") or ""
    last = getattr(source, "patient_last_name", "") or ""
    member_id = (submitted and submitted.member_id) or (
        booked and (booked.corrected_insured_id or booked.insured_id or booked.patient_id)
    )
    return {
        "name": " ".join(p.title() for p in (first, last) if p),
        "first_name": first.title(),
        "last_name": last.title(),
        "member_id": member_id or "",
    }


def _claim(appeal, submitted, booked) -> dict:
    payer_number = appeal.payer_claim_control_number or (
        submitted.payer_claim_control_number if submitted else ""
    )
    service_to = (submitted and (submitted.service_date_to or submitted.statement_to)) or (
        booked and booked.statement_to
    )
    return {
        "patient_control_number": appeal.patient_control_number,
        "payer_claim_control_number": payer_number,
        "number": payer_number or appeal.patient_control_number,
        "service_date": appeal.service_date
        or (submitted and submitted.first_service_date)
        or (booked and booked.statement_from),
        "service_date_to": service_to,
        "submitted_on": submitted.submitted_on if submitted else None,
        "charge": money(submitted.charge if submitted else getattr(booked, "charge", None)),
        "paid": money(getattr(booked, "paid", None)),
        "procedure_code": appeal.procedure_code,
        "diagnosis_codes": ", ".join(submitted.diagnosis_codes) if submitted else "",
        "prior_authorization": submitted.prior_authorization if submitted else "",
        "place_of_service": submitted.place_of_service if submitted else "",
        "lines": _lines(submitted, booked),
    }


def _lines(submitted, booked) -> list[dict]:
    if submitted is not None and submitted.lines.exists():
        rows = submitted.lines.all()
        number = "line_number"
    elif booked is not None:
        rows = booked.service_lines.all()
        number = "position"
    else:
        return []
    return [
        {
            "number": getattr(row, number),
            "procedure_code": row.procedure_code or row.revenue_code,
            "modifiers": ", ".join(row.modifiers or []),
            "units": "" if row.units is None else f"{row.units.normalize():f}",
            "charge": money(row.charge),
            "service_date": row.service_date_from,
        }
        for row in rows
    ]


# ---- Proof of timely filing and enclosures -------------------------------------------


@dataclass(frozen=True)
class TimelyFilingProof:
    """What proves the original claim was filed in time: its submission and the payer's
    (or clearinghouse's) acceptance on record."""

    submitted_on: object
    accepted_on: object
    acceptance: str
    trace_number: str
    claim_file: str
    patient_control_number: str

    def as_context(self) -> dict:
        return {
            "submitted_on": self.submitted_on,
            "accepted_on": self.accepted_on,
            "trace_number": self.trace_number,
        }


def timely_filing(appeal) -> TimelyFilingProof | None:
    """The proof a timely-filing appeal encloses (None for other denials, or when no
    acceptance is on record)."""
    if appeal.category != DenialCategory.TIMELY_FILING:
        return None
    event = selectors.timely_filing_proof(appeal.item)
    if event is None:
        return None
    claim = event.submitted_claim
    file = claim.file
    return TimelyFilingProof(
        submitted_on=claim.submitted_on,
        accepted_on=event.occurred_on,
        acceptance=event.detail or "Accepted.",
        trace_number=claim.clearinghouse_trace_number,
        claim_file=str(file) if file else "",
        patient_control_number=claim.patient_control_number,
    )


def enclosures(appeal, proof: TimelyFilingProof | None = None) -> list[str]:
    items = ["Proof of timely filing"] if proof else []
    return items + [e.description or e.name for e in appeal.evidence.all()]
