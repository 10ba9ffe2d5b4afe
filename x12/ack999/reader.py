"""Reader999: streams 999 implementation acknowledgments.

AK1                     the acknowledged functional group
    AK2                 2000 one transaction set response
        IK3 CTX         2100 a segment error
            IK4 CTX     2110 an element error
        IK5             its status
AK9                     the group's status and counts
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..envelope import Envelope, EnvelopeReader, Source
from ..errors import X12ParseError
from ..segments import padded
from ..simple import collect, no_se, se_warnings
from ..tokenizer import Delimiters
from .model import ElementError999, SegmentError999, SetResponse999, Transaction999


def _int(text: str, number: int, sid: str, element: int, required: bool = True) -> int | None:
    if not text and not required:
        return None
    if not (text.isdigit() and text.isascii()):
        raise X12ParseError(
            None if text else "required element is empty",
            segment_number=number,
            segment_id=sid,
            element=element,
            expected="a whole number",
            found=text or None,
        )
    return int(text)


def _ik4(e: list[str], number: int, comp: str) -> ElementError999:
    e = padded(e, 5)
    parts = padded(e[1].split(comp), 3)
    return ElementError999(
        position=_int(parts[0], number, "IK4", 1),
        component=_int(parts[1], number, "IK4", 1, required=False),
        repetition=_int(parts[2], number, "IK4", 1, required=False),
        reference_number=e[2],
        code=e[3],
        bad_value=e[4],
    )


def _walk(rows, numbers, comp, attrs):
    sets: list[SetResponse999] = []
    ak2: list[str] | None = None
    segment_errors: list[SegmentError999] = []
    ik3: list[str] | None = None
    ik4s: list[ElementError999] = []

    def close_ik3():
        nonlocal ik3, ik4s
        if ik3 is not None:
            segment_errors.append(SegmentError999(ik3[0], ik3[1], ik3[2], ik3[3], tuple(ik4s)))
        ik3, ik4s = None, []

    for e, number in zip(rows[1:], numbers[1:], strict=True):
        sid = e[0]
        if sid == "IK4":
            if ik3 is None:
                raise X12ParseError(
                    "IK4 without an IK3 before it", segment_number=number, segment_id=sid
                )
            ik4s.append(_ik4(e, number, comp))
        elif sid == "IK3":
            if ak2 is None:
                raise X12ParseError(
                    "IK3 outside an AK2 loop", segment_number=number, segment_id=sid
                )
            close_ik3()
            e = padded(e, 5)
            ik3 = [e[1], _int(e[2], number, sid, 2), e[3], e[4]]
        elif sid == "AK2":
            if ak2 is not None:
                raise X12ParseError(
                    "AK2 before the IK5 of the previous set",
                    segment_number=number,
                    segment_id=sid,
                    expected="IK5",
                )
            ak2 = padded(e, 4)
            segment_errors = []
        elif sid == "IK5":
            if ak2 is None:
                raise X12ParseError("IK5 without an AK2", segment_number=number, segment_id=sid)
            close_ik3()
            e = padded(e, 7)
            if not e[1]:
                raise X12ParseError(
                    "required element is empty",
                    segment_number=number,
                    segment_id=sid,
                    element=1,
                )
            sets.append(
                SetResponse999(
                    ak2[1],
                    ak2[2],
                    ak2[3],
                    e[1],
                    tuple(c for c in e[2:7] if c),
                    tuple(segment_errors),
                )
            )
            ak2 = None
        elif sid == "AK1":
            e = padded(e, 4)
            attrs.update(functional_id=e[1], group_control_number=e[2], group_version=e[3])
        elif sid == "AK9":
            if ak2 is not None:
                raise X12ParseError(
                    "AK9 before the IK5 of the last set",
                    segment_number=number,
                    segment_id=sid,
                    expected="IK5",
                )
            e = padded(e, 10)
            attrs.update(
                group_status=e[1],
                sets_included=_int(e[2], number, sid, 2),
                sets_received=_int(e[3], number, sid, 3),
                sets_accepted=_int(e[4], number, sid, 4),
                group_error_codes=tuple(c for c in e[5:10] if c),
            )
    if ak2 is not None:
        raise X12ParseError("the last AK2 has no IK5", segment_id="AK2", expected="IK5")
    return sets


class Reader999(EnvelopeReader):
    """Stream 999 acknowledgments: one Transaction999 per ST..SE."""

    set_id = "999"
    description = "an implementation acknowledgment (999)"

    def __iter__(self) -> Iterator[Transaction999]:
        return super().__iter__()

    def read_transaction(self, st, segments, number: int, envelope: Envelope, index: int):
        d = self.delimiters
        rows, numbers, se, last, pushback = collect(segments, number, d.element, st)
        count = last - number + 1
        base = dict(
            control_number=st[2] if len(st) > 2 else "",
            implementation=(st[3] if len(st) > 3 else "") or envelope.version,
            envelope=envelope,
            segment_count=count,
            index=index,
            terminator=d.segment,
        )
        attrs: dict = {}
        try:
            if se is None:
                raise no_se(number, pushback, d.element)
            sets = _walk(rows, numbers, d.component, attrs)
        except X12ParseError as exc:
            raw = tuple(d.element.join(e) for e in rows)
            tx = Transaction999(**base, error=exc, error_message=str(exc), raw_segments=raw)
            return tx, last, pushback
        warnings = tuple(se_warnings(se, last, count, st))
        return Transaction999(**base, **attrs, sets=tuple(sets), warnings=warnings), last, None


@dataclass(slots=True)
class Parse999Result:
    transactions: list[Transaction999] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    delimiters: Delimiters | None = None


def parse_999(source: Source, *, chunk_size: int = 1 << 20) -> Parse999Result:
    reader = Reader999(source, chunk_size=chunk_size)
    transactions = list(reader)
    return Parse999Result(transactions, reader.warnings, reader.delimiters)
