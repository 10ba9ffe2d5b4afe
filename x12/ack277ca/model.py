"""Plain data produced by the 277CA reader (005010X214 claim acknowledgment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..envelope import Envelope, join_segments
from ..errors import X12ParseError

REJECTED_CATEGORIES = frozenset(("A3", "A4", "A6", "A7", "A8"))
ACCEPTED_CATEGORIES = frozenset(("A1", "A2", "A5"))


@dataclass(frozen=True, slots=True)
class StatusCode277:
    """One STC composite: health care claim status category, status code, entity."""

    category: str = ""  # e.g. A1 received, A2 accepted, A3 returned unprocessable, A7 rejected
    code: str = ""  # claim status code, e.g. 21 missing information, 33 subscriber not found
    entity: str = ""  # entity identifier, e.g. PR payer, 41 submitter, 85 billing provider


@dataclass(frozen=True, slots=True)
class Status277:
    """One STC segment: STC01 (and STC10, STC11 additional composites), date, action, amount."""

    codes: tuple[StatusCode277, ...] = ()  # STC01, then STC10 and STC11 when present
    date: date | None = None  # STC02
    action_code: str = ""  # STC03: WQ accepted, U rejected
    amount: Decimal | None = None  # STC04: total claim charge
    message: str = ""  # STC12 free-form text

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(c.category for c in self.codes)


@dataclass(frozen=True, slots=True)
class Claim277:
    """2200D (patient) claim status tracking: one submitted claim's acknowledgment."""

    patient_control_number: str = ""  # TRN02 of 2200D (TRN*2): CLM01 as submitted
    payer_claim_control_number: str = ""  # REF*1K
    clearinghouse_trace: str = ""  # REF*D9
    bill_type: str = ""  # REF*BLT (837I)
    statuses: tuple[Status277, ...] = ()
    category_code: str = ""  # first STC01-1
    status_code: str = ""  # first STC01-2
    entity_code: str = ""  # first STC01-3
    status_date: date | None = None  # first STC02
    action_code: str = ""  # first STC03
    total_charge: Decimal | None = None  # first STC04
    payer_name: str = ""  # 2100A information source NM103 (the payer or clearinghouse)
    payer_id: str = ""  # 2100A NM109
    provider_npi: str = ""  # 2100C NM109 (billing provider) when XX
    service_date_from: date | None = None  # DTP*472
    service_date_to: date | None = None
    segment_index: int = 0  # 1-based position of its HL in the transaction

    @property
    def rejected(self) -> bool:
        return any(c.category in REJECTED_CATEGORIES for s in self.statuses for c in s.codes)

    @property
    def accepted(self) -> bool:
        return not self.rejected and any(
            c.category in ACCEPTED_CATEGORIES for s in self.statuses for c in s.codes
        )


@dataclass(frozen=True, slots=True)
class LevelStatus277:
    """A status above the claims: 2200A (source), 2200B (receiver) or 2200C (provider)."""

    level: str  # HL03: 20 source, 21 receiver, 19 provider
    name: str = ""  # the level's NM103
    identifier: str = ""  # NM109
    trace: str = ""  # TRN02
    statuses: tuple[Status277, ...] = ()
    accepted_quantity: int | None = None  # QTY*90
    rejected_quantity: int | None = None  # QTY*AA
    accepted_amount: Decimal | None = None  # AMT*YU
    rejected_amount: Decimal | None = None  # AMT*YY


@dataclass(frozen=True, slots=True)
class Transaction277CA:
    control_number: str = ""  # ST02
    implementation: str = ""  # ST03, else GS08
    reference: str = ""  # BHT03
    created_on: date | None = None  # BHT04
    levels: tuple[LevelStatus277, ...] = ()  # file-level statuses (2200A/B/C)
    claims: tuple[Claim277, ...] = ()
    envelope: Envelope = field(default_factory=Envelope)
    segment_count: int = 0
    warnings: tuple[str, ...] = ()
    index: int = 0
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
