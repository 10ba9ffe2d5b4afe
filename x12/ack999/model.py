"""Plain data produced by the 999 reader (005010X231A1 implementation acknowledgment)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..envelope import Envelope, join_segments
from ..errors import X12ParseError

ACCEPTED_STATUSES = frozenset(("A", "E"))  # E: accepted, but errors were noted
REJECTED_STATUSES = frozenset(("R", "M", "W", "X"))


@dataclass(frozen=True, slots=True)
class ElementError999:
    """IK4: one element error inside the segment named by the IK3 before it."""

    position: int = 0  # IK401-1: element position in the segment
    component: int | None = None  # IK401-2: component position
    repetition: int | None = None  # IK401-3
    reference_number: str = ""  # IK402: data element reference number
    code: str = ""  # IK403: 1 required missing, 7 invalid code value, 8 invalid date ...
    bad_value: str = ""  # IK404: copy of the bad data element


@dataclass(frozen=True, slots=True)
class SegmentError999:
    """IK3 with its IK4s: segment id, position in the transaction set, loop, error code."""

    segment_id: str = ""  # IK301
    position: int = 0  # IK302: segment position in the transaction set (ST = 1)
    loop: str = ""  # IK303: loop identifier, e.g. 2300
    code: str = ""  # IK304: 1 unrecognized segment, 3 required missing, 8 has data errors ...
    element_errors: tuple[ElementError999, ...] = ()


@dataclass(frozen=True, slots=True)
class SetResponse999:
    """AK2..IK5: the response for one transaction set of the acknowledged group."""

    set_id: str = ""  # AK201, e.g. 837
    control_number: str = ""  # AK202: the acknowledged ST02
    implementation: str = ""  # AK203
    status: str = ""  # IK501: A, E, R, M, W, X
    status_codes: tuple[str, ...] = ()  # IK502..IK506
    segment_errors: tuple[SegmentError999, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES

    @property
    def rejected(self) -> bool:
        return self.status in REJECTED_STATUSES


@dataclass(frozen=True, slots=True)
class Transaction999:
    control_number: str = ""  # ST02
    implementation: str = ""  # ST03, else GS08
    functional_id: str = ""  # AK101: the acknowledged group's GS01 (HC for 837)
    group_control_number: str = ""  # AK102: its GS06
    group_version: str = ""  # AK103: its GS08
    sets: tuple[SetResponse999, ...] = ()
    group_status: str = ""  # AK901: A, E, P (partially accepted), R ...
    sets_included: int | None = None  # AK902
    sets_received: int | None = None  # AK903
    sets_accepted: int | None = None  # AK904
    group_error_codes: tuple[str, ...] = ()  # AK905..AK909
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
