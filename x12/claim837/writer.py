"""Render Transaction837 dataclasses as X12 837P (005010X222A1) or 837I (005010X223A2) text.

The reader reads back what this writes: ``parse_837(render_837([tx]))`` gives the same claims
(positions aside). Each claim gets its own subscriber HL (and patient HL when the patient is
not the subscriber); a new billing provider HL starts whenever the billing provider changes.
"""

from __future__ import annotations

from datetime import date

from ..tokenizer import Delimiters
from ..writer import close, composite, d8, interchange, money, segment
from .model import INSTITUTIONAL, Claim837, Line837, Person837, Provider837, Transaction837

VERSIONS = {"professional": "005010X222A1", "institutional": "005010X223A2"}


def _name(d: Delimiters, code: str, provider: Provider837) -> list[str]:
    if provider.entity_type == "1" and ", " in provider.name:
        last, first = provider.name.split(", ", 1)
    else:
        last, first = provider.name, ""
    out = [
        segment(d, "NM1", code, provider.entity_type or "2", last, first, "", "", "",
                "XX" if provider.npi else "", provider.npi)
    ]  # fmt: skip
    return out


def _provider(d: Delimiters, code: str, provider: Provider837, billing: bool) -> list[str]:
    out = []
    if billing and provider.taxonomy:
        out.append(segment(d, "PRV", "BI", "PXC", provider.taxonomy))
    out += _name(d, code, provider)
    if not billing and provider.taxonomy:
        out.append(segment(d, "PRV", "PE", "PXC", provider.taxonomy))
    if billing and provider.tax_id:
        out.append(segment(d, "REF", "EI", provider.tax_id))
    return out


def _person(d: Delimiters, code: str, person: Person837) -> list[str]:
    out = [
        segment(d, "NM1", code, "1", person.last_name, person.first_name, "", "", "",
                "MI" if person.member_id else "", person.member_id)
    ]  # fmt: skip
    if person.birth_date or person.gender:
        out.append(segment(d, "DMG", "D8", d8(person.birth_date), person.gender))
    return out


def _dtp(d: Delimiters, qualifier: str, start: date | None, end: date | None) -> str:
    if end is None or end == start:
        return segment(d, "DTP", qualifier, "D8", d8(start))
    return segment(d, "DTP", qualifier, "RD8", f"{d8(start)}-{d8(end)}")


def _line(d: Delimiters, line: Line837, institutional: bool) -> list[str]:
    out = [segment(d, "LX", str(line.number))]
    procedure = composite(d, line.procedure_qualifier, line.procedure_code, *line.modifiers)
    if institutional:
        out.append(
            segment(d, "SV2", line.revenue_code, procedure, money(line.charge), line.unit_basis,
                    money(line.units))
        )  # fmt: skip
    else:
        out.append(
            segment(d, "SV1", procedure, money(line.charge), line.unit_basis, money(line.units),
                    line.place_of_service, "", composite(d, *line.diagnosis_pointers))
        )  # fmt: skip
    if line.service_date_from:
        out.append(_dtp(d, "472", line.service_date_from, line.service_date_to))
    if line.line_control_number:
        out.append(segment(d, "REF", "6R", line.line_control_number))
    if line.ndc:
        out.append(segment(d, "LIN", "", "N4", line.ndc))
    return out


