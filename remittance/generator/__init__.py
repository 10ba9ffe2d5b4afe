"""Synthetic X12 835 (005010X221A1) remittances for tests, demos and benchmarks.

Pure standard library: builds :mod:`x12.remit835.model` dataclasses with a seeded
``random.Random`` and writes them as 835 text. Every name, identifier and amount is invented.

    >>> from remittance.generator import build_transactions, render
    >>> text = render(build_transactions(claims=100, seed=7))

``build_claim_set`` adds the 837 batches and 277CA acknowledgements of the same claims.
"""

from .build import (
    PAYEE,
    PAYERS,
    build_files,
    build_transactions,
    default_transaction_count,
    iter_transactions,
)
from .claimset import ClaimSet, SetFile, build_claim_set
from .render import generate_file, render, render_iter

__all__ = [
    "ClaimSet",
    "PAYEE",
    "PAYERS",
    "SetFile",
    "build_claim_set",
    "build_files",
    "build_transactions",
    "default_transaction_count",
    "generate_file",
    "iter_transactions",
    "render",
    "render_iter",
]
