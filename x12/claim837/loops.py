"""The 837 loop walker: one ST..SE transaction from a stream of segments to a Transaction837.

Loop structure (005010X222A1 / X223A2; the 4010 guides use the same segments):

    ST BHT REF NM1*41 PER NM1*40                    header, 1000A submitter, 1000B receiver
    HL*..*20  PRV CUR NM1*85 N3 N4 REF PER NM1*87   2000A billing provider, 2010AA/AB
    HL*..*22  SBR PAT NM1*IL N3 N4 DMG REF NM1*PR   2000B subscriber, 2010BA, 2010BB payer
    HL*..*23  PAT NM1*QC N3 N4 DMG REF              2000C patient, 2010CA
        CLM DTP CL1 PWK AMT REF NTE CRx HI HCP      2300 claim
            NM1 PRV REF N3 N4                       2310x providers (82 rendering, 71 ...)
            SBR CAS AMT OI MOA NM1 DTP REF          2320 other subscriber, 2330x (PR payer)
            LX SV1|SV2 DTP REF AMT NTE LIN CTP ...  2400 line, 2410 drug, 2420, 2430
    SE

Segments the model does not use (N3, PER, CAS, CRx, ...) are skipped. Errors are contained
as in the 835 walker: one inside a claim loop quarantines that claim (a
``ClaimException837``) and reading goes on at the next CLM, HL or SE; any other error fails
the transaction, which comes back with ``error`` set, no claims and its raw segments.
Messages name segment number, segment id and element, and never quote names, member ids or
birth dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from ..envelope import ENVELOPE_IDS, Envelope
from ..errors import X12ParseError
from ..values import (
    CACHE_MAX,
    amount,
    amount_cache,
    bad_value,
    date_cache,
    date_or_none,
    optional_amount,
)
from .drafts import (
    L_CHARGE,
    L_DIAGNOSIS_POINTERS,
    L_LINE_CONTROL_NUMBER,
    L_MODIFIERS,
    L_NDC,
    L_PLACE_OF_SERVICE,
    L_PROCEDURE_CODE,
    L_PROCEDURE_QUALIFIER,
    L_REVENUE_CODE,
    L_SERVICE_DATE_FROM,
    L_SERVICE_DATE_TO,
    L_UNIT_BASIS,
    L_UNITS,
    ClaimDraft,
    OtherPayerDraft,
    PersonDraft,
    ProviderDraft,
    SubscriberDraft,
    build_line,
    new_line,
)
from .model import INSTITUTIONAL, PROFESSIONAL, ClaimException837, Transaction837

HEADER, BILLING, SUBSCRIBER, PATIENT, CLAIM, OTHER, LINE = range(7)
WHERE = {
    HEADER: "in the 837 header (before the first HL)",
    BILLING: "in a billing provider loop (2000A) before a subscriber HL",
    SUBSCRIBER: "in a subscriber loop (2000B)",
    PATIENT: "in a patient loop (2000C)",
    CLAIM: "in a claim loop (2300)",
    OTHER: "in an other subscriber loop (2320)",
    LINE: "in a service line loop (2400)",
}
CLAIM_BOUNDARY_IDS = frozenset(("CLM", "HL", "SE")) | ENVELOPE_IDS
DIAGNOSIS_QUALIFIERS = frozenset(
    ("ABK", "ABF", "ABJ", "ABN", "APR", "BK", "BF", "BJ", "BN", "PR", "ZZ")
)
IMPLEMENTATION_KIND = {"X222": PROFESSIONAL, "X098": PROFESSIONAL}
IMPLEMENTATION_KIND |= {"X223": INSTITUTIONAL, "X096": INSTITUTIONAL}
PAD = [""] * 16


class State:
    """What the walker knows between segments of one transaction."""

    __slots__ = (
        "attrs",
        "hl",
        "billing",
        "subscriber",
        "patient",
        "claim",
        "line",
        "line_kind",
        "line_number",
        "other",
        "name",
        "claims",
        "evidence",
    )

    def __init__(self) -> None:
        self.attrs: dict[str, str] = {}  # header values for Transaction837
        self.hl: dict[str, tuple[str, object]] = {}  # HL01 -> (level, draft)
        self.billing: ProviderDraft | None = None
        self.subscriber: SubscriberDraft | None = None
        self.patient: PersonDraft | None = None
        self.claim: ClaimDraft | None = None
        self.line: list | None = None  # a line draft (drafts.new_line)
        self.line_kind = ""  # PROFESSIONAL after SV1, INSTITUTIONAL after SV2
        self.line_number = 0  # the LX's segment number in the file, for errors
        self.other: OtherPayerDraft | None = None
        self.name = ""  # NM101 of the current name loop inside the current level
        self.claims: list = []
        self.evidence = ""  # the transaction's kind, from the first claim that shows it


def implementation_kind(implementation: str) -> str:
    for marker, kind in IMPLEMENTATION_KIND.items():
        if marker in implementation:
            return kind
    return ""


def _misplaced(number: int, sid: str, state: int) -> X12ParseError:
    return X12ParseError(
        f"{sid} is not allowed {WHERE[state]}", segment_number=number, segment_id=sid
    )


def dtp_dates(e: list[str], number: int, warnings: list[str]):
    """(from, to) of a DTP with D8, RD8 or DT (CCYYMMDDHHMM); invalid dates read as missing,
    with a warning that does not quote the value (dates may be PHI)."""
    fmt, text = (e[2], e[3]) if len(e) > 3 else ("", "")
    if fmt == "RD8" and len(text) == 17:
        first, last = text[:8], text[9:]
    else:
        first = last = text[:8] if fmt == "DT" else text
    start = date_cache.get(first) or date_or_none(first)
    end = start if last is first else (date_cache.get(last) or date_or_none(last))
    if start is None or end is None:
        warnings.append(
            f"segment {number} (DTP), element 03: expected a date in format {fmt[:3]!r};"
            " date left empty"
        )
    return start, end


def read_transaction(
    st: list[str], segments: Iterator[str], number: int, ctx, envelope: Envelope, index: int
) -> tuple[Transaction837, int, str | None]:
    """Consume segments through SE; return the Transaction837, the file number of the last
    segment consumed and an envelope segment read past a missing SE (or None). Raises
    nothing: errors are contained in the transaction returned (see the module docstring)."""
    sep = ctx.delimiters.element
    comp = ctx.delimiters.component
    st_number = number
    implementation = (st[3] if len(st) > 3 else "") or envelope.version
    default_kind = implementation_kind(implementation)
    warnings: list[str] = []
    exceptions: list[ClaimException837] = []
    s = State()
    claims = s.claims
    header_raw: list[str] | None = None
    raw = [sep.join(st)]
    state = HEADER
    stream: Iterator[str] = segments
    error: X12ParseError | None = None
    pushback: str | None = None
    se: list[str] | None = None
    amounts = amount_cache
    # by text: SV101/SV202 procedures, SV107 pointers, HI segments (delimiters are fixed here)
    caches: tuple[dict, dict, dict] = ({}, {}, {})
    while True:
        try:
            for seg in stream:
                number += 1
                raw.append(seg)
                e = seg.split(sep)
                sid = e[0]
                # most frequent first: REF, DTP, NM1, LX, SV1 make up most of a claim
                if sid == "REF":
                    if state < CLAIM and state != BILLING:
                        continue
                    if len(e) < 3:
                        e += PAD[: 3 - len(e)]
                    qualifier = e[1]
                    if state == LINE:
                        if qualifier == "6R" and not s.name:
                            s.line[L_LINE_CONTROL_NUMBER] = e[2]
                    elif state == CLAIM:
                        if not s.name:
                            _claim_ref(s.claim, qualifier, e[2])
                    elif state == OTHER:
                        if qualifier == "F8" and s.name == "PR":
                            s.other.payer_claim_control_number = e[2]
                    elif qualifier == "EI" and s.name == "85":  # BILLING
                        s.billing.tax_id = e[2]
                elif sid == "DTP":
                    if state < CLAIM or s.name and state != OTHER:
                        continue
                    if len(e) < 4:
                        e += PAD[: 4 - len(e)]
                    qualifier = e[1]
                    if state == LINE:
                        if qualifier == "472":
                            line = s.line
                            day = date_cache.get(e[3]) if e[2] == "D8" else None
                            if day is not None:
                                line[L_SERVICE_DATE_FROM] = line[L_SERVICE_DATE_TO] = day
                            else:
                                line[L_SERVICE_DATE_FROM], line[L_SERVICE_DATE_TO] = dtp_dates(
                                    e, number, warnings
                                )
                    elif state == CLAIM:
                        claim = s.claim
                        if qualifier == "472":
                            claim.service_date_from, claim.service_date_to = dtp_dates(
                                e, number, warnings
                            )
                        elif qualifier == "434":
                            claim.statement_from, claim.statement_to = dtp_dates(
                                e, number, warnings
                            )
                        elif qualifier == "435":
                            claim.admission_date = dtp_dates(e, number, warnings)[0]
                    elif qualifier == "573":  # OTHER
                        s.other.adjudication_date = dtp_dates(e, number, warnings)[0]
                elif sid == "NM1":
                    _read_nm1(e, number, s, state)
                elif sid == "LX":
                    if state < CLAIM:
                        raise _misplaced(number, sid, state)
                    if s.line is not None:
                        _close_line(s)
                    text = e[1] if len(e) > 1 else ""
                    if not (text.isdigit() and text.isascii()):
                        raise bad_value(number, sid, 1, "a line number", text)
                    s.line = new_line(int(text), number - st_number + 1)
                    s.line_kind = ""
                    s.line_number = number
                    s.name = ""
                    state = LINE
                elif sid == "SV1":
                    if state != LINE or s.line_kind:
                        raise _misplaced(number, sid, state)
                    s.line_kind = PROFESSIONAL
                    _read_sv1(e, number, s.line, comp, amounts, caches)
                elif sid == "HL":
                    if s.claim is not None:
                        _close_claim(s, default_kind)
                    if header_raw is None:
                        header_raw = raw[:-1]
                    raw = [seg]
                    state = _read_hl(e, number, s)
                elif sid == "CLM":
                    if state < SUBSCRIBER:
                        raise _misplaced(number, sid, state)
                    if s.claim is not None:
                        _close_claim(s, default_kind)
                    if header_raw is None:
                        header_raw = raw[:-1]
                    raw = [seg]
                    s.name = ""
                    state = CLAIM
                    s.claim = ClaimDraft(e[1] if len(e) > 1 else "", number - st_number + 1)
                    _read_clm(e, number, comp, amounts, s.claim)
                elif sid == "DMG":
                    if state in (SUBSCRIBER, PATIENT):
                        _read_dmg(e, number, s, state, warnings)
                elif sid == "SBR":
                    e += PAD[:10]
                    if state == SUBSCRIBER and s.name == "":
                        sub = s.subscriber
                        sub.responsibility, sub.group_number = e[1], e[3]
                        sub.filing_indicator = e[9]
                        sub.person.relationship = e[2]
                    elif state in (CLAIM, OTHER):
                        s.other = OtherPayerDraft(responsibility=e[1], filing_indicator=e[9])
                        s.claim.other_payers.append(s.other)
                        s.name = ""
                        state = OTHER
                    else:
                        raise _misplaced(number, sid, state)
                elif sid == "HI":
                    if state != CLAIM:
                        raise _misplaced(number, sid, state)
                    _read_hi(seg, e, s.claim, comp, caches[2])
                elif sid == "PRV":
                    if len(e) > 3:
                        if state == BILLING:
                            s.billing.taxonomy = e[3]
                        elif state == CLAIM and s.name in ("82", "71"):
                            claim = s.claim
                            target = claim.rendering if s.name == "82" else claim.attending
                            target.taxonomy = e[3]
                elif sid == "SV2":
                    if state != LINE or s.line_kind:
                        raise _misplaced(number, sid, state)
                    s.line_kind = INSTITUTIONAL
                    _read_sv2(e, number, s.line, comp, amounts, caches)
                elif sid == "AMT":
                    if state == OTHER and len(e) > 2 and e[1] == "D" and not s.name:
                        s.other.paid_amount = amount(e[2], number, sid, 2)
                elif sid == "PAT":
                    if state == PATIENT and len(e) > 1:
                        s.patient.relationship = e[1]
                elif sid == "CL1":
                    if state != CLAIM:
                        raise _misplaced(number, sid, state)
                    s.claim.evidence = INSTITUTIONAL
                elif sid == "LIN":
                    if state == LINE and len(e) > 3 and e[2] == "N4":
                        s.line[L_NDC] = e[3]
                elif sid == "BHT":
                    if state != HEADER:
                        raise _misplaced(number, sid, state)
                    _read_bht(e, number, s, warnings)
                elif sid == "SE":
                    se = e
                    break
                elif sid in ENVELOPE_IDS:
                    raw.pop()
                    number -= 1
                    pushback = seg
                    break
            if se is not None and s.claim is not None:
                _close_claim(s, default_kind)
            break
        except X12ParseError as exc:
            if s.claim is None or state < CLAIM:
                error = exc
                break
            boundary = None
            if se is None:
                boundary, number = _skip_claim(segments, number, sep, raw)
            claim = s.claim
            exceptions.append(
                ClaimException837(
                    position=len(claims) + len(exceptions),
                    segment_index=claim.segment_index,
                    raw_segments=tuple(raw),
                    terminator=ctx.delimiters.segment,
                    message=str(exc),
                    patient_control_number=claim.patient_control_number,
                    error=exc,
                )
            )
            s.claim = s.line = s.other = None
            raw = []
            state = PATIENT if s.patient is not None else SUBSCRIBER
            if boundary is None:
                break
            stream = chain((boundary,), segments)
    segment_count = number - st_number + 1
    if error is None and se is None:
        error = _no_se(st_number, pushback, sep)
    if error is not None:
        if pushback is None:
            more, number = _skip_transaction(segments, number, sep, raw)
            pushback = more
            segment_count = number - st_number + 1
        return (
            _failed(
                st,
                implementation,
                envelope,
                index,
                error,
                (header_raw or []) + raw,
                ctx,
                segment_count,
            ),
            number,
            pushback,
        )
    _finish(se, number, segment_count, st, warnings)
    kinds = {claim.kind for claim in claims}
    kind = s.evidence or default_kind
    if len(kinds - {""}) > 1:
        warnings.append("the transaction mixes professional and institutional claims")
    a = s.attrs
    tx = Transaction837(
        control_number=st[2] if len(st) > 2 else "",
        implementation=implementation,
        kind=kind,
        purpose=a.get("purpose", ""),
        reference=a.get("reference", ""),
        created_on=a.get("created_on"),
        transaction_type=a.get("transaction_type", ""),
        submitter_name=a.get("submitter_name", ""),
        submitter_id=a.get("submitter_id", ""),
        receiver_name=a.get("receiver_name", ""),
        receiver_id=a.get("receiver_id", ""),
        claims=tuple(claims),
        exceptions=tuple(exceptions),
        envelope=envelope,
        segment_count=segment_count,
        warnings=tuple(warnings),
        index=index,
        terminator=ctx.delimiters.segment,
    )
    return tx, number, None


# --------------------------------------------------------------------------------------------
# segment readers


def _read_bht(e: list[str], number: int, s: State, warnings: list[str]) -> None:
    e = e + PAD[:7]
    a = s.attrs
    a["purpose"], a["reference"], a["transaction_type"] = e[2], e[3], e[6]
    created = date_or_none(e[4])
    if e[4] and created is None:
        warnings.append(f"segment {number} (BHT), element 04: expected a date CCYYMMDD")
    a["created_on"] = created


def _read_hl(e: list[str], number: int, s: State) -> int:
    if len(e) < 5:
        e = e + PAD[:5]
    hl_id, parent, level = e[1], e[2], e[3]
    if not hl_id:
        raise bad_value(number, "HL", 1, "a hierarchical id", "")
    if hl_id in s.hl:
        raise X12ParseError(
            "duplicate hierarchical id",
            segment_number=number,
            segment_id="HL",
            element=1,
            found=hl_id,
        )
    s.line = s.other = None
    s.name = ""
    if level == "20":
        s.billing = ProviderDraft()
        s.subscriber = s.patient = None
        s.hl[hl_id] = (level, s.billing)
        return BILLING
    up = s.hl.get(parent)
    if level == "22":
        if up is None or up[0] != "20":
            raise X12ParseError(
                "a subscriber HL must point to a billing provider HL (level 20)",
                segment_number=number,
                segment_id="HL",
                element=2,
                found=parent,
            )
        s.subscriber = SubscriberDraft(up[1])  # billing
        s.patient = None
        s.hl[hl_id] = (level, s.subscriber)
        return SUBSCRIBER
    if level == "23":
        if up is None or up[0] != "22":
            raise X12ParseError(
                "a patient HL must point to a subscriber HL (level 22)",
                segment_number=number,
                segment_id="HL",
                element=2,
                found=parent,
            )
        s.subscriber = up[1]
        s.patient = PersonDraft()
        s.hl[hl_id] = (level, s.patient)
        return PATIENT
    raise X12ParseError(
        segment_number=number,
        segment_id="HL",
        element=3,
        expected="hierarchical level 20, 22 or 23",
        found=level,
    )


def _person_name(e: list[str]) -> str:
    if e[2] == "1" and e[4]:
        return f"{e[3]}, {e[4]}"
    return e[3]


def _read_nm1(e: list[str], number: int, s: State, state: int) -> None:
    e = e + PAD[:10] if len(e) < 10 else e
    code = e[1]
    s.name = code
    if state == CLAIM:
        if code == "82" or code == "71":
            draft = ProviderDraft(name=_person_name(e), entity_type=e[2])
            if e[8] == "XX":
                draft.npi = e[9]
            if code == "82":
                s.claim.rendering = draft
            else:
                s.claim.attending = draft
    elif state == OTHER:
        if code == "PR":
            s.other.name, s.other.payer_id = e[3], e[9]
    elif state == SUBSCRIBER:
        if code == "IL":
            person = s.subscriber.person
            person.last_name, person.first_name, person.member_id = e[3], e[4], e[9]
        elif code == "PR":
            s.subscriber.payer_name, s.subscriber.payer_id = e[3], e[9]
    elif state == PATIENT:
        if code == "QC":
            s.patient.last_name, s.patient.first_name = e[3], e[4]
    elif state == BILLING:
        if code == "85":
            billing = s.billing
            billing.name, billing.entity_type = _person_name(e), e[2]
            if e[8] == "XX":
                billing.npi = e[9]
            elif e[8] in ("24", "34"):
                billing.tax_id = e[9]
    elif state == HEADER:
        if code == "41":
            s.attrs["submitter_name"], s.attrs["submitter_id"] = e[3], e[9]
        elif code == "40":
            s.attrs["receiver_name"], s.attrs["receiver_id"] = e[3], e[9]


def _read_dmg(e: list[str], number: int, s: State, state: int, warnings: list[str]) -> None:
    if state == SUBSCRIBER and s.name == "IL":
        person = s.subscriber.person
    elif state == PATIENT and s.name == "QC":
        person = s.patient
    else:
        return
    if len(e) < 4:
        e = e + PAD[:4]
    if e[2]:
        person.birth_date = date_cache.get(e[2]) or date_or_none(e[2])
        if person.birth_date is None:
            warnings.append(f"segment {number} (DMG), element 02: not a valid date; left empty")
    person.gender = e[3]


def _read_clm(e: list[str], number: int, comp: str, amounts, claim: ClaimDraft) -> None:
    e = e + PAD[:6] if len(e) < 6 else e
    if not e[1]:
        raise bad_value(number, "CLM", 1, "a patient control number", "")
    text = e[2]
    charge = amounts.get(text)
    claim.charge = charge if charge is not None else amount(text, number, "CLM", 2)
    parts = e[5].split(comp)
    parts += PAD[: 3 - len(parts)]
    claim.facility_code, claim.facility_qualifier, claim.frequency_code = parts[:3]


def _claim_ref(claim: ClaimDraft, qualifier: str, value: str) -> None:
    if qualifier == "G1":
        claim.prior_authorization = value
    elif qualifier == "9F":
        claim.referral_number = value
    elif qualifier == "F8":
        claim.payer_claim_control_number = value
    elif qualifier == "D9":
        claim.clearinghouse_trace = value


def _read_hi(seg: str, e: list[str], claim: ClaimDraft, comp: str, diagnoses: dict) -> None:
    """Add an HI's diagnoses to the claim; (codes, qualifiers) are cached by segment text."""
    found = diagnoses.get(seg)
    if found is None:
        codes: list[str] = []
        qualifiers: list[str] = []
        for composite in e[1:]:
            qualifier, _, rest = composite.partition(comp)
            if qualifier in DIAGNOSIS_QUALIFIERS and rest:
                qualifiers.append(qualifier)
                codes.append(rest.split(comp, 1)[0])
        found = (tuple(codes), tuple(qualifiers))
        if len(diagnoses) >= CACHE_MAX:
            diagnoses.clear()
        diagnoses[seg] = found
    if claim.diagnosis_codes:  # a second HI
        claim.diagnosis_codes += found[0]
        claim.diagnosis_qualifiers += found[1]
    else:
        claim.diagnosis_codes, claim.diagnosis_qualifiers = found


