"""What the X12 readers read, as the claims services' plain input: an 837 claim as a
``SubmittedClaimIn``, a 277CA claim status as a ``ClaimStatusIn``. A 999 acknowledges
whole transaction sets, so its rejections become statuses in ``claims.services.files``,
where the 837 claims of each rejected set are known."""

from __future__ import annotations

from datetime import date

from x12.ack277ca.model import Claim277
from x12.claim837.model import Claim837, Transaction837

from .inputs import ClaimStatusIn, StatusCodeIn, SubmittedClaimIn, SubmittedLineIn


def submitted_claim_in(
    tx: Transaction837, claim: Claim837, *, received_on: date
) -> SubmittedClaimIn:
    """One 837 claim. It was submitted on the 837's creation date (BHT04), else the day the
    file came in. A secondary claim names the primary payer (loop 2330B) and the primary
    payer's claim control number when the 837 carries them."""
    primary = next((p for p in claim.other_payers if p.payer_id or p.name), None)
    billing, rendering = claim.billing_provider, claim.rendering_provider
    patient = claim.patient
    return SubmittedClaimIn(
        patient_control_number=claim.patient_control_number,
        payer_identifier=claim.payer.payer_id,
        payer_name=claim.payer.name,
        charge=claim.charge,
        submitted_on=tx.created_on or received_on,
        kind=claim.kind or tx.kind or "unknown",
        frequency_code=claim.frequency_code or "1",
        clearinghouse_trace_number=claim.clearinghouse_trace,
        replaces_payer_claim_control_number=(
            claim.payer_claim_control_number if claim.frequency_code in ("7", "8") else ""
        ),
        primary_payer_claim_control_number=(
            primary.payer_claim_control_number if primary and claim.responsibility != "P" else ""
        ),
        other_payer_identifier=(
            primary.payer_id if primary and claim.responsibility not in ("", "P") else ""
        ),
        facility_code=claim.facility_code,
        place_of_service=claim.place_of_service,
        prior_authorization=claim.prior_authorization,
        referral_number=claim.referral_number,
        service_date_from=claim.service_date_from,
        service_date_to=claim.service_date_to,
        statement_from=claim.statement_from,
        statement_to=claim.statement_to,
        admission_date=claim.admission_date,
        diagnosis_codes=claim.diagnosis_codes,
        billing_npi=billing.npi if billing else "",
        billing_tax_id=billing.tax_id if billing else "",
        rendering_npi=rendering.npi if rendering else "",
        patient_last_name=patient.last_name,
        patient_first_name=patient.first_name,
        member_id=claim.subscriber.member_id,
        transaction_control_number=tx.control_number,
        lines=tuple(
            SubmittedLineIn(
                line_number=line.number or position,
                charge=line.charge,
                procedure_code=line.procedure_code,
                revenue_code=line.revenue_code,
                modifiers=line.modifiers,
                units=line.units,
                service_date_from=line.service_date_from,
                service_date_to=line.service_date_to,
                line_control_number=line.line_control_number,
            )
            for position, line in enumerate(claim.lines, start=1)
        ),
    )


def claim_status_in(
    claim: Claim277, *, created_on: date | None, received_on: date
) -> ClaimStatusIn:
    """One claim's 277CA status: every STC composite, the trace numbers it names, and the
    day of the status (STC02), else the acknowledgment's date, else the day it came in."""
    codes = tuple(
        StatusCodeIn(category=c.category, status=c.code, entity=c.entity)
        for status in claim.statuses
        for c in status.codes
        if c.category
    )
    return ClaimStatusIn(
        patient_control_number=claim.patient_control_number,
        status_date=claim.status_date or created_on or received_on,
        codes=codes,
        payer_identifier=claim.payer_id,
        accepted=True if claim.accepted else (False if claim.rejected else None),
        trace_numbers=tuple(t for t in (claim.clearinghouse_trace,) if t),
        payer_claim_control_number=claim.payer_claim_control_number,
        charge=claim.total_charge,
        service_date_from=claim.service_date_from,
        service_date_to=claim.service_date_to,
    )
