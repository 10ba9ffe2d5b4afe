"""Delimiter detection and the streaming segment splitter.

The input arrives as text chunks (``iter_chunks``); ``open_segments`` looks at the start of the
stream to learn the delimiters (from the ISA, or inferred for a bare ST..SE) and returns an
iterator over segment strings: terminator removed, CR/LF dropped (or used as the terminator),
indentation stripped, blank segments skipped. Nothing here reads more than one chunk ahead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from .errors import X12ParseError


@dataclass(slots=True)
class Delimiters:
    element: str = "*"
    component: str = ":"
    repetition: str | None = "^"  # None in 004010, where ISA11 is data
    segment: str = "~"


BOM_BYTES = b"\xef\xbb\xbf"
BOM_TEXTS = ("\ufeff", "\xef\xbb\xbf")  # a BOM as text, and a UTF-8 BOM decoded as latin-1
LEADING_JUNK = " \t\r\n\x0b\x0c\x00\ufeff"
ISA_MAX_CHARS = 2048  # an ISA is 106 characters; leave room for wrapping and odd padding
BARE_ST_SCAN = 4096
NOT_X12_SHOWN = 40
NEWLINES = "\r\n"


# --------------------------------------------------------------------------------------------
# sources -> text chunks


def iter_chunks(source, chunk_size: int = 1 << 20) -> Iterator[str]:
    """Yield the input as latin-1 text chunks with any leading BOM removed.

    ``source`` is text (``str``), ``bytes``, a path (``os.PathLike``) or a binary file object.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    if isinstance(source, str):
        return _text_chunks(source, chunk_size)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _bytes_chunks(bytes(source), chunk_size)
    if isinstance(source, os.PathLike):
        return _path_chunks(source, chunk_size)
    if hasattr(source, "read"):
        return _file_chunks(source, chunk_size)
    raise TypeError(
        "source must be str (X12 text), bytes, an os.PathLike path or a binary file object, "
        f"not {type(source).__name__}"
    )


def _strip_text_bom(text: str) -> str:
    for bom in BOM_TEXTS:
        if text.startswith(bom):
            return text[len(bom) :]
    return text


def _text_chunks(text: str, size: int) -> Iterator[str]:
    text = _strip_text_bom(text)
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _bytes_chunks(data: bytes, size: int) -> Iterator[str]:
    start = len(BOM_BYTES) if data.startswith(BOM_BYTES) else 0
    for pos in range(start, len(data), size):
        yield data[pos : pos + size].decode("latin-1")


def _path_chunks(path, size: int) -> Iterator[str]:
    with open(path, "rb") as handle:
        yield from _file_chunks(handle, size)


def _file_chunks(handle, size: int) -> Iterator[str]:
    first = handle.read(size)
    if isinstance(first, str):  # a text-mode file object: accept it anyway
        text = _strip_text_bom(first)
        while first:
            if text:
                yield text
            first = handle.read(size)
            text = first
        return
    first = bytes(first or b"")
    # a BOM may straddle reads when chunk_size is tiny
    while first and len(first) < len(BOM_BYTES) and BOM_BYTES.startswith(first):
        more = handle.read(size)
        if not more:
            break
        first += more
    if first.startswith(BOM_BYTES):
        first = first[len(BOM_BYTES) :]
    if first:
        yield first.decode("latin-1")
    while True:
        block = handle.read(size)
        if not block:
            return
        yield bytes(block).decode("latin-1")


# --------------------------------------------------------------------------------------------
# delimiters


def _not_x12(text: str) -> X12ParseError:
    shown = text.split("\n", 1)[0].split("\r", 1)[0]
    return X12ParseError(
        "not an X12 file",
        segment_number=1,
        expected="an ISA or ST segment at the start",
        found=shown,
    )


def _scan_isa(text: str, eof: bool) -> Delimiters | None:
    """Delimiters from a head of text starting with "ISA"; None when more text is needed."""
    if len(text) < 4:
        if eof:
            raise X12ParseError(
                "truncated ISA segment", segment_number=1, segment_id="ISA", found=text
            )
        return None
    sep = text[3]
    if sep.isalnum() or sep in " \t\r\n":
        raise X12ParseError(
            segment_number=1, segment_id="ISA", expected="an element separator after ISA", found=sep
        )
    elements: list[str] = []
    current: list[str] = []
    count = 1  # the separator right after "ISA"
    i, n = 4, min(len(text), ISA_MAX_CHARS)
    while i < n and count < 16:
        c = text[i]
        i += 1
        if c == sep:
            elements.append("".join(current))
            current = []
            count += 1
        elif c not in NEWLINES:
            current.append(c)
    if count < 16:
        if eof or len(text) >= ISA_MAX_CHARS:
            raise X12ParseError(
                "truncated or malformed ISA segment",
                segment_number=1,
                segment_id="ISA",
                expected="16 elements",
                found=text[:i],
            )
        return None
    elements.append("".join(current))  # ISA15
    n = len(text)
    # ISA16: the component separator (skip CR/LF of a file wrapped at fixed width)
    while i < n and text[i] in NEWLINES:
        i += 1
    if i >= n:
        if eof:
            raise X12ParseError(
                "truncated ISA segment", segment_number=1, segment_id="ISA", element=16
            )
        return None
    component = text[i]
    i += 1
    if component.isalnum() or component in " \t" or component == sep:
        raise X12ParseError(
            segment_number=1,
            segment_id="ISA",
            element=16,
            expected="a component separator",
            found=component,
        )
    # the segment terminator: the next character, unless CR/LF (then decide by what follows)
    saw_newline = False
    while i < n and text[i] in " \t\r\n":
        saw_newline = saw_newline or text[i] in NEWLINES
        i += 1
    if i >= n:
        if not eof:
            return None
        if not saw_newline:
            raise X12ParseError(
                "truncated ISA segment", segment_number=1, segment_id="ISA", expected="a terminator"
            )
        terminator = "\n"
    else:
        c = text[i]
        if not c.isalnum():
            terminator = c
        elif saw_newline:
            terminator = "\n"
        else:
            raise X12ParseError(
                segment_number=1,
                segment_id="ISA",
                expected="a segment terminator after ISA16",
                found=c,
            )
    if terminator in (sep, component):
        raise X12ParseError(
            segment_number=1,
            segment_id="ISA",
            expected="a segment terminator distinct from the other delimiters",
            found=terminator,
        )
    repetition: str | None = None
    isa11, isa12 = elements[10], elements[11]
    if (
        isa12.strip() >= "00501"
        and len(isa11) == 1
        and not isa11.isalnum()
        and isa11 not in (" ", sep, component, terminator)
    ):
        repetition = isa11
    return Delimiters(element=sep, component=component, repetition=repetition, segment=terminator)