def _procedure(text: str, comp: str, procedures: dict) -> tuple:
    """(qualifier, code, modifiers) of an SV101 / SV202 composite; cached by its text."""
    value = procedures.get(text)
    if value is None:
        parts = text.split(comp)
        modifiers = tuple(m for m in parts[2:6] if m) if len(parts) > 2 else ()
        value = (parts[0], parts[1] if len(parts) > 1 else "", modifiers)
        if len(procedures) >= CACHE_MAX:
            procedures.clear()
        procedures[text] = value
    return value


def _pointers(text: str, comp: str, pointers: dict) -> tuple[str, ...]:
    """SV107's diagnosis pointers; cached by text."""
    value = pointers.get(text)
    if value is None:
        value = tuple(text.split(comp))
        if len(pointers) >= CACHE_MAX:
            pointers.clear()
        pointers[text] = value
    return value


def _units(text: str, number: int, sid: str, element: int, amounts) -> object:
    if not text:
        return None
    value = amounts.get(text)
    return value if value is not None else optional_amount(text, number, sid, element)


def _read_sv1(e: list[str], number: int, line: list, comp: str, amounts, caches) -> None:
    procedures, pointers = caches[0], caches[1]
    e = e + PAD[:8] if len(e) < 8 else e
    if not e[1]:
        raise bad_value(number, "SV1", 1, "a procedure code", "")
    # cache hits inline: a procedure or pointers tuple is never empty
    (
        line[L_PROCEDURE_QUALIFIER],
        line[L_PROCEDURE_CODE],
        line[L_MODIFIERS],
    ) = procedures.get(e[1]) or _procedure(e[1], comp, procedures)
    charge = amounts.get(e[2])
    line[L_CHARGE] = charge if charge is not None else amount(e[2], number, "SV1", 2)
    line[L_UNIT_BASIS] = e[3]
    text = e[4]
    if text:
        units = amounts.get(text)
        line[L_UNITS] = units if units is not None else _units(text, number, "SV1", 4, amounts)
    line[L_PLACE_OF_SERVICE] = e[5]
    text = e[7]
    if text:
        line[L_DIAGNOSIS_POINTERS] = pointers.get(text) or _pointers(text, comp, pointers)


