"""Which transaction set a file carries, and a reader for it."""

from __future__ import annotations

import os

from .errors import X12ParseError
from .tokenizer import iter_chunks, open_segments

KINDS = ("835", "837", "277CA", "999")
BY_ST01 = {"835": "835", "837": "837", "277": "277CA", "999": "999"}
BY_GS01 = {"HP": "835", "HC": "837", "HN": "277CA", "FA": "999"}
SCAN_SEGMENTS = 16  # ST comes third in an interchange; leave room for odd files
NAMES = {
    "997": "997 functional acknowledgment",
    "270": "270 eligibility inquiry",
    "271": "271 eligibility response",
    "276": "276 claim status request",
    "278": "278 services review",
    "820": "820 premium payment",
    "834": "834 benefit enrollment",
}


def _unsupported(what: str, number: int, sid: str, element: int) -> X12ParseError:
    return X12ParseError(
        f"unsupported transaction set ({what}); this package reads 835, 837, 277CA and 999",
        segment_number=number,
        segment_id=sid,
        element=element,
    )


def detect_kind(source) -> str:
    """ "835", "837", "277CA" or "999", from the first ST01 (GS01 when no ST is found early).

    ``source`` is what the readers accept: X12 text, bytes, a path or a binary file object
    (a file object is read from its current position and, when seekable, put back there).
    Raises X12ParseError for input that is not X12 or carries another transaction set.
    """
    position = None
    if hasattr(source, "read") and hasattr(source, "seek") and hasattr(source, "tell"):
        position = source.tell()
    try:
        return _detect(source)
    finally:
        if position is not None:
            source.seek(position)


def _detect(source) -> str:
    chunks = iter_chunks(source, 1 << 16)
    try:
        delimiters, _bare, segments = open_segments(chunks)
        sep = delimiters.element
        by_group = None
        for number, seg in enumerate(segments, 1):
            e = seg.split(sep)
            if e[0] == "ST":
                st01 = e[1] if len(e) > 1 else ""
                kind = BY_ST01.get(st01)
                if kind is None:
                    raise _unsupported(NAMES.get(st01, f"ST01 {st01[:10]!r}"), number, "ST", 1)
                if kind == "277CA" and "X212" in (e[3] if len(e) > 3 else ""):
                    raise _unsupported("277 claim status response, X212", number, "ST", 3)
                return kind
            if e[0] == "GS" and by_group is None and len(e) > 1:
                by_group = (BY_GS01.get(e[1]) or "", e[1], number)
            if number >= SCAN_SEGMENTS:
                break
        if by_group is not None:
            kind, gs01, number = by_group
            if kind:
                return kind
            raise _unsupported(f"GS01 functional id {gs01[:10]!r}", number, "GS", 1)
        raise X12ParseError("no ST segment: cannot tell which transaction set this is")
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def reader_for(kind: str):
    """The reader class for a kind from ``detect_kind``."""
    if kind == "835":
        from .remit835 import Reader
    elif kind == "837":
        from .claim837 import Reader837 as Reader
    elif kind == "277CA":
        from .ack277ca import Reader277CA as Reader
    elif kind == "999":
        from .ack999 import Reader999 as Reader
    else:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return Reader


def read(source, *, chunk_size: int = 1 << 20):
    """The streaming reader for whatever transaction set ``source`` carries."""
    looks_like_path = isinstance(source, str) and not source.lstrip("\ufeff \t\r\n").startswith(
        ("ISA", "ST")
    )
    if looks_like_path and os.path.exists(source):  # say so instead of "not X12"
        raise TypeError("a str source is X12 text; pass a path as pathlib.Path")
    return reader_for(detect_kind(source))(source, chunk_size=chunk_size)
