"""X12 277CA claim acknowledgments (005010X214). Pure Python, no Django.

from x12.ack277ca import Reader277CA, parse_277ca

for tx in Reader277CA(source):
    for claim in tx.claims: claim.patient_control_number, claim.rejected, claim.statuses
"""

from .model import (
    ACCEPTED_CATEGORIES,
    REJECTED_CATEGORIES,
    Claim277,
    LevelStatus277,
    Status277,
    StatusCode277,
    Transaction277CA,
)
from .reader import Parse277CAResult, Reader277CA, parse_277ca

__all__ = [
    "ACCEPTED_CATEGORIES",
    "REJECTED_CATEGORIES",
    "Claim277",
    "LevelStatus277",
    "Parse277CAResult",
    "Reader277CA",
    "Status277",
    "StatusCode277",
    "Transaction277CA",
    "parse_277ca",
]
