"""X12 835 (health care claim payment/advice) parser: pure Python, no Django.

    from x12.remit835 import Reader, parse, X12ParseError

    for tx in Reader(path_or_bytes_or_text_or_binary_file):   # streams, flat memory
        if tx.failed: ...         # unreadable transaction: tx.error, tx.raw; book nothing
        tx.claims, tx.exceptions  # claims read; quarantined claims (ClaimException)
    result = parse(data)          # ParseResult(transactions, warnings, delimiters)

Reads 005010X221A1 and 004010X091A1 files (the loop logic is the same). See model.py for the
output dataclasses.
"""

from ..envelope import Envelope
from ..errors import X12ParseError
from ..tokenizer import Delimiters, read_delimiters
from .model import (
    Adjustment,
    Claim,
    ClaimException,
    Party,
    Payment,
    ProviderAdjustment,
    ServiceLine,
    Transaction,
)
from .reader import ParseResult, Reader, parse
from .validate import balance_warnings

__all__ = [
    "Adjustment",
    "Claim",
    "ClaimException",
    "Delimiters",
    "Envelope",
    "ParseResult",
    "Party",
    "Payment",
    "ProviderAdjustment",
    "Reader",
    "ServiceLine",
    "Transaction",
    "X12ParseError",
    "balance_warnings",
    "parse",
    "read_delimiters",
]