def _read_sv2(e: list[str], number: int, line: list, comp: str, amounts, caches) -> None:
    procedures = caches[0]
    e = e + PAD[:7] if len(e) < 7 else e
    line[L_REVENUE_CODE] = e[1]
    if e[2]:
        (
            line[L_PROCEDURE_QUALIFIER],
            line[L_PROCEDURE_CODE],
            line[L_MODIFIERS],
        ) = _procedure(e[2], comp, procedures)
    charge = amounts.get(e[3])
    line[L_CHARGE] = charge if charge is not None else amount(e[3], number, "SV2", 3)
    line[L_UNIT_BASIS] = e[4]
    line[L_UNITS] = _units(e[5], number, "SV2", 5, amounts)


def _close_line(s: State) -> None:
    line = s.line
    if line is None:
        return
    kind = s.line_kind
    if not kind:
        raise X12ParseError(
            "service line without SV1 or SV2",
            segment_number=s.line_number,
            segment_id="LX",
            expected="SV1 or SV2 after LX",
        )
    claim = s.claim
    if not claim.evidence:
        claim.evidence = kind
    claim.lines.append(build_line(*line))
    s.line = None


def _close_claim(s: State, default_kind: str) -> None:
    _close_line(s)
    claim = s.claim.freeze(s.subscriber, s.patient, default_kind)
    if not s.evidence and claim.kind:
        s.evidence = claim.kind
    s.claims.append(claim)
    s.claim = s.other = None


