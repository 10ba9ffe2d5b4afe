"""Plain data produced by the 835 reader.

These dataclasses are the parser's whole output: no Django, no I/O. Money is always
``Decimal``; dates are ``datetime.date``; a missing optional element is ``None`` (or an
empty list / string where noted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..envelope import Envelope, join_segments
from ..errors import X12ParseError
from ..tokenizer import Delimiters  # noqa: F401  (re-exported)


@dataclass(slots=True)
class Adjustment:
    """One CAS triplet: group code, reason code (CARC), amount, quantity."""

    group_code: str  # CO, PR, OA, PI, CR
    reason_code: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(slots=True)
class Party:
    """N1 loop (payer N1*PR or payee N1*PE) with its REF/PER details."""

    entity_code: str = ""  # PR, PE
    name: str = ""
    id_qualifier: str = ""  # N103: XV (CMS plan id), XX (NPI), FI (TIN), PI ...
    identifier: str = ""  # N104
    npi: str = ""  # payee: N104 when N103=XX
    tax_id: str = ""  # payee: N104 when FI, or REF*TJ
    additional_ids: dict[str, str] = field(default_factory=dict)  # REF qualifier -> value
    address: list[str] = field(default_factory=list)  # N3 elements
    city: str = ""
    state: str = ""
    postal_code: str = ""


@dataclass(slots=True)
class Payment:
    """BPR financial information and TRN reassociation trace."""

    transaction_handling: str = ""  # BPR01: I, H, C, D, P, U, X
    amount: Decimal = Decimal("0")  # BPR02
    credit_debit: str = "C"  # BPR03
    method: str = ""  # BPR04: ACH, CHK, BOP, FWT, NON
    format: str = ""  # BPR05: CCP, CTX
    date: date | None = None  # BPR16
    trace_type: str = ""  # TRN01
    trace_number: str = ""  # TRN02
    originator_id: str = ""  # TRN03
    production_date: date | None = None  # DTM*405


@dataclass(slots=True)
class ServiceLine:
    """2110 loop: SVC and what follows it."""

    procedure_qualifier: str = ""  # SVC01-1: HC, AD, ER, IV, N4, NU, WK, ZZ ...
    procedure_code: str = ""  # SVC01-2
    modifiers: list[str] = field(default_factory=list)  # SVC01-3..6
    description: str = ""  # SVC01-7
    charge: Decimal = Decimal("0")  # SVC02
    paid: Decimal = Decimal("0")  # SVC03
    revenue_code: str = ""  # SVC04
    units: Decimal | None = None  # SVC05
    original_procedure_code: str = ""  # SVC06-2, when the payer changed the code
    original_units: Decimal | None = None  # SVC07
    service_date_from: date | None = None  # DTM*472 or DTM*150
    service_date_to: date | None = None  # DTM*472 or DTM*151
    control_number: str = ""  # REF*6R
    allowed_amount: Decimal | None = None  # AMT*B6
    remark_codes: list[str] = field(default_factory=list)  # LQ*HE (and LQ*RX)
    adjustments: list[Adjustment] = field(default_factory=list)
    segment_number: int = 0  # 1-based position of SVC in the transaction


@dataclass(slots=True)
class Claim:
    """2100 loop: CLP and what follows it, with its service lines."""

    patient_control_number: str = ""  # CLP01
    status_code: str = ""  # CLP02: 1, 2, 3, 4, 19, 20, 21, 22, 23, 25
    charge: Decimal = Decimal("0")  # CLP03
    paid: Decimal = Decimal("0")  # CLP04
    patient_responsibility: Decimal | None = None  # CLP05
    filing_indicator: str = ""  # CLP06: MA, MB, MC, 12, 13, HM ...
    payer_claim_control_number: str = ""  # CLP07
    facility_type: str = ""  # CLP08
    frequency_code: str = ""  # CLP09
    drg_code: str = ""  # CLP11
    drg_weight: Decimal | None = None  # CLP12
    statement_from: date | None = None  # DTM*232
    statement_to: date | None = None  # DTM*233
    received_date: date | None = None  # DTM*050
    patient_last_name: str = ""  # NM1*QC
    patient_first_name: str = ""
    patient_id: str = ""  # NM1*QC 09
    insured_last_name: str = ""  # NM1*IL
    insured_first_name: str = ""
    insured_id: str = ""  # NM1*IL 09 (member id)
    corrected_insured_id: str = ""  # NM1*74 09
    rendering_provider_id: str = ""  # NM1*82 09
    crossover_carrier: str = ""  # NM1*TT 03
    remark_codes: list[str] = field(default_factory=list)  # MIA/MOA remark codes
    remark_source: str = ""  # "MIA" or "MOA": the segment the claim's remarks came from
    coverage_amount: Decimal | None = None  # AMT*AU
    adjustments: list[Adjustment] = field(default_factory=list)  # claim-level CAS
    service_lines: list[ServiceLine] = field(default_factory=list)
    segment_number: int = 0  # 1-based position of CLP in the transaction


@dataclass(slots=True)
class ProviderAdjustment:
    """One PLB adjustment pair (reason code + reference, amount)."""

    provider_id: str = ""  # PLB01
    fiscal_period_date: date | None = None  # PLB02
    reason_code: str = ""  # PLB03-1: WO, FB, 72, L6, CS ...
    reference: str = ""  # PLB03-2 (e.g. the payer claim control number)
    amount: Decimal = Decimal("0")  # positive reduces the payment


@dataclass(slots=True)
class ClaimException:
    """A claim loop (CLP up to the next CLP, LX, PLB or SE) that could not be read: it is
    quarantined, not in ``Transaction.claims``, and the rest of the transaction is read."""

    position: int  # 0-based position of the CLP loop among ALL the transaction's claims
    segment_number: int  # 1-based position of its CLP in the transaction
    raw_segments: list[str]  # the claim loop's segments, terminators removed
    terminator: str  # the file's segment terminator, to put raw_segments back together
    message: str  # str(error)
    patient_control_number: str = ""  # CLP01, when it could be read
    paid: Decimal | None = None  # CLP04, when it could be read
    error: X12ParseError | None = field(default=None, compare=False)

    @property
    def raw(self) -> str:
        return join_segments(self.raw_segments, self.terminator)


@dataclass(slots=True)
class Transaction:
    """One ST..SE 835 transaction: one payment advice from one payer to one payee."""

    control_number: str = ""  # ST02
    envelope: Envelope = field(default_factory=Envelope)
    payment: Payment = field(default_factory=Payment)
    payer: Party = field(default_factory=Party)
    payee: Party = field(default_factory=Party)
    claims: list[Claim] = field(default_factory=list)
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)
    segment_count: int = 0  # segments actually seen, ST and SE included
    warnings: list[str] = field(default_factory=list)
    index: int = 0  # 0-based position of the transaction in the file
    exceptions: list[ClaimException] = field(default_factory=list)  # quarantined claims
    # A transaction whose structure could not be read has ``error`` set, no claims and no
    # provider adjustments, and keeps its header segments and the loop where reading failed
    # (through SE) in ``raw_segments``. Nothing of it may be booked.
    error: X12ParseError | None = field(default=None, compare=False)
    error_message: str = ""
    raw_segments: list[str] = field(default_factory=list)
    terminator: str = "~"

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def raw(self) -> str:
        return join_segments(self.raw_segments, self.terminator)
