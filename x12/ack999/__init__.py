"""X12 999 implementation acknowledgments (005010X231A1). Pure Python, no Django.

from x12.ack999 import Reader999, parse_999

for tx in Reader999(source):
    for response in tx.sets: response.control_number, response.rejected, response.segment_errors
"""

from .model import (
    ACCEPTED_STATUSES,
    REJECTED_STATUSES,
    ElementError999,
    SegmentError999,
    SetResponse999,
    Transaction999,
)
from .reader import Parse999Result, Reader999, parse_999

__all__ = [
    "ACCEPTED_STATUSES",
    "REJECTED_STATUSES",
    "ElementError999",
    "Parse999Result",
    "Reader999",
    "SegmentError999",
    "SetResponse999",
    "Transaction999",
    "parse_999",
]
