"""Render Transaction999 dataclasses as X12 999 (005010X231A1) text."""

from __future__ import annotations

from datetime import date

from ..tokenizer import Delimiters
from ..writer import close, composite, interchange, segment
from .model import Transaction999

VERSION = "005010X231A1"


def transaction_segments(tx: Transaction999, d: Delimiters, control: str) -> list[str]:
    body = [
        segment(d, "ST", "999", control, tx.implementation or VERSION),
        segment(d, "AK1", tx.functional_id, tx.group_control_number, tx.group_version),
    ]
    for response in tx.sets:
        body.append(
            segment(d, "AK2", response.set_id, response.control_number, response.implementation)
        )
        for error in response.segment_errors:
            body.append(
                segment(d, "IK3", error.segment_id, str(error.position), error.loop, error.code)
            )
            for element in error.element_errors:
                position = composite(
                    d,
                    str(element.position),
                    "" if element.component is None else str(element.component),
                    "" if element.repetition is None else str(element.repetition),
                )
                body.append(
                    segment(d, "IK4", position, element.reference_number, element.code,
                            element.bad_value)
                )  # fmt: skip
        body.append(segment(d, "IK5", response.status, *response.status_codes))
    counts = (tx.sets_included, tx.sets_received, tx.sets_accepted)
    body.append(
        segment(d, "AK9", tx.group_status, *("" if c is None else str(c) for c in counts),
                *tx.group_error_codes)
    )  # fmt: skip
    return close(body, d, control)


def render_999(
    transactions: list[Transaction999],
    *,
    delimiters: Delimiters | None = None,
    when: date = date(2026, 11, 27),
    control: int = 1,
) -> str:
    d = delimiters or Delimiters()
    bodies = [transaction_segments(tx, d, f"{i + 1:04d}") for i, tx in enumerate(transactions)]
    return interchange(bodies, d, functional_id="FA", version=VERSION, when=when, control=control)
