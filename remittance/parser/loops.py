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
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import X12ParseError
from .model import (
    Adjustment,
    Claim,
    Envelope,
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
from .values import (
    amount,
    amount_cache,
    bad_value,
    date_cache,
    lenient_date,
    line_amount,
    optional_amount,
)

ENVELOPE_IDS = frozenset(("ST", "GS", "GE", "ISA", "IEA"))
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
) -> tuple[Transaction, int]:
    """Consume segments up to and including SE; return the Transaction and the file number of
    its SE. ``number`` is the file segment number of the ST; ``ctx`` carries ``delimiters`` and
    ``component_pending`` (bare ST..SE whose component separator is not known yet)."""
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

    for seg in segments:
        number += 1
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
                    None if state == SUMMARY else "an LX (header number loop) before the first CLP",
                )
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
                patient_responsibility=optional_amount(text, number, sid, 5) if text else None,
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
            picks = [code for code in (e[3:8] if sid == "MOA" else e[5:6] + e[20:25]) if code]
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

        elif sid == "TS3" or sid == "TS2":
            if state != HEADER_NUMBER:
                raise _misplaced(number, sid, state)

        elif sid == "PLB":
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
                raise X12ParseError("BPR appears twice", segment_number=number, segment_id=sid)
            seen_bpr = True
            read_bpr(e, number, payment, warnings)

        elif sid == "TRN":
            if state != HEADER:
                raise _misplaced(number, sid, state)
            if n < 4:
                e += PAD[: 4 - n]
            payment.trace_type, payment.trace_number, payment.originator_id = e[1], e[2], e[3]

        elif sid == "CUR" or sid == "NTE":
            if state != HEADER:
                raise _misplaced(number, sid, state)

        elif sid == "SE":
            tx.segment_count = number - st_number + 1
            finish_transaction(
                tx, e, number, seen_bpr=seen_bpr, seen_payer=seen_payer, seen_payee=seen_payee
            )
            return tx, number

        elif sid in ENVELOPE_IDS:
            raise X12ParseError(
                f"the transaction started at segment {st_number} has no SE",
                segment_number=number,
                segment_id=sid,
                expected="SE",
            )

        else:
            warnings.append(f"segment {number} ({sid[:10]}) not expected in an 835; ignored")

    raise X12ParseError(
        "truncated file: the transaction has no SE before the end of input",
        segment_number=st_number,
        segment_id="ST",
    )


def _second(parts: list[str]) -> str:
    return parts[1] if len(parts) > 1 else ""


def _date(text: str, number: int, sid: str, warnings: list[str]):
    return lenient_date(text, number, sid, 2, warnings)
