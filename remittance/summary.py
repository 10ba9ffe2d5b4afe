"""What a file contains, counted while it is parsed (the same on a dry run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .parser import Transaction

DENIED_STATUS = "4"


@dataclass
class Summary:
    transactions: int = 0
    duplicate_transactions: int = 0
    claims: int = 0
    denied_claims: int = 0
    service_lines: int = 0
    denials: int = 0
    payment_total: Decimal = Decimal("0")
    claim_paid_total: Decimal = Decimal("0")
    warnings: list[str] = field(default_factory=list)

    def add(self, parsed: Transaction) -> None:
        self.transactions += 1
        self.payment_total += parsed.payment.amount
        for claim in parsed.claims:
            self.claims += 1
            self.claim_paid_total += claim.paid
            self.service_lines += len(claim.service_lines)
            if claim.status_code == DENIED_STATUS:
                self.denied_claims += 1
        label = f"transaction {parsed.index + 1} (ST {parsed.control_number})"
        self.warnings.extend(f"{label}: {w}" for w in parsed.warnings)

    def report(self) -> dict:
        """The counts as the ``ingest_835 --json`` and the API report them."""
        return {
            "transactions": self.transactions,
            "duplicate_transactions": self.duplicate_transactions,
            "claims": self.claims,
            "denied_claims": self.denied_claims,
            "service_lines": self.service_lines,
            "denials": self.denials,
            "payment_total": str(self.payment_total),
            "claim_paid_total": str(self.claim_paid_total),
            "warnings": list(self.warnings),
        }
