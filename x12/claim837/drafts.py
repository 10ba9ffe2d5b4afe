"""Mutable drafts the 837 walker fills while it reads a loop, frozen into the model when the
loop ends (at the next LX, CLM, HL or SE)."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal

from ..build import positional
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

build_provider = positional(Provider837)
build_person = positional(Person837)
build_payer = positional(Payer837)
build_other_payer = positional(OtherPayer837)
build_line = positional(Line837)
build_claim = positional(Claim837)
ZERO = Decimal("0")


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
            self.frozen = build_provider(
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
            self.frozen = build_person(
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
            self.payer = build_payer(self.payer_id, self.payer_name)
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
        return build_other_payer(
            self.responsibility,
            self.payer_id,
            self.name,
            self.paid_amount,
            self.payer_claim_control_number,
            self.adjudication_date,
            self.filing_indicator,
        )


# A service line is drafted as a plain list holding Line837's fields in declaration order
# (cheaper to make and fill than an object); ``freeze_line`` turns it into the Line837.
(
    L_NUMBER,
    L_PROCEDURE_QUALIFIER,
    L_PROCEDURE_CODE,
    L_MODIFIERS,
    L_REVENUE_CODE,
    L_CHARGE,
    L_UNIT_BASIS,
    L_UNITS,
    L_PLACE_OF_SERVICE,
    L_DIAGNOSIS_POINTERS,
    L_SERVICE_DATE_FROM,
    L_SERVICE_DATE_TO,
    L_LINE_CONTROL_NUMBER,
    L_NDC,
    L_SEGMENT_INDEX,
) = range(15)
LINE_DEFAULTS = [f.default for f in fields(Line837)]
if len(LINE_DEFAULTS) != L_SEGMENT_INDEX + 1 or MISSING in LINE_DEFAULTS:
    raise RuntimeError("the line draft indexes do not match Line837's fields")


def new_line(number: int, segment_index: int) -> list:
    """A line draft: Line837's defaults with LX01 and the LX position set."""
    line = LINE_DEFAULTS.copy()
    line[L_NUMBER] = number
    line[L_SEGMENT_INDEX] = segment_index
    return line


def freeze_line(line: list) -> Line837:
    return build_line(*line)


@dataclass(slots=True, init=False)
class ClaimDraft:
    patient_control_number: str
    segment_index: int
    charge: Decimal
    facility_code: str
    facility_qualifier: str
    frequency_code: str
    evidence: str  # kind read from the claim's own content
    prior_authorization: str
    referral_number: str
    payer_claim_control_number: str
    clearinghouse_trace: str
    service_date_from: date | None
    service_date_to: date | None
    statement_from: date | None
    statement_to: date | None
    admission_date: date | None
    diagnosis_codes: tuple[str, ...]
    diagnosis_qualifiers: tuple[str, ...]
    rendering: ProviderDraft | None
    attending: ProviderDraft | None
    other_payers: list[OtherPayerDraft]
    lines: list[Line837]

    def __init__(self, patient_control_number: str = "", segment_index: int = 0) -> None:
        # by hand: a generated __init__ taking all 22 fields by keyword costs twice as much
        self.patient_control_number = patient_control_number
        self.segment_index = segment_index
        self.charge = ZERO
        self.facility_code = self.facility_qualifier = self.frequency_code = ""
        self.evidence = ""
        self.prior_authorization = self.referral_number = ""
        self.payer_claim_control_number = self.clearinghouse_trace = ""
        self.service_date_from = self.service_date_to = None
        self.statement_from = self.statement_to = self.admission_date = None
        self.diagnosis_codes = self.diagnosis_qualifiers = ()
        self.rendering = self.attending = None
        self.other_payers = []
        self.lines = []

    def freeze(
        self, subscriber: SubscriberDraft, patient: PersonDraft | None, default_kind: str
    ) -> Claim837:
        lines = self.lines
        start, end = self.service_date_from, self.service_date_to
        if start is None and lines:  # the lines' earliest and latest dates
            for x in lines:
                day = x.service_date_from
                if day is not None and (start is None or day < start):
                    start = day
            end = None
            for x in lines:
                day = x.service_date_to
                if day is not None and (end is None or day > end):
                    end = day
        if self.evidence:
            kind = self.evidence
        elif self.facility_qualifier == "B":
            kind = PROFESSIONAL
        elif self.facility_qualifier == "A":
            kind = INSTITUTIONAL
        else:
            kind = default_kind
        person = subscriber.person.freeze()
        rendering, attending = self.rendering, self.attending
        other_payers = self.other_payers
        # every Claim837 field, in declaration order
        return build_claim(
            self.patient_control_number,
            self.charge,
            self.facility_code,
            self.facility_qualifier,
            self.frequency_code,
            self.facility_code if kind == PROFESSIONAL else "",  # place_of_service
            kind,
            self.prior_authorization,
            self.referral_number,
            self.payer_claim_control_number,
            self.clearinghouse_trace,
            start,  # service_date_from
            end,  # service_date_to
            self.statement_from,
            self.statement_to,
            self.admission_date,
            self.diagnosis_codes,
            self.diagnosis_qualifiers,
            subscriber.billing.freeze(),  # billing_provider
            rendering.freeze() if rendering is not None else None,  # rendering_provider
            attending.freeze() if attending is not None else None,  # attending_provider
            subscriber.freeze_payer(),  # payer
            subscriber.responsibility,
            subscriber.group_number,
            subscriber.filing_indicator,
            person,  # subscriber
            patient.freeze() if patient is not None else person,  # patient
            patient is None,  # patient_is_subscriber
            tuple([x.freeze() for x in other_payers]) if other_payers else (),
            tuple(lines),
            self.segment_index,
        )
