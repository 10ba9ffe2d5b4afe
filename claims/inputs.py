"""Plain typed input for the claims services. Readers of 837, 277CA and 999 files (and
the JSON/CSV feed) map what they read onto these, so the services never see X12."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .choices import ACCEPTED_CATEGORIES, REJECTED_CATEGORIES


@dataclass(frozen=True, slots=True)
class SubmittedLineIn:
    """One service line (837 loop 2400)."""

    line_number: int
    charge: Decimal
    procedure_code: str = ""
    revenue_code: str = ""
    modifiers: tuple[str, ...] = ()
    units: Decimal | None = None
    service_date_from: date | None = None
    service_date_to: date | None = None
    line_control_number: str = ""


@dataclass(frozen=True, slots=True)
class SubmittedClaimIn:
    """One claim as submitted (837 loop 2300 with its payer and patient).

    ``replaces_payer_claim_control_number`` names, for a replacement (frequency 7) or
    void (8), the payer's claim control number of the claim it replaces. A secondary
    (COB) claim gives ``other_payer_identifier`` (loop 2330B) and/or
    ``primary_payer_claim_control_number``. ``external_id``, when given, is the sender's
    own id for the claim and decides what counts as the same claim sent again."""

    patient_control_number: str
    payer_identifier: str
    charge: Decimal
    submitted_on: date
    payer_name: str = ""
    kind: str = "unknown"
    frequency_code: str = "1"
    external_id: str = ""
    clearinghouse_trace_number: str = ""
    replaces_payer_claim_control_number: str = ""
    primary_payer_claim_control_number: str = ""
    other_payer_identifier: str = ""
    facility_code: str = ""
    place_of_service: str = ""
    prior_authorization: str = ""
    referral_number: str = ""
    service_date_from: date | None = None
    service_date_to: date | None = None
    statement_from: date | None = None
    statement_to: date | None = None
    admission_date: date | None = None
    diagnosis_codes: tuple[str, ...] = ()
    billing_npi: str = ""
    billing_tax_id: str = ""
    rendering_npi: str = ""
    patient_last_name: str = ""
    patient_first_name: str = ""
    member_id: str = ""
    transaction_control_number: str = ""  # ST02 of the 837 transaction it came in
    lines: tuple[SubmittedLineIn, ...] = ()

    @property
    def is_secondary(self) -> bool:
        return bool(self.other_payer_identifier or self.primary_payer_claim_control_number)


@dataclass(frozen=True, slots=True)
class StatusCodeIn:
    """One STC composite: category (A7), status (562) and entity (85) codes."""

    category: str
    status: str = ""
    entity: str = ""

    def __str__(self) -> str:
        return ":".join(part for part in (self.category, self.status, self.entity) if part)


@dataclass(frozen=True, slots=True)
class ClaimStatusIn:
    """One claim's acknowledgment (277CA loop 2200D, or a 999 rejection mapped to claims).

    ``accepted`` None means: decide from the category codes (any of A3, A4, A6, A7, A8
    rejects; otherwise A0/A1/A2/A5 accept). ``trace_numbers`` are the clearinghouse trace
    numbers (REF*D9, TRN02) the claim was sent with."""

    patient_control_number: str
    status_date: date
    codes: tuple[StatusCodeIn, ...] = ()
    payer_identifier: str = ""
    accepted: bool | None = None
    trace_numbers: tuple[str, ...] = ()
    payer_claim_control_number: str = ""
    charge: Decimal | None = None
    service_date_from: date | None = None
    service_date_to: date | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_rejected(self) -> bool:
        if self.accepted is not None:
            return not self.accepted
        return any(code.category in REJECTED_CATEGORIES for code in self.codes)

    @property
    def is_accepted(self) -> bool:
        if self.accepted is not None:
            return self.accepted
        if self.is_rejected:
            return False
        return any(code.category in ACCEPTED_CATEGORIES for code in self.codes)
