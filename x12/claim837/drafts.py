"""Mutable drafts the 837 walker fills while it reads a loop, frozen into the model when the
loop ends (at the next LX, CLM, HL or SE)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .model import (
    INSTITUTIONAL,
    PROFESSIONAL,
    Claim837,
    Line837,
    OtherPayer837,
    Payer837,
    Person837,
    Provider837,
)


@dataclass(slots=True)
class ProviderDraft:
    name: str = ""
    npi: str = ""
    tax_id: str = ""
    entity_type: str = ""
    taxonomy: str = ""
    frozen: Provider837 | None = None

    def freeze(self) -> Provider837:
        if self.frozen is None:
            self.frozen = Provider837(
                self.name, self.npi, self.tax_id, self.entity_type, self.taxonomy
            )
        return self.frozen


@dataclass(slots=True)
class PersonDraft:
    last_name: str = ""
    first_name: str = ""
    member_id: str = ""
    birth_date: date | None = None
    gender: str = ""
    relationship: str = ""
    frozen: Person837 | None = None

    def freeze(self) -> Person837:
        if self.frozen is None:
            self.frozen = Person837(
                self.last_name,
                self.first_name,
                self.member_id,
                self.birth_date,
                self.gender,
                self.relationship,
            )
        return self.frozen


@dataclass(slots=True)
class SubscriberDraft:
    """2000B: SBR, the subscriber (2010BA) and the payer (2010BB)."""

    billing: ProviderDraft
    person: PersonDraft = field(default_factory=PersonDraft)
    payer_id: str = ""
    payer_name: str = ""
    responsibility: str = ""
    group_number: str = ""
    filing_indicator: str = ""
    payer: Payer837 | None = None

    def freeze_payer(self) -> Payer837:
        if self.payer is None:
            self.payer = Payer837(self.payer_id, self.payer_name)
        return self.payer


@dataclass(slots=True)
class OtherPayerDraft:
    responsibility: str = ""
    filing_indicator: str = ""
    payer_id: str = ""
    name: str = ""
    paid_amount: Decimal | None = None
    payer_claim_control_number: str = ""
    adjudication_date: date | None = None

    def freeze(self) -> OtherPayer837:
        return OtherPayer837(
            self.responsibility,
            self.payer_id,
            self.name,
            self.paid_amount,
            self.payer_claim_control_number,
            self.adjudication_date,
            self.filing_indicator,
        )


@dataclass(slots=True)
class LineDraft:
    number: int = 0
    procedure_qualifier: str = ""
    procedure_code: str = ""
    modifiers: tuple[str, ...] = ()
    revenue_code: str = ""
    charge: Decimal = Decimal("0")
    unit_basis: str = ""
    units: Decimal | None = None
    place_of_service: str = ""
    diagnosis_pointers: tuple[str, ...] = ()
    service_date_from: date | None = None
    service_date_to: date | None = None
    line_control_number: str = ""
    ndc: str = ""
    segment_index: int = 0
    segment_number: int = 0  # LX's position in the file, for errors
    kind: str = ""  # PROFESSIONAL after SV1, INSTITUTIONAL after SV2

    def freeze(self) -> Line837:
        return Line837(
            self.number,
            self.procedure_qualifier,
            self.procedure_code,
            self.modifiers,
            self.revenue_code,
            self.charge,
            self.unit_basis,
            self.units,
            self.place_of_service,
            self.diagnosis_pointers,
            self.service_date_from,
            self.service_date_to,
            self.line_control_number,
            self.ndc,
            self.segment_index,
        )


@dataclass(slots=True)
class ClaimDraft:
    patient_control_number: str = ""
    charge: Decimal = Decimal("0")
    facility_code: str = ""
    facility_qualifier: str = ""
    frequency_code: str = ""
    evidence: str = ""  # kind read from the claim's own content
    prior_authorization: str = ""
    referral_number: str = ""
    payer_claim_control_number: str = ""
    clearinghouse_trace: str = ""
    service_date_from: date | None = None
    service_date_to: date | None = None
    statement_from: date | None = None
    statement_to: date | None = None
    admission_date: date | None = None
    diagnosis_codes: list[str] = field(default_factory=list)
    diagnosis_qualifiers: list[str] = field(default_factory=list)
    rendering: ProviderDraft | None = None
    attending: ProviderDraft | None = None
    other_payers: list[OtherPayerDraft] = field(default_factory=list)
    lines: list[Line837] = field(default_factory=list)
    segment_index: int = 0

    def freeze(
        self, subscriber: SubscriberDraft, patient: PersonDraft | None, default_kind: str
    ) -> Claim837:
        lines = self.lines
        start, end = self.service_date_from, self.service_date_to
        if start is None and lines:
            starts = [x.service_date_from for x in lines if x.service_date_from is not None]
            ends = [x.service_date_to for x in lines if x.service_date_to is not None]
            start = min(starts) if starts else None
            end = max(ends) if ends else None
        if self.evidence:
            kind = self.evidence
        elif self.facility_qualifier == "B":
            kind = PROFESSIONAL
        elif self.facility_qualifier == "A":
            kind = INSTITUTIONAL
        else:
            kind = default_kind
        person = subscriber.person.freeze()
        return Claim837(
            patient_control_number=self.patient_control_number,
            charge=self.charge,
            facility_code=self.facility_code,
            facility_qualifier=self.facility_qualifier,
            frequency_code=self.frequency_code,
            place_of_service=self.facility_code if kind == PROFESSIONAL else "",
            kind=kind,
            prior_authorization=self.prior_authorization,
            referral_number=self.referral_number,
            payer_claim_control_number=self.payer_claim_control_number,
            clearinghouse_trace=self.clearinghouse_trace,
            service_date_from=start,
            service_date_to=end,
            statement_from=self.statement_from,
            statement_to=self.statement_to,
            admission_date=self.admission_date,
            diagnosis_codes=tuple(self.diagnosis_codes),
            diagnosis_qualifiers=tuple(self.diagnosis_qualifiers),
            billing_provider=subscriber.billing.freeze(),
            rendering_provider=self.rendering.freeze() if self.rendering else None,
            attending_provider=self.attending.freeze() if self.attending else None,
            payer=subscriber.freeze_payer(),
            responsibility=subscriber.responsibility,
            group_number=subscriber.group_number,
            filing_indicator=subscriber.filing_indicator,
            subscriber=person,
            patient=patient.freeze() if patient is not None else person,
            patient_is_subscriber=patient is None,
            other_payers=tuple(x.freeze() for x in self.other_payers),
            lines=tuple(lines),
            segment_index=self.segment_index,
        )
