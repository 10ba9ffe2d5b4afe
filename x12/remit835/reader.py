"""Reader: streams 835 transactions out of a file, with the ISA/GS envelope around them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..envelope import Envelope, EnvelopeReader, Source
from ..tokenizer import Delimiters
from .loops import read_transaction
from .model import Transaction


class Reader(EnvelopeReader):
    """Stream an X12 835: ``for tx in Reader(source): ...`` yields one Transaction per ST..SE
    as soon as its SE is read. See ``x12.envelope.EnvelopeReader`` for the sources accepted,
    the attributes and how damage is contained; inside a transaction, a claim loop that
    cannot be read is quarantined as a ``ClaimException`` in ``exceptions``, and a
    transaction whose structure cannot be read comes out with ``error`` set and no claims.
    """

    set_id = "835"
    description = "a health care claim payment/advice"

    def __iter__(self) -> Iterator[Transaction]:
        return super().__iter__()

    def read_transaction(self, st, segments, number: int, envelope: Envelope, index: int):
        return read_transaction(st, segments, number, self, envelope, index)


@dataclass(slots=True)
class ParseResult:
    transactions: list[Transaction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    delimiters: Delimiters | None = None


def parse(source: Source, *, chunk_size: int = 1 << 20) -> ParseResult:
    """Read a whole 835 into memory: all transactions, file-level warnings, delimiters."""
    reader = Reader(source, chunk_size=chunk_size)
    transactions = list(reader)
    return ParseResult(
        transactions=transactions, warnings=reader.warnings, delimiters=reader.delimiters
    )
