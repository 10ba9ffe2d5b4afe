"""A small ST..SE collector for the low-volume acknowledgment sets (277CA, 999).

Their transactions are short lists of statuses, so the readers gather a transaction's
segments and read them in one pass; errors fail the transaction as in the 835 and 837
readers (``error`` set, raw segments kept) and reading goes on with the next ST.
"""

from __future__ import annotations

from collections.abc import Iterator

from .envelope import ENVELOPE_IDS
from .errors import X12ParseError


def collect(segments: Iterator[str], number: int, sep: str, st: list[str]):
    """(split segments ST..SE, their file numbers, SE or None, number, envelope pushback)."""
    rows = [st]
    numbers = [number]
    for seg in segments:
        sid = seg.split(sep, 1)[0]
        if sid in ENVELOPE_IDS:
            return rows, numbers, None, number, seg
        number += 1
        e = seg.split(sep)
        rows.append(e)
        numbers.append(number)
        if sid == "SE":
            return rows, numbers, e, number, None
    return rows, numbers, None, number, None


def no_se(st_number: int, pushback: str | None, sep: str) -> X12ParseError:
    if pushback is not None:
        return X12ParseError(
            f"the transaction started at segment {st_number} has no SE",
            segment_id=pushback.split(sep, 1)[0],
            expected="SE",
        )
    return X12ParseError("truncated file: the transaction has no SE before the end of input")


def se_warnings(se: list[str], number: int, count: int, st: list[str]) -> list[str]:
    out = []
    se01 = se[1] if len(se) > 1 else ""
    se02 = se[2] if len(se) > 2 else ""
    if not (se01.isdigit() and int(se01) == count):
        out.append(f"SE01 says {se01[:20]} segments, counted {count}")
    st02 = st[2] if len(st) > 2 else ""
    if se02.strip() != st02.strip():
        out.append(f"SE02 {se02[:20]!r} does not match ST02 {st02[:20]!r} (segment {number})")
    return out
