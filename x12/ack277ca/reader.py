"""Reader277CA: streams 277CA (005010X214) claim acknowledgments.

HL*..*20  NM1*AY|PR TRN DTP*050 DTP*009             2000A/2100A/2200A source
HL*..*21  NM1*41 TRN STC QTY AMT                    2000B/2100B/2200B receiver
HL*..*19  NM1*85 TRN REF STC QTY AMT                2000C/2100C/2200C provider
HL*..*PT  NM1*QC TRN*2 STC REF*1K REF*D9 DTP*472    2000D/2100D/2200D patient claim
          SVC STC REF*FJ DTP*472                    2220D service lines (statuses kept
                                                    with the claim)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..envelope import Envelope, EnvelopeReader, Source
from ..errors import X12ParseError
from ..segments import padded
from ..simple import collect, no_se, se_warnings
from ..tokenizer import Delimiters
from ..values import amount, date_or_none, optional_amount
from .model import Claim277, LevelStatus277, Status277, StatusCode277, Transaction277CA

CLAIM_LEVELS = frozenset(("PT", "22", "23"))  # 2000D (and 2000E / 4010 levels)


def read_stc(e: list[str], number: int, comp: str, warnings: list[str]) -> Status277:
    e = padded(e, 13)
    codes = []
    for i in (1, 10, 11):
        if e[i]:
            parts = padded(e[i].split(comp), 3)
            if not parts[0]:
                raise X12ParseError(
                    segment_number=number,
                    segment_id="STC",
                    element=i,
                    expected="a claim status category code",
                    found=e[i],
                )
            codes.append(StatusCode277(parts[0], parts[1], parts[2]))
    if not codes:
        raise X12ParseError(
            "required element is empty", segment_number=number, segment_id="STC", element=1
        )
    when = date_or_none(e[2])
    if e[2] and when is None:
        warnings.append(f"segment {number} (STC), element 02: expected a date CCYYMMDD")
    return Status277(tuple(codes), when, e[3], optional_amount(e[4], number, "STC", 4), e[12])


@dataclass(slots=True)
class _Level:
    level: str
    number: int
    values: dict = field(default_factory=dict)
    statuses: list = field(default_factory=list)


def _freeze_claim(level: _Level, source: _Level | None, provider: _Level | None) -> Claim277:
    v = level.values
    first = level.statuses[0] if level.statuses else Status277()
    code = first.codes[0] if first.codes else StatusCode277()
    return Claim277(
        patient_control_number=v.get("trace", ""),
        payer_claim_control_number=v.get("1K", ""),
        clearinghouse_trace=v.get("D9", ""),
        bill_type=v.get("BLT", ""),
        statuses=tuple(level.statuses),
        category_code=code.category,
        status_code=code.code,
        entity_code=code.entity,
        status_date=first.date,
        action_code=first.action_code,
        total_charge=first.amount,
        payer_name=source.values.get("name", "") if source else "",
        payer_id=source.values.get("id", "") if source else "",
        provider_npi=provider.values.get("npi", "") if provider else "",
        service_date_from=v.get("from"),
        service_date_to=v.get("to"),
        segment_index=v["index"],
    )


def _freeze_level(level: _Level) -> LevelStatus277:
    v = level.values
    return LevelStatus277(
        level=level.level,
        name=v.get("name", ""),
        identifier=v.get("id", ""),
        trace=v.get("trace", ""),
        statuses=tuple(level.statuses),
        accepted_quantity=v.get("90"),
        rejected_quantity=v.get("AA"),
        accepted_amount=v.get("YU"),
        rejected_amount=v.get("YY"),
    )


def _walk(rows, numbers, comp, warnings, attrs):
    levels: list[LevelStatus277] = []
    claims: list[Claim277] = []
    by_level: dict[str, _Level] = {}
    current: _Level | None = None
    in_service = False

    def close():
        if current is None:
            return
        if current.level in CLAIM_LEVELS:
            claims.append(_freeze_claim(current, by_level.get("20"), by_level.get("19")))
        else:
            levels.append(_freeze_level(current))

    for e, number in zip(rows[1:], numbers[1:], strict=True):
        sid = e[0]
        if sid == "HL":
            close()
            e = padded(e, 4)
            if not e[3]:
                raise X12ParseError(
                    "required element is empty",
                    segment_number=number,
                    segment_id="HL",
                    element=3,
                )
            current = _Level(e[3], number)
            current.values["index"] = number - numbers[0] + 1
            by_level[e[3]] = current
            in_service = False
        elif sid == "BHT":
            e = padded(e, 5)
            attrs["reference"], attrs["created_on"] = e[3], date_or_none(e[4])
        elif current is None:
            if sid != "SE":
                raise X12ParseError(
                    f"{sid} is not allowed before the first HL",
                    segment_number=number,
                    segment_id=sid,
                )
        elif sid == "SVC":
            in_service = True
        elif sid == "STC":
            if not in_service:
                current.statuses.append(read_stc(e, number, comp, warnings))
        elif sid == "NM1" and not in_service:
            e = padded(e, 10)
            current.values["name"], current.values["id"] = e[3], e[9]
            if e[8] == "XX":
                current.values["npi"] = e[9]
        elif sid == "TRN" and not in_service:
            current.values["trace"] = padded(e, 3)[2]
        elif sid == "REF" and not in_service:
            e = padded(e, 3)
            current.values[e[1]] = e[2]
        elif sid == "QTY":
            e = padded(e, 3)
            if not e[2].isdigit():
                raise X12ParseError(
                    segment_number=number,
                    segment_id="QTY",
                    element=2,
                    expected="a whole number",
                    found=e[2],
                )
            current.values[e[1]] = int(e[2])
        elif sid == "AMT":
            e = padded(e, 3)
            current.values[e[1]] = amount(e[2], number, "AMT", 2)
        elif sid == "DTP" and not in_service:
            e = padded(e, 4)
            if e[1] == "472":
                first, _, last = e[3].partition("-")
                current.values["from"] = date_or_none(first)
                current.values["to"] = date_or_none(last or first)
    close()
    return levels, claims


class Reader277CA(EnvelopeReader):
    """Stream 277CA acknowledgments: one Transaction277CA per ST..SE."""

    set_id = "277"
    description = "a claim acknowledgment (277CA)"

    def __iter__(self) -> Iterator[Transaction277CA]:
        return super().__iter__()

    def read_transaction(self, st, segments, number: int, envelope: Envelope, index: int):
        d = self.delimiters
        rows, numbers, se, last, pushback = collect(segments, number, d.element, st)
        implementation = (st[3] if len(st) > 3 else "") or envelope.version
        count = last - number + 1
        raw = tuple(d.element.join(e) for e in rows)
        base = dict(
            control_number=st[2] if len(st) > 2 else "",
            implementation=implementation,
            envelope=envelope,
            segment_count=count,
            index=index,
            terminator=d.segment,
        )
        try:
            if se is None:
                raise no_se(number, pushback, d.element)
            warnings: list[str] = []
            attrs: dict = {}
            levels, claims = _walk(rows, numbers, d.component, warnings, attrs)
        except X12ParseError as exc:
            tx = Transaction277CA(**base, error=exc, error_message=str(exc), raw_segments=raw)
            return tx, last, pushback
        warnings += se_warnings(se, last, count, st)
        tx = Transaction277CA(
            **base,
            reference=attrs.get("reference", ""),
            created_on=attrs.get("created_on"),
            levels=tuple(levels),
            claims=tuple(claims),
            warnings=tuple(warnings),
        )
        return tx, last, pushback


@dataclass(slots=True)
class Parse277CAResult:
    transactions: list[Transaction277CA] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    delimiters: Delimiters | None = None


def parse_277ca(source: Source, *, chunk_size: int = 1 << 20) -> Parse277CAResult:
    reader = Reader277CA(source, chunk_size=chunk_size)
    transactions = list(reader)
    return Parse277CAResult(transactions, reader.warnings, reader.delimiters)