def _claim(d: Delimiters, claim: Claim837) -> list[str]:
    institutional = claim.kind == INSTITUTIONAL
    out = [
        segment(d, "CLM", claim.patient_control_number, money(claim.charge), "", "",
                composite(d, claim.facility_code, claim.facility_qualifier,
                          claim.frequency_code), "Y", "A", "Y", "Y")
    ]  # fmt: skip
    lines_dated = any(x.service_date_from for x in claim.lines)
    if claim.service_date_from and not lines_dated:
        out.append(_dtp(d, "472", claim.service_date_from, claim.service_date_to))
    if claim.statement_from:
        out.append(_dtp(d, "434", claim.statement_from, claim.statement_to))
    if claim.admission_date:
        out.append(_dtp(d, "435", claim.admission_date, None))
    if institutional:
        out.append(segment(d, "CL1", "1", "1", "01"))
    for qualifier, value in (
        ("G1", claim.prior_authorization),
        ("9F", claim.referral_number),
        ("F8", claim.payer_claim_control_number),
        ("D9", claim.clearinghouse_trace),
    ):
        if value:
            out.append(segment(d, "REF", qualifier, value))
    if claim.diagnosis_codes:
        pairs = zip(claim.diagnosis_qualifiers, claim.diagnosis_codes, strict=True)
        out.append(segment(d, "HI", *(composite(d, q, c) for q, c in pairs)))
    if claim.attending_provider:
        out += _provider(d, "71", claim.attending_provider, False)
    if claim.rendering_provider:
        out += _provider(d, "82", claim.rendering_provider, False)
    for other in claim.other_payers:
        out.append(segment(d, "SBR", other.responsibility, "18", "", "", "", "", "", "",
                           other.filing_indicator))  # fmt: skip
        if other.paid_amount is not None:
            out.append(segment(d, "AMT", "D", money(other.paid_amount)))
        out.append(segment(d, "OI", "", "", "Y", "", "", "Y"))
        out.append(segment(d, "NM1", "PR", "2", other.name, "", "", "", "", "PI", other.payer_id))
        if other.adjudication_date:
            out.append(segment(d, "DTP", "573", "D8", d8(other.adjudication_date)))
        if other.payer_claim_control_number:
            out.append(segment(d, "REF", "F8", other.payer_claim_control_number))
    for line in claim.lines:
        out += _line(d, line, institutional)
    return out


def transaction_segments(tx: Transaction837, d: Delimiters, control: str) -> list[str]:
    """ST..SE of one 837."""
    version = tx.implementation or VERSIONS.get(tx.kind, VERSIONS["professional"])
    body = [
        segment(d, "ST", "837", control, version),
        segment(d, "BHT", "0019", tx.purpose or "00", tx.reference, d8(tx.created_on), "1200",
                tx.transaction_type or "CH"),
        segment(d, "NM1", "41", "2", tx.submitter_name, "", "", "", "", "46", tx.submitter_id),
        segment(d, "NM1", "40", "2", tx.receiver_name, "", "", "", "", "46", tx.receiver_id),
    ]  # fmt: skip
    hl = 0
    billing_hl = 0
    billing: Provider837 | None = None
    for claim in tx.claims:
        if billing_hl == 0 or claim.billing_provider != billing:
            billing = claim.billing_provider
            hl += 1
            billing_hl = hl
            body.append(segment(d, "HL", str(hl), "", "20", "1"))
            body += _provider(d, "85", billing or Provider837(), True)
        hl += 1
        subscriber_hl = hl
        dependent = not claim.patient_is_subscriber
        body.append(segment(d, "HL", str(hl), str(billing_hl), "22", "1" if dependent else "0"))
        body.append(
            segment(d, "SBR", claim.responsibility, claim.subscriber.relationship,
                    claim.group_number, "", "", "", "", "", claim.filing_indicator)
        )  # fmt: skip
        body += _person(d, "IL", claim.subscriber)
        body.append(
            segment(d, "NM1", "PR", "2", claim.payer.name, "", "", "", "", "PI",
                    claim.payer.payer_id)
        )  # fmt: skip
        if dependent:
            hl += 1
            body.append(segment(d, "HL", str(hl), str(subscriber_hl), "23", "0"))
            body.append(segment(d, "PAT", claim.patient.relationship))
            patient = claim.patient
            body += _person(d, "QC", Person837(patient.last_name, patient.first_name, "",
                                               patient.birth_date, patient.gender))  # fmt: skip
        body += _claim(d, claim)
    return close(body, d, control)


def render_837(
    transactions: list[Transaction837],
    *,
    delimiters: Delimiters | None = None,
    when: date = date(2026, 11, 27),
    control: int = 1,
) -> str:
    """An interchange with one functional group (GS*HC) holding the transactions."""
    d = delimiters or Delimiters()
    bodies = [transaction_segments(tx, d, f"{i + 1:04d}") for i, tx in enumerate(transactions)]
    first = transactions[0] if transactions else Transaction837()
    version = first.implementation or VERSIONS.get(first.kind, VERSIONS["professional"])
    return interchange(bodies, d, functional_id="HC", version=version, when=when, control=control)
