"""Pure-Python X12 readers for health care: 835, 837 (P and I), 277CA and 999. No Django.

    import x12

    x12.detect_kind(data)              # "835", "837", "277CA" or "999"
    for tx in x12.read(data): ...      # the matching reader, streamed

    from x12.remit835 import Reader, parse            # 835 claim payment/advice
    from x12.claim837 import Reader837, parse_837     # 837 claims as submitted
    from x12.ack277ca import Reader277CA, parse_277ca # claim acknowledgments
    from x12.ack999 import Reader999, parse_999       # implementation acknowledgments

The shared layer lives here: ``tokenizer`` (delimiters, BOM, wrapped lines, newline
terminators, repetition separator, the streaming segment splitter), ``envelope`` (ISA/GS/
ST..SE/GE/IEA walking, shared by every reader), ``errors`` (``X12ParseError``), ``values``
(amounts and dates) and ``segments`` (small element helpers). Each transaction set has its own
subpackage with its model (dataclasses), its loop walker and its reader.
"""

from __future__ import annotations

from .envelope import Envelope, EnvelopeReader
from .errors import X12ParseError
from .kinds import KINDS, detect_kind, read
from .tokenizer import Delimiters, read_delimiters

__all__ = [
    "KINDS",
    "Delimiters",
    "Envelope",
    "EnvelopeReader",
    "X12ParseError",
    "detect_kind",
    "read",
    "read_delimiters",
]
