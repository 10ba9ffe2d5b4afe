"""Reader837: streams 837 transactions (837P and 837I) out of a file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..envelope import Envelope, EnvelopeReader, Source
from ..tokenizer import Delimiters
from .loops import read_transaction
from .model import Transaction837


class Reader837(EnvelopeReader):
    """Stream an X12 837: ``for tx in Reader837(source): ...`` yields one Transaction837 per
    ST..SE as soon as its SE is read, so memory stays flat per transaction. Professional or
    institutional is read from the content (SV1 / SV2 / CL1 / CLM05-2), GS08 only as a
    fallback. See ``x12.envelope.EnvelopeReader`` for sources, attributes and how damage to
    the envelope is reported."""

    set_id = "837"
    description = "a health care claim (837)"

    def __iter__(self) -> Iterator[Transaction837]:
        return super().__iter__()

    def read_transaction(self, st, segments, number: int, envelope: Envelope, index: int):
        return read_transaction(st, segments, number, self, envelope, index)


@dataclass(slots=True)
class Parse837Result:
    transactions: list[Transaction837] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    delimiters: Delimiters | None = None


def parse_837(source: Source, *, chunk_size: int = 1 << 20) -> Parse837Result:
    """Read a whole 837 into memory."""
    reader = Reader837(source, chunk_size=chunk_size)
    transactions = list(reader)
    return Parse837Result(transactions, reader.warnings, reader.delimiters)