# --------------------------------------------------------------------------------------------
# transaction end and failure


def _finish(se: list[str], number: int, count: int, st: list[str], warnings: list[str]) -> None:
    se01 = se[1] if len(se) > 1 else ""
    se02 = se[2] if len(se) > 2 else ""
    if not (se01.isdigit() and int(se01) == count):
        warnings.append(f"SE01 says {se01[:20]} segments, counted {count}")
    st02 = st[2] if len(st) > 2 else ""
    if se02.strip() != st02.strip():
        warnings.append(f"SE02 {se02[:20]!r} does not match ST02 {st02[:20]!r} (segment {number})")


def _no_se(st_number: int, pushback: str | None, sep: str) -> X12ParseError:
    if pushback is not None:
        return X12ParseError(
            f"the transaction started at segment {st_number} has no SE",
            segment_id=pushback.split(sep, 1)[0],
            expected="SE",
        )
    return X12ParseError("truncated file: the transaction has no SE before the end of input")


def _skip_claim(segments: Iterator[str], number: int, sep: str, raw: list[str]):
    """Skip to the next CLM, HL, SE or envelope segment (returned uncounted, or None)."""
    for seg in segments:
        if seg.split(sep, 1)[0] in CLAIM_BOUNDARY_IDS:
            return seg, number
        number += 1
        raw.append(seg)
    return None, number


def _skip_transaction(segments: Iterator[str], number: int, sep: str, raw: list[str]):
    """Skip through SE; return an envelope segment met before an SE (uncounted), or None."""
    for seg in segments:
        sid = seg.split(sep, 1)[0]
        if sid in ENVELOPE_IDS:
            return seg, number
        number += 1
        raw.append(seg)
        if sid == "SE":
            break
    return None, number


def _failed(st, implementation, envelope, index, error, raw, ctx, count) -> Transaction837:
    return Transaction837(
        control_number=st[2] if len(st) > 2 else "",
        implementation=implementation,
        envelope=envelope,
        index=index,
        segment_count=count,
        error=error,
        error_message=str(error),
        raw_segments=tuple(raw),
        terminator=ctx.delimiters.segment,
    )
