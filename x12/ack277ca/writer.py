"""Render Transaction277CA dataclasses as X12 277CA (005010X214) text."""

from __future__ import annotations

from datetime import date

from ..tokenizer import Delimiters
from ..writer import close, composite, d8, interchange, money, segment
from .model import Claim277, LevelStatus277, Status277, Transaction277CA

VERSION = "005010X214"
LEVEL_NAME = {"20": "PR", "21": "41", "19": "85"}


def _stc(d: Delimiters, status: Status277) -> str:
    codes = [composite(d, c.category, c.code, c.entity) for c in status.codes]
    extra = codes[1:] + [""] * (2 - len(codes[1:]))
    return segment(d, "STC", codes[0], d8(status.date), status.action_code,
                   money(status.amount), "", "", "", "", "", *extra, status.message)  # fmt: skip


def _level(d: Delimiters, level: LevelStatus277) -> list[str]:
    out = [segment(d, "NM1", LEVEL_NAME.get(level.level, "41"), "2", level.name, "", "", "", "",
                   "XX" if level.level == "19" else "46", level.identifier)]  # fmt: skip
    if level.trace:
        out.append(segment(d, "TRN", "1" if level.level != "21" else "2", level.trace))
    out += [_stc(d, s) for s in level.statuses]
    for qualifier, value in (("90", level.accepted_quantity), ("AA", level.rejected_quantity)):
        if value is not None:
            out.append(segment(d, "QTY", qualifier, str(value)))
    for qualifier, value in (("YU", level.accepted_amount), ("YY", level.rejected_amount)):
        if value is not None:
            out.append(segment(d, "AMT", qualifier, money(value)))
    return out


def _claim(d: Delimiters, claim: Claim277) -> list[str]:
    out = [segment(d, "NM1", "QC", "1", "PATIENT")]  # names are not kept: PHI stays out
    out.append(segment(d, "TRN", "2", claim.patient_control_number))
    out += [_stc(d, s) for s in claim.statuses]
    for qualifier, value in (
        ("1K", claim.payer_claim_control_number),
        ("D9", claim.clearinghouse_trace),
        ("BLT", claim.bill_type),
    ):
        if value:
            out.append(segment(d, "REF", qualifier, value))
    if claim.service_date_from:
        start, end = claim.service_date_from, claim.service_date_to or claim.service_date_from
        out.append(segment(d, "DTP", "472", "RD8", f"{d8(start)}-{d8(end)}"))
    return out


def transaction_segments(tx: Transaction277CA, d: Delimiters, control: str) -> list[str]:
    body = [
        segment(d, "ST", "277", control, tx.implementation or VERSION),
        segment(d, "BHT", "0085", "08", tx.reference, d8(tx.created_on), "1200", "TH"),
    ]
    hl = 0
    parent = ""
    for level in tx.levels:
        hl += 1
        body.append(segment(d, "HL", str(hl), parent, level.level, "1"))
        body += _level(d, level)
        parent = str(hl)
    for claim in tx.claims:
        hl += 1
        body.append(segment(d, "HL", str(hl), parent, "PT"))
        body += _claim(d, claim)
    return close(body, d, control)


def render_277ca(
    transactions: list[Transaction277CA],
    *,
    delimiters: Delimiters | None = None,
    when: date = date(2026, 11, 27),
    control: int = 1,
) -> str:
    """An interchange with one functional group (GS*HN). Claim-level payer and provider
    values come from the 2000A and 2000C levels, so give the transaction those levels."""
    d = delimiters or Delimiters()
    bodies = [transaction_segments(tx, d, f"{i + 1:04d}") for i, tx in enumerate(transactions)]
    return interchange(bodies, d, functional_id="HN", version=VERSION, when=when, control=control)
