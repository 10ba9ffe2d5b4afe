"""The ISA/GS/ST..SE/GE/IEA envelope, shared by every transaction set reader.

``EnvelopeReader`` streams a file's transactions: it detects the delimiters (tokenizer.py),
walks ISA/GS/GE/IEA, checks their counts and control numbers (warnings), and hands each
ST..SE to the subclass's ``read_transaction``. The 835, 837, 277CA and 999 readers are
subclasses that only say which ST01 they read and how.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import BinaryIO

from .errors import X12ParseError
from .tokenizer import Delimiters, iter_chunks, open_segments
from .values import short_date_or_none

Source = bytes | str | os.PathLike | BinaryIO
BARE_WARNING = "no ISA/GS envelope: delimiters inferred"
BLANK = " \t\r\n\x0b\x0c\x00\x1a"  # a trailing segment of only these is skipped (e.g. DOS ^Z)
ENVELOPE_IDS = frozenset(("ST", "GS", "GE", "ISA", "IEA"))


@dataclass(slots=True)
class Envelope:
    """The ISA/GS wrapping a transaction. Empty strings for a bare ST..SE."""

    isa_control_number: str = ""
    isa_sender_id: str = ""
    isa_receiver_id: str = ""
    isa_date: date | None = None
    gs_control_number: str = ""
    gs_sender_id: str = ""
    gs_receiver_id: str = ""
    version: str = ""  # GS08, e.g. 005010X221A1 or 004010X091A1
    usage: str = ""  # ISA15: P (production) or T (test)
    functional_id: str = ""  # GS01: HP (835), HC (837), HN (277), FA (999)


def join_segments(segments: list[str], terminator: str) -> str:
    """Raw segments as the file had them: each followed by the segment terminator."""
    return "".join(f"{segment}{terminator}" for segment in segments)


def _count(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and text.isascii() else None


def group_warnings(ge: list[str], number: int, transactions: int, gs06: str) -> list[str]:
    out: list[str] = []
    ge01 = ge[1] if len(ge) > 1 else ""
    ge02 = ge[2] if len(ge) > 2 else ""
    if _count(ge01) != transactions:
        out.append(
            f"segment {number} (GE): GE01 says {ge01[:20]} transactions, counted {transactions}"
        )
    if ge02.strip() != gs06.strip():
        out.append(f"segment {number} (GE): GE02 {ge02[:20]!r} does not match GS06 {gs06[:20]!r}")
    return out


def interchange_warnings(iea: list[str], number: int, groups: int, isa13: str) -> list[str]:
    out: list[str] = []
    iea01 = iea[1] if len(iea) > 1 else ""
    iea02 = iea[2] if len(iea) > 2 else ""
    if _count(iea01) != groups:
        out.append(f"segment {number} (IEA): IEA01 says {iea01[:20]} groups, counted {groups}")
    if iea02.strip() != isa13.strip():
        out.append(
            f"segment {number} (IEA): IEA02 {iea02[:20]!r} does not match ISA13 {isa13[:20]!r}"
        )
    return out


class EnvelopeReader:
    """Stream one kind of X12 transaction set: ``for tx in SomeReader(source): ...`` yields one
    transaction per ST..SE as soon as its SE is read.

    Subclasses set ``set_id`` (ST01), ``description`` (for the error when ST01 differs) and
    implement ``read_transaction(st, segments, number, envelope, index)``, which consumes
    segments through SE and returns ``(transaction, number, pushback)``: the file number of
    the last segment consumed and the envelope segment read past a transaction with no SE
    (or None). It must contain errors in the transaction it returns and raise nothing.

    ``source``: ``str`` is X12 TEXT (not a path); ``bytes`` are decoded as latin-1 after
    stripping a UTF-8 BOM; an ``os.PathLike`` path or a binary file object is read in chunks of
    ``chunk_size`` bytes, so memory stays flat per transaction.

    Attributes: ``delimiters`` (None until iteration starts, then known after the first
    segment), ``warnings`` (file-level warnings, complete after iteration), ``interchanges``
    and ``groups`` (ISA and GS segments seen). A Reader can be iterated once.

    Damage is contained as narrowly as the structure allows:

    - a claim loop that cannot be read is quarantined: the transaction comes out without it
      in ``claims`` and with a ``ClaimException`` (raw segments, message, CLP01 and CLP04
      when readable) in ``exceptions``; its balancing warnings name it;
    - a transaction whose structure cannot be read (header, payer/payee loops, LX, PLB, a
      missing SE, input ending inside it) is still yielded, with ``error`` (an
      X12ParseError) set, no claims, and its raw segments; callers must not book it.
      Reading goes on with the next ST;
    - damage to the envelope itself (not X12, a bad ISA, other delimiters, a segment
      outside any transaction, an ST of another transaction set) raises X12ParseError (and only
      that) during iteration.

    OS errors opening or reading a path or file object are not caught.
    """

    def __init__(self, source: Source, *, chunk_size: int = 1 << 20) -> None:
        self._chunks = iter_chunks(source, chunk_size)  # TypeError for a wrong source type now
        self._started = False
        self.delimiters: Delimiters | None = None
        self.warnings: list[str] = []
        self.interchanges = 0
        self.groups = 0
        self.component_pending = False  # bare ST..SE: component separator still a guess

    set_id = ""
    description = ""

    def __iter__(self):
        if self._started:
            raise RuntimeError("a Reader can be iterated only once")
        self._started = True
        return self._transactions()

    def _transactions(self):
        chunks = self._chunks
        try:
            yield from self._walk(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def read_transaction(self, st, segments, number, envelope, index):
        """Read one ST..SE into the transaction set's own model. Each reader (835, 837,
        277CA, 999) defines it; this base class only walks the envelope."""
        raise NotImplementedError(f"{type(self).__name__} reads no transaction set")

    def _walk(self, chunks):
        delimiters, bare, segments = open_segments(chunks)
        self.delimiters = delimiters
        warnings = self.warnings
        if bare:
            warnings.append(BARE_WARNING)
            self.component_pending = True
        sep = delimiters.element
        number = 0
        index = 0
        isa: list[str] | None = None  # open interchange
        gs: list[str] | None = None  # open group
        groups_in_isa = 0
        transactions_in_gs = 0
        base = Envelope()
        stream: Iterator[str] = segments
        pushback: str | None = None
        while True:
            for seg in stream:
                number += 1
                e = seg.split(sep)
                sid = e[0]
                if sid == "ST":
                    if len(e) < 2 or e[1] != self.set_id:
                        raise X12ParseError(
                            f"not {self.description}",
                            segment_number=number,
                            segment_id=sid,
                            element=1,
                            expected=self.set_id,
                            found=e[1] if len(e) > 1 else None,
                        )
                    if gs is None and not (bare and isa is None):
                        warnings.append(
                            f"segment {number} (ST): transaction outside a GS..GE group"
                        )
                    pushback, number = yield from self._transaction(
                        e, segments, number, base, index
                    )
                    index += 1
                    transactions_in_gs += 1
                    if pushback is not None:  # that transaction had no SE: read this next
                        stream = chain((pushback,), segments)
                        break
                elif sid == "GS":
                    if isa is None:
                        warnings.append(
                            f"segment {number} (GS): group outside an ISA..IEA interchange"
                        )
                    if gs is not None:
                        warnings.append(
                            f"segment {number} (GS): the previous group"
                            f" (GS06 {gs[6][:20]!r}) has no GE"
                        )
                    if len(e) < 9:
                        e += [""] * (9 - len(e))
                    gs = e
                    self.groups += 1
                    groups_in_isa += 1
                    transactions_in_gs = 0
                    base.gs_sender_id, base.gs_receiver_id = e[2], e[3]
                    base.gs_control_number, base.version = e[6], e[8]
                    base.functional_id = e[1]
                elif sid == "GE":
                    if gs is None:
                        warnings.append(f"segment {number} (GE): GE without a GS")
                    else:
                        warnings.extend(group_warnings(e, number, transactions_in_gs, gs[6]))
                    gs = None
                elif sid == "ISA":
                    if isa is not None:
                        warnings.append(
                            f"segment {number} (ISA): the previous interchange"
                            f" (ISA13 {isa[13][:20]!r}) has no IEA"
                        )
                    if gs is not None:
                        warnings.append(
                            f"segment {number} (ISA): the previous group (GS06 {gs[6][:20]!r})"
                            " has no GE"
                        )
                        gs = None
                    isa = self._isa(e, number)
                    self.interchanges += 1
                    groups_in_isa = 0
                    base = Envelope(
                        isa_control_number=isa[13].strip(),
                        isa_sender_id=isa[6].strip(),
                        isa_receiver_id=isa[8].strip(),
                        isa_date=short_date_or_none(isa[9]),
                        usage=isa[15].strip(),
                    )
                elif sid == "IEA":
                    if gs is not None:
                        warnings.append(
                            f"segment {number} (IEA): the group (GS06 {gs[6][:20]!r}) has no GE"
                        )
                        gs = None
                    if isa is None:
                        warnings.append(f"segment {number} (IEA): IEA without an ISA")
                    else:
                        warnings.extend(interchange_warnings(e, number, groups_in_isa, isa[13]))
                    isa = None
                    base = Envelope()
                elif not seg.strip(BLANK):
                    number -= 1
                elif seg.startswith("ISA") and len(seg) > 3 and not seg[3].isalnum():
                    raise X12ParseError(
                        "this interchange uses different delimiters from the first one;"
                        " files mixing delimiters are not supported",
                        segment_number=number,
                        segment_id="ISA",
                        found=seg[:40],
                    )
                else:
                    raise X12ParseError(
                        "unexpected segment outside a transaction (after SE, before the next ST)",
                        segment_number=number,
                        segment_id=sid[:10],
                        expected="ST, GS, GE, ISA or IEA",
                        found=seg,
                    )
            else:
                break  # end of input
        if gs is not None:
            warnings.append(f"missing GE at the end of the file (group GS06 {gs[6][:20]!r})")
        if isa is not None:
            warnings.append(
                f"missing IEA at the end of the file (interchange ISA13 {isa[13][:20]!r})"
            )

    def _transaction(self, st: list[str], segments, number: int, base: Envelope, index: int):
        """Read one ST..SE and yield its Transaction; return (pushback, number) as
        ``read_transaction`` does."""
        envelope = Envelope(
            isa_control_number=base.isa_control_number,
            isa_sender_id=base.isa_sender_id,
            isa_receiver_id=base.isa_receiver_id,
            isa_date=base.isa_date,
            gs_control_number=base.gs_control_number,
            gs_sender_id=base.gs_sender_id,
            gs_receiver_id=base.gs_receiver_id,
            version=base.version,
            usage=base.usage,
            functional_id=base.functional_id,
        )
        # The walker allocates many small tracked objects and no cycles: pause the
        # cyclic GC while it runs (about 30% faster); never while our caller runs.
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            tx, number, pushback = self.read_transaction(st, segments, number, envelope, index)
        finally:
            if paused:
                gc.enable()
        yield tx
        return pushback, number

    def _isa(self, e: list[str], number: int) -> list[str]:
        """Check an ISA read from the stream; switch to its component separator."""
        if len(e) != 17:
            raise X12ParseError(
                "an ISA must have exactly 16 elements",
                segment_number=number,
                segment_id="ISA",
                expected="16 elements",
                found=str(len(e) - 1),
            )
        if short_date_or_none(e[9]) is None:
            raise X12ParseError(
                segment_number=number,
                segment_id="ISA",
                element=9,
                expected="a date YYMMDD",
                found=e[9],
            )
        component = e[16][:1]
        delimiters = self.delimiters
        if not component or component.isalnum() or component in (" ", delimiters.element):
            raise X12ParseError(
                segment_number=number,
                segment_id="ISA",
                element=16,
                expected="a component separator",
                found=e[16],
            )
        if component != delimiters.component:
            delimiters.component = component
        self.component_pending = False
        return e
