"""The 835 loop walker: one ST..SE transaction from a stream of segments to a Transaction.

Loop structure (005010X221A1; 004010X091A1 uses the same segments):

    ST  BPR TRN CUR REF DTM                         header
        N1*PR N3 N4 REF PER                         1000A payer
        N1*PE N3 N4 REF RDM                         1000B payee
        LX TS3 TS2                                  2000 header number
            CLP CAS NM1 MIA MOA REF DTM PER AMT QTY 2100 claim
                SVC DTM CAS REF AMT QTY LQ          2110 service line
        PLB                                         summary
    SE

The walker is one function with an if-chain ordered by segment frequency: it is the hot path.
A known segment where the standard does not allow it raises X12ParseError; an unknown segment
id is a transaction warning.

Errors are contained as narrowly as the structure allows:

- an error inside a claim loop (at its CLP or any claim or service line segment after it,
  up to the next CLP, LX, PLB or SE) quarantines that claim: it becomes a ``ClaimException``
  with its raw segments and the message, is left out of ``Transaction.claims``, and reading
  goes on at the next claim boundary;
- any other error (header, payer/payee loops, LX/TS3, PLB, a header segment inside a claim,
  no SE) fails the transaction:
  it is returned with ``error`` set and nothing else of it kept but its raw segments, and
  the caller goes on with the next ST.

Only the current claim's segments (and the transaction header's) are buffered for this.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import chain

from ..envelope import ENVELOPE_IDS, Envelope
from ..errors import X12ParseError
from ..values import (
    amount,
    amount_cache,
    amount_or_none,
    bad_value,
    date_cache,
    lenient_date,
    line_amount,
    optional_amount,
)
from .model import (
    Adjustment,
    Claim,
    ClaimException,
    Party,
    ServiceLine,
    Transaction,
)
from .segments import (
    CLAIM,
    HEADER,
    HEADER_NUMBER,
    LINE,
    OTHER_PARTY,
    PARTY_STATES,
    PAYEE,
    PAYER,
    SUMMARY,
    WHERE,
    read_bpr,
    read_n1,
    read_plb,
)
from .validate import finish_transaction

CLAIM_BOUNDARY_IDS = frozenset(("CLP", "LX", "PLB", "SE")) | ENVELOPE_IDS
# Segments of the transaction's own loops: one out of place inside a claim breaks the
# transaction's structure (e.g. a header loop repeated after the claims), not the claim's.
HEADER_IDS = frozenset(("BPR", "TRN", "CUR", "NTE", "N1", "N2", "N3", "N4", "RDM", "TS3", "TS2"))
PAD = [""] * 32


def _misplaced(number: int, sid: str, state: int, expected: str | None = None) -> X12ParseError:
    return X12ParseError(
        f"{sid} is not allowed {WHERE[state]}",
        segment_number=number,
        segment_id=sid,
        expected=expected,
    )


def _infer_component(text: str, ctx) -> str:
    """Bare ST..SE: learn the component separator from the first SVC01 or PLB03 composite."""
    if len(text) > 2 and text[:2].isalnum() and not text[2].isalnum() and text[2] != " ":
        ctx.delimiters.component = text[2]
    ctx.component_pending = False
    return ctx.delimiters.component


def read_transaction(
    st: list[str],
    segments: Iterator[str],
    number: int,
    ctx,
    envelope: Envelope,
    index: int,
) -> tuple[Transaction, int, str | None]:
    """Consume segments up to and including SE; return the Transaction, the file number of the
    last segment consumed, and the envelope segment (ISA, GS, GE, ST, IEA) read past a
    transaction that has no SE, or None: the caller handles that segment next, uncounted.

    ``number`` is the file segment number of the ST; ``ctx`` carries ``delimiters`` and
    ``component_pending`` (bare ST..SE whose component separator is not known yet). A
    transaction that cannot be read comes back with ``error`` set (see the module docstring);
    this function raises nothing."""
    sep = ctx.delimiters.element
    comp = ctx.delimiters.component
    pending = ctx.component_pending
    st_number = number
    tx = Transaction(control_number=st[2] if len(st) > 2 else "", envelope=envelope, index=index)
    warnings = tx.warnings
    payment = tx.payment
    claims = tx.claims
    amounts = amount_cache
    dates = date_cache
    state = HEADER
    seen_bpr = seen_payer = seen_payee = False
    party: Party | None = None
    claim: Claim | None = None
    line: ServiceLine | None = None
    raw = [sep.join(st)]  # the current claim loop's segments (the header's until the first LX)
    push = raw.append
    header: list[str] | None = None
    stream: Iterator[str] = segments
    error: X12ParseError | None = None
    pushback: str | None = None

    while True:
        try:
            for seg in stream:
                number += 1
                push(seg)
                e = seg.split(sep)
                sid = e[0]
                n = len(e)

                if sid == "CAS":
                    if state == LINE:
                        target = line.adjustments
                    elif state == CLAIM:
                        target = claim.adjustments
                    else:
                        raise _misplaced(number, sid, state)
                    group = e[1] if n > 1 else ""
                    if not group:
                        raise bad_value(number, sid, 1, "an adjustment group code", group)
                    if n < 3 or not e[2]:
                        raise bad_value(number, sid, 2, "an adjustment reason code", "")
                    if n == 4 or (n == 5 and not e[4]):  # the common case: one triplet, no quantity
                        text = e[3]
                        value = amounts.get(text)
                        if value is None:
                            value = amount(text, number, sid, 3)
                        target.append(Adjustment(group, e[2], value, None))
                        continue
                    if n % 3 != 2:
                        e += PAD[: (2 - n) % 3]
                    for i in range(2, min(len(e), 20), 3):
                        reason = e[i]
                        text = e[i + 1]
                        if not reason:
                            if text or e[i + 2]:
                                raise bad_value(number, sid, i, "an adjustment reason code", "")
                            continue
                        value = amounts.get(text)
                        if value is None:
                            value = amount(text, number, sid, i + 1)
                        text = e[i + 2]
                        target.append(
                            Adjustment(
                                group,
                                reason,
                                value,
                                (amounts.get(text) or optional_amount(text, number, sid, i + 2))
                                if text
                                else None,
                            )
                        )

                elif sid == "DTM":
                    if n < 3:
                        e += PAD[: 3 - n]
                    qualifier = e[1]
                    text = e[2]
                    value = dates.get(text)
                    if state == LINE:
                        if qualifier == "472":
                            if value is None:
                                value = _date(text, number, sid, warnings)
                            line.service_date_from = line.service_date_to = value
                        elif qualifier == "150":
                            line.service_date_from = value or _date(text, number, sid, warnings)
                        elif qualifier == "151":
                            line.service_date_to = value or _date(text, number, sid, warnings)
                    elif state == CLAIM:
                        if qualifier == "232":
                            claim.statement_from = value or _date(text, number, sid, warnings)
                        elif qualifier == "233":
                            claim.statement_to = value or _date(text, number, sid, warnings)
                        elif qualifier == "050":
                            claim.received_date = value or _date(text, number, sid, warnings)
                    elif state == HEADER:
                        if qualifier == "405":
                            payment.production_date = value or _date(text, number, sid, warnings)
                    else:
                        raise _misplaced(number, sid, state)

                elif sid == "SVC":
                    if state != CLAIM and state != LINE:
                        raise _misplaced(number, sid, state, "a CLP before SVC")
                    if n < 8:
                        e += PAD[: 8 - n]
                    if pending:
                        comp = _infer_component(e[1], ctx)
                        pending = False
                    parts = e[1].split(comp)
                    k = len(parts)
                    text = e[2]
                    charge = amounts.get(text)
                    if charge is None:
                        charge = line_amount(text, number, sid, 2, warnings)
                    text = e[3]
                    paid = amounts.get(text)
                    if paid is None:
                        paid = line_amount(text, number, sid, 3, warnings)
                    text = e[6]
                    line = ServiceLine(
                        procedure_qualifier=parts[0],
                        procedure_code=parts[1] if k > 1 else "",
                        modifiers=[m for m in parts[2:6] if m] if k > 2 else [],
                        description=parts[6] if k > 6 else "",
                        charge=charge,
                        paid=paid,
                        revenue_code=e[4],
                        units=(amounts.get(e[5]) or optional_amount(e[5], number, sid, 5))
                        if e[5]
                        else None,
                        original_procedure_code=_second(text.split(comp)) if text else "",
                        original_units=optional_amount(e[7], number, sid, 7) if e[7] else None,
                        segment_number=number - st_number + 1,
                    )
                    claim.service_lines.append(line)
                    state = LINE

                elif sid == "REF":
                    if n < 3:
                        e += PAD[: 3 - n]
                    if state == LINE:
                        if e[1] == "6R":
                            line.control_number = e[2]
                    elif state in (CLAIM, HEADER):
                        pass
                    elif state in PARTY_STATES:
                        qualifier, text = e[1], e[2]
                        if qualifier:
                            party.additional_ids.setdefault(qualifier, text)
                        if qualifier == "TJ" and state == PAYEE and not party.tax_id:
                            party.tax_id = text
                    else:
                        raise _misplaced(number, sid, state)

                elif sid == "AMT":
                    if n < 3:
                        e += PAD[: 3 - n]
                    if state == CLAIM:
                        if e[1] == "AU":
                            claim.coverage_amount = amount(e[2], number, sid, 2)
                    elif state == LINE:
                        if e[1] == "B6":
                            line.allowed_amount = amount(e[2], number, sid, 2)
                    else:
                        raise _misplaced(number, sid, state)

                elif sid == "CLP":
                    if state != HEADER_NUMBER and state != CLAIM and state != LINE:
                        raise _misplaced(
                            number,
                            sid,
                            state,
                            None
                            if state == SUMMARY
                            else "an LX (header number loop) before the first CLP",
                        )
                    raw = [seg]
                    push = raw.append
                    if n < 13:
                        e += PAD[: 13 - n]
                    text = e[3]
                    charge = amounts.get(text)
                    if charge is None:
                        charge = amount(text, number, sid, 3)
                    text = e[4]
                    paid = amounts.get(text)
                    if paid is None:
                        paid = amount(text, number, sid, 4)
                    text = e[5]
                    claim = Claim(
                        patient_control_number=e[1],
                        status_code=e[2],
                        charge=charge,
                        paid=paid,
                        patient_responsibility=optional_amount(text, number, sid, 5)
                        if text
                        else None,
                        filing_indicator=e[6],
                        payer_claim_control_number=e[7],
                        facility_type=e[8],
                        frequency_code=e[9],
                        drg_code=e[11],
                        drg_weight=optional_amount(e[12], number, sid, 12) if e[12] else None,
                        segment_number=number - st_number + 1,
                    )
                    claims.append(claim)
                    line = None
                    state = CLAIM

                elif sid == "NM1":
                    if state != CLAIM:
                        raise _misplaced(number, sid, state)
                    if n < 10:
                        e += PAD[: 10 - n]
                    entity = e[1]
                    if entity == "QC":
                        claim.patient_last_name = e[3]
                        claim.patient_first_name = e[4]
                        claim.patient_id = e[9]
                    elif entity == "IL":
                        claim.insured_last_name = e[3]
                        claim.insured_first_name = e[4]
                        claim.insured_id = e[9]
                    elif entity == "74":
                        claim.corrected_insured_id = e[9]
                    elif entity == "82":
                        claim.rendering_provider_id = e[9]
                    elif entity == "TT":
                        claim.crossover_carrier = e[3]
                    # PR (corrected payer), GB (other subscriber) and others: nothing to keep

                elif sid == "LQ":
                    if state != LINE:
                        raise _misplaced(number, sid, state)
                    if n > 2 and e[2] and (e[1] == "HE" or e[1] == "RX"):
                        line.remark_codes.append(e[2])

                elif sid == "MOA" or sid == "MIA":
                    if state != CLAIM:
                        raise _misplaced(number, sid, state)
                    picks = [
                        code for code in (e[3:8] if sid == "MOA" else e[5:6] + e[20:25]) if code
                    ]
                    if picks:
                        claim.remark_codes.extend(picks)
                        if not claim.remark_source:
                            claim.remark_source = sid

                elif sid == "QTY":
                    if state != CLAIM and state != LINE:
                        raise _misplaced(number, sid, state)

                elif sid == "LX":
                    if state == SUMMARY:
                        raise _misplaced(number, sid, state)
                    state = HEADER_NUMBER
                    claim = line = None
                    if header is None:
                        header = raw
                        raw = [header.pop()]
                    else:
                        raw = [seg]
                    push = raw.append

                elif sid == "TS3" or sid == "TS2":
                    if state != HEADER_NUMBER:
                        raise _misplaced(number, sid, state)

                elif sid == "PLB":
                    if state != SUMMARY:
                        if header is None:
                            header = raw
                            raw = [header.pop()]
                        else:
                            raw = [seg]
                        push = raw.append
                    state = SUMMARY
                    if pending:
                        comp = _infer_component(next((c for c in e[3:15:2] if c), ""), ctx)
                        pending = False
                    read_plb(e, number, tx.provider_adjustments, comp, warnings)

                elif sid == "N1":
                    if state > OTHER_PARTY:
                        raise _misplaced(
                            number,
                            sid,
                            state,
                            "CLP, LX, PLB or SE (an N1 after the header is not valid in an 835)",
                        )
                    party, state = read_n1(e, number, tx, seen_payer, seen_payee)
                    if state == PAYER:
                        seen_payer = True
                    elif state == PAYEE:
                        seen_payee = True

                elif sid == "N3" or sid == "N4" or sid == "N2" or sid == "RDM":
                    if state != PAYER and state != PAYEE and state != OTHER_PARTY:
                        raise _misplaced(number, sid, state)
                    if sid == "N3":
                        party.address.extend(part for part in e[1:3] if part)
                    elif sid == "N4":
                        if n < 4:
                            e += PAD[: 4 - n]
                        party.city, party.state, party.postal_code = e[1], e[2], e[3]

                elif sid == "PER":
                    if state not in PARTY_STATES and state != CLAIM:
                        raise _misplaced(number, sid, state)

                elif sid == "BPR":
                    if state != HEADER:
                        raise _misplaced(number, sid, state)
                    if seen_bpr:
                        raise X12ParseError(
                            "BPR appears twice", segment_number=number, segment_id=sid
                        )
                    seen_bpr = True
                    read_bpr(e, number, payment, warnings)

                elif sid == "TRN":
                    if state != HEADER:
                        raise _misplaced(number, sid, state)
                    if n < 4:
                        e += PAD[: 4 - n]
                    payment.trace_type, payment.trace_number, payment.originator_id = (
                        e[1],
                        e[2],
                        e[3],
                    )

                elif sid == "CUR" or sid == "NTE":
                    if state != HEADER:
                        raise _misplaced(number, sid, state)

                elif sid == "SE":
                    tx.segment_count = number - st_number + 1
                    finish_transaction(
                        tx,
                        e,
                        number,
                        seen_bpr=seen_bpr,
                        seen_payer=seen_payer,
                        seen_payee=seen_payee,
                    )
                    return tx, number, None

                elif sid in ENVELOPE_IDS:
                    raw.pop()
                    pushback = seg
                    number -= 1
                    break

                else:
                    warnings.append(
                        f"segment {number} ({sid[:10]}) not expected in an 835; ignored"
                    )
            break  # end of input, or an envelope segment before SE

        except X12ParseError as exc:
            if sid == "CLP":
                if state != HEADER_NUMBER and state != CLAIM and state != LINE:
                    error = exc
                    break
                found = _quarantined_clp(e, number - st_number + 1)
            elif state in (CLAIM, LINE) and sid not in HEADER_IDS:
                claims.pop()  # the claim whose loop this segment belongs to
                found = (claim.patient_control_number, claim.paid, claim.segment_number)
            else:
                error = exc
                break
            boundary, number = _skip_claim(segments, number, sep, raw)
            tx.exceptions.append(
                ClaimException(
                    position=len(claims) + len(tx.exceptions),
                    segment_number=found[2],
                    raw_segments=raw,
                    terminator=ctx.delimiters.segment,
                    message=str(exc),
                    patient_control_number=found[0],
                    paid=found[1],
                    error=exc,
                )
            )
            raw = []
            push = raw.append
            claim = line = None
            state = HEADER_NUMBER
            if boundary is None:
                break
            stream = chain((boundary,), segments)

    if error is not None:
        pushback, number = _skip_transaction(segments, number, sep, raw)
    elif pushback is not None:
        error = X12ParseError(
            f"the transaction started at segment {st_number} has no SE",
            segment_number=number + 1,
            segment_id=pushback.split(sep, 1)[0],
            expected="SE",
        )
    else:
        error = X12ParseError(
            "truncated file: the transaction has no SE before the end of input",
            segment_number=st_number,
            segment_id="ST",
        )
    return _failed(tx, error, (header or []) + raw, ctx, number - st_number + 1), number, pushback


def _quarantined_clp(e: list[str], segment_number: int) -> tuple[str, Decimal | None, int]:
    """What can be read of a CLP that could not be read: CLP01, CLP04 and its position."""
    pcn = e[1] if len(e) > 1 else ""
    paid = amount_or_none(e[4]) if len(e) > 4 else None
    return pcn, paid, segment_number


def _skip_claim(
    segments: Iterator[str], number: int, sep: str, raw: list[str]
) -> tuple[str | None, int]:
    """Skip to the next claim boundary (CLP, LX, PLB, SE or an envelope segment), adding the
    segments skipped to ``raw``. Returns the boundary segment, uncounted, or None at the end."""
    for seg in segments:
        if seg.split(sep, 1)[0] in CLAIM_BOUNDARY_IDS:
            return seg, number
        number += 1
        raw.append(seg)
    return None, number


def _skip_transaction(
    segments: Iterator[str], number: int, sep: str, raw: list[str]
) -> tuple[str | None, int]:
    """Skip through SE, adding the segments to ``raw``. Returns the envelope segment met
    before an SE (uncounted, for the caller), or None."""
    for seg in segments:
        sid = seg.split(sep, 1)[0]
        if sid in ENVELOPE_IDS:
            return seg, number
        number += 1
        raw.append(seg)
        if sid == "SE":
            break
    return None, number


def _failed(
    tx: Transaction, error: X12ParseError, raw: list[str], ctx, segment_count: int
) -> Transaction:
    tx.error = error
    tx.error_message = str(error)
    tx.claims = []
    tx.provider_adjustments = []
    tx.exceptions = []
    tx.raw_segments = raw
    tx.terminator = ctx.delimiters.segment
    tx.segment_count = segment_count
    return tx


def _second(parts: list[str]) -> str:
    return parts[1] if len(parts) > 1 else ""


def _date(text: str, number: int, sid: str, warnings: list[str]):
    return lenient_date(text, number, sid, 2, warnings)