def _scan_bare_st(text: str, eof: bool) -> Delimiters | None:
    """Delimiters inferred for a bare ST..SE (no ISA); None when more text is needed."""
    sep = text[2]
    for i in range(3, min(len(text), BARE_ST_SCAN)):
        c = text[i]
        if c in NEWLINES:
            return Delimiters(element=sep, component=":", repetition=None, segment="\n")
        if c.isalnum() or c == " " or c == sep:
            continue
        return Delimiters(element=sep, component=":", repetition=None, segment=c)
    if eof or len(text) >= BARE_ST_SCAN:
        return Delimiters(element=sep, component=":", repetition=None, segment="~")
    return None


def read_delimiters(head: str) -> Delimiters:
    """Delimiters from the start of a file (an ISA, or a bare ST whose delimiters are inferred).

    ``head`` should hold at least the whole ISA segment and the character after it.
    Raises X12ParseError when the text is not X12.
    """
    delimiters, _bare, _rest = _detect(_strip_text_bom(head), eof=True)
    return delimiters


def _detect(buffer: str, eof: bool) -> tuple[Delimiters | None, bool, str]:
    """(delimiters or None if more text is needed, bare-ST flag, text from the first segment)."""
    text = buffer.lstrip(LEADING_JUNK)
    if not text:
        if eof:
            raise X12ParseError("empty file")
        return None, False, text
    if len(text) < 4 and not eof and ("ISA".startswith(text[:3]) or "ST".startswith(text[:2])):
        return None, False, text
    if text.startswith("ISA") and len(text) > 3 and not (text[3].isalnum() or text[3] in " \t"):
        return _scan_isa(text, eof), False, text
    if (
        text.startswith("ST")
        and len(text) > 2
        and not text[2].isalnum()
        and text[2] not in " \t\r\n"
    ):
        return _scan_bare_st(text, eof), True, text
    if len(text) < NOT_X12_SHOWN and not eof:  # show the same text however the input is chunked
        return None, False, text
    raise _not_x12(text)


# --------------------------------------------------------------------------------------------
# segments


def open_segments(chunks: Iterable[str]) -> tuple[Delimiters, bool, Iterator[str]]:
    """Detect the delimiters at the start of ``chunks``; return them, whether they were inferred
    from a bare ST, and an iterator over the segments."""
    chunks = iter(chunks)
    buffer = ""
    eof = False
    while True:
        delimiters, bare, text = _detect(buffer, eof)
        if delimiters is not None:
            break
        buffer = text  # drop leading whitespace already seen
        nxt = next(chunks, None)
        if nxt is None:
            eof = True
        else:
            buffer += nxt
    return delimiters, bare, split_segments(chain((text,), chunks), delimiters.segment)


def split_segments(chunks: Iterable[str], terminator: str) -> Iterator[str]:
    """Flat iterator over segments (see module docstring)."""
    if terminator == "\n":
        return chain.from_iterable(_newline_batches(chunks))
    return chain.from_iterable(_terminated_batches(chunks, terminator))


def _terminated_batches(chunks: Iterable[str], term: str) -> Iterator[list[str]]:
    rest = ""
    indent_space, indent_tab = term + " ", term + "\t"
    for chunk in chunks:
        if "\r" in chunk:
            chunk = chunk.replace("\r", "")
        if "\n" in chunk:
            chunk = chunk.replace("\n", "")
        if not chunk:
            continue
        text = rest + chunk if rest else chunk
        parts = text.split(term)
        rest = parts.pop()
        if not parts:
            continue
        if indent_space in text or indent_tab in text or parts[0][:1] in (" ", "\t") or "" in parts:
            parts = [p for p in (q.lstrip(" \t") for q in parts) if p]
        yield parts
    rest = rest.lstrip(" \t")
    if rest:
        yield [rest]


def _newline_batches(chunks: Iterable[str]) -> Iterator[list[str]]:
    rest = ""
    for chunk in chunks:
        if "\r" in chunk:
            chunk = chunk.replace("\r", "\n")  # CRLF -> two newlines -> a blank line, skipped
        text = rest + chunk if rest else chunk
        parts = text.split("\n")
        rest = parts.pop()
        if parts:
            yield [p for p in (q.strip(" \t") for q in parts) if p]
    rest = rest.strip(" \t")
    if rest:
        yield [rest]
