"""Plain data produced by the 837 reader (837P professional and 837I institutional claims).

Frozen dataclasses with slots: a claim as submitted does not change once read. Money is
``Decimal``, dates are ``datetime.date``, a missing optional element is ``None`` or "".

PHI: names, member ids, birth dates and genders live only in ``Person837``, whose fields are
all ``repr=False``; raw segments are ``repr=False`` too. Error messages and warnings never
quote those values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..envelope import Envelope, join_segments
from ..errors import X12ParseError

PROFESSIONAL = "professional"
INSTITUTIONAL = "institutional"
FREQUENCY_ORIGINAL, FREQUENCY_REPLACEMENT, FREQUENCY_VOID = "1", "7", "8"


@dataclass(frozen=True, slots=True)
class Provider837:
    """A provider loop (NM1*85 billing, NM1*82 rendering, NM1*71 attending ...)."""

    name: str = ""  # NM103, or "LAST, FIRST" for a person (NM102 = 1)
    npi: str = ""  # NM109 when NM108 = XX
    tax_id: str = ""  # REF*EI (or NM109 when NM108 = 24/34 in 4010)
    entity_type: str = ""  # NM102: 1 person, 2 organization
    taxonomy: str = ""  # PRV03


@dataclass(frozen=True, slots=True)
class Person837:
    """A subscriber (NM1*IL + DMG) or a patient (NM1*QC + DMG). PHI: no field is in repr."""

    last_name: str = field(default="", repr=False)
    first_name: str = field(default="", repr=False)
    member_id: str = field(default="", repr=False)  # NM109 (MI), subscriber only
    birth_date: date | None = field(default=None, repr=False)  # DMG02
    gender: str = field(default="", repr=False)  # DMG03: F, M, U
    relationship: str = ""  # SBR02 (subscriber) or PAT01 (patient): 18 self, 19 child ...


@dataclass(frozen=True, slots=True)
class Payer837:
    """2010BB payer: NM1*PR."""

    payer_id: str = ""  # NM109
    name: str = ""  # NM103


@dataclass(frozen=True, slots=True)
class OtherPayer837:
    """2320 other subscriber information with its 2330B other payer."""

    responsibility: str = ""  # SBR01 of 2320: P, S, T ...
    payer_id: str = ""  # 2330B NM109
    name: str = ""  # 2330B NM103
    paid_amount: Decimal | None = None  # 2320 AMT*D
    payer_claim_control_number: str = ""  # 2330B REF*F8
    adjudication_date: date | None = None  # DTP*573 (2330B in 5010, 2320 in 4010)
    filing_indicator: str = ""  # SBR09 of 2320


@dataclass(frozen=True, slots=True)
class Line837:
    """2400 service line: LX with SV1 (837P) or SV2 (837I) and what follows."""

    number: int = 0  # LX01
    procedure_qualifier: str = ""  # SV101-1 / SV202-1: HC, NU, ER, IV, WK, ZZ ...
    procedure_code: str = ""  # SV101-2 / SV202-2
    modifiers: tuple[str, ...] = ()  # SV101-3..6 / SV202-3..6
    revenue_code: str = ""  # SV201 (837I)
    charge: Decimal = Decimal("0")  # SV102 / SV203
    unit_basis: str = ""  # SV103 / SV204: UN, MJ, DA
    units: Decimal | None = None  # SV104 / SV205
    place_of_service: str = ""  # SV105 (837P)
    diagnosis_pointers: tuple[str, ...] = ()  # SV107 (837P)
    service_date_from: date | None = None  # DTP*472
    service_date_to: date | None = None
    line_control_number: str = ""  # REF*6R
    ndc: str = ""  # 2410 LIN*N4 (LIN03)
    segment_index: int = 0  # 1-based position of LX in the transaction


@dataclass(frozen=True, slots=True)
class Claim837:
    """2300 claim (CLM) with its providers, other payers and service lines."""

    patient_control_number: str = ""  # CLM01
    charge: Decimal = Decimal("0")  # CLM02
    facility_code: str = ""  # CLM05-1: place of service (837P) or facility type (837I)
    facility_qualifier: str = ""  # CLM05-2: B (place of service) or A (facility type)
    frequency_code: str = ""  # CLM05-3: 1 original, 7 replacement, 8 void
    place_of_service: str = ""  # CLM05-1 for a professional claim
    kind: str = ""  # professional or institutional, from the claim's own content
    prior_authorization: str = ""  # REF*G1
    referral_number: str = ""  # REF*9F
    payer_claim_control_number: str = ""  # REF*F8: the claim a 7 or 8 replaces or voids
    clearinghouse_trace: str = ""  # REF*D9
    service_date_from: date | None = None  # DTP*472 on the claim, else the lines' earliest
    service_date_to: date | None = None  # ... else the lines' latest
    statement_from: date | None = None  # DTP*434 (837I)
    statement_to: date | None = None
    admission_date: date | None = None  # DTP*435 (837I)
    diagnosis_codes: tuple[str, ...] = ()  # HI, principal first (decimal point omitted)
    diagnosis_qualifiers: tuple[str, ...] = ()  # ABK/BK principal, ABF/BF other, ABJ ...
    billing_provider: Provider837 | None = None  # 2010AA
    rendering_provider: Provider837 | None = None  # 2310B (837P) / 2310D (837I): NM1*82
    attending_provider: Provider837 | None = None  # 2310A (837I): NM1*71
    payer: Payer837 = field(default_factory=Payer837)  # 2010BB
    responsibility: str = ""  # SBR01 of 2000B: P, S, T ...
    group_number: str = ""  # SBR03
    filing_indicator: str = ""  # SBR09: MB, MC, CI, BL, 12 ...
    subscriber: Person837 = field(default_factory=Person837)  # 2010BA
    patient: Person837 = field(default_factory=Person837)  # 2010CA, or the subscriber
    patient_is_subscriber: bool = True  # no HL 23 (patient) loop above the claim
    other_payers: tuple[OtherPayer837, ...] = ()
    lines: tuple[Line837, ...] = ()
    segment_index: int = 0  # 1-based position of CLM in the transaction

    @property
    def is_replacement(self) -> bool:
        return self.frequency_code == FREQUENCY_REPLACEMENT

    @property
    def is_void(self) -> bool:
        return self.frequency_code == FREQUENCY_VOID


@dataclass(frozen=True, slots=True)
class ClaimException837:
    """A claim loop (CLM up to the next CLM, HL or SE) that could not be read: quarantined,
    not in ``Transaction837.claims``; the rest of the transaction is read."""

    position: int  # 0-based position among ALL the transaction's claims
    segment_index: int  # 1-based position of its CLM in the transaction
    raw_segments: tuple[str, ...] = field(repr=False)
    terminator: str
    message: str
    patient_control_number: str = ""  # CLM01 when readable
    error: X12ParseError | None = field(default=None, compare=False, repr=False)

    @property
    def raw(self) -> str:
        return join_segments(list(self.raw_segments), self.terminator)


@dataclass(frozen=True, slots=True)
class Transaction837:
    """One ST..SE 837: a batch of claims from one submitter to one receiver."""

    control_number: str = ""  # ST02
    implementation: str = ""  # ST03, else GS08
    kind: str = ""  # professional or institutional (from SV1 / SV2 / CL1 / CLM05-2)
    purpose: str = ""  # BHT02: 00 original, 18 reissue
    reference: str = ""  # BHT03
    created_on: date | None = None  # BHT04
    transaction_type: str = ""  # BHT06: CH chargeable, RP reporting
    submitter_name: str = ""  # 1000A NM103
    submitter_id: str = ""  # 1000A NM109
    receiver_name: str = ""  # 1000B NM103
    receiver_id: str = ""  # 1000B NM109
    claims: tuple[Claim837, ...] = ()
    exceptions: tuple[ClaimException837, ...] = ()
    envelope: Envelope = field(default_factory=Envelope)
    segment_count: int = 0  # segments seen, ST and SE included
    warnings: tuple[str, ...] = ()
    index: int = 0  # 0-based position of the transaction in the file
    error: X12ParseError | None = field(default=None, compare=False, repr=False)
    error_message: str = ""
    raw_segments: tuple[str, ...] = field(default=(), repr=False)
    terminator: str = "~"

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def raw(self) -> str:
        return join_segments(list(self.raw_segments), self.terminator)
