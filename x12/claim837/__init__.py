"""X12 837 claims as submitted: 837P (005010X222A1, 004010X098A1) and 837I (005010X223A2/A3,
004010X096A1). Pure Python, no Django.

    from x12.claim837 import Reader837, parse_837

    for tx in Reader837(source):          # streams, flat memory per transaction
        tx.kind                           # "professional" or "institutional"
        for claim in tx.claims: claim.lines, claim.frequency_code, claim.patient ...
"""

from .model import (
    FREQUENCY_ORIGINAL,
    FREQUENCY_REPLACEMENT,
    FREQUENCY_VOID,
    INSTITUTIONAL,
    PROFESSIONAL,
    Claim837,
    ClaimException837,
    Line837,
    OtherPayer837,
    Payer837,
    Person837,
    Provider837,
    Transaction837,
)
from .reader import Parse837Result, Reader837, parse_837

__all__ = [
    "FREQUENCY_ORIGINAL",
    "FREQUENCY_REPLACEMENT",
    "FREQUENCY_VOID",
    "INSTITUTIONAL",
    "PROFESSIONAL",
    "Claim837",
    "ClaimException837",
    "Line837",
    "OtherPayer837",
    "Parse837Result",
    "Payer837",
    "Person837",
    "Provider837",
    "Reader837",
    "Transaction837",
    "parse_837",
]
