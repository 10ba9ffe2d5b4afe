"""What a file contains, counted while it is parsed (the same on a dry run).

What a file reports is what it books: claims, lines, denials and money count only the
transactions booked (or, on a dry run, that would be); ``transactions`` counts them all, and
those skipped as already booked or failed are counted apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from x12.remit835 import Transaction, X12ParseError

DENIED_STATUS = "4"


def label(parsed: Transaction) -> str:
    return f"transaction {parsed.index + 1} (ST {parsed.control_number})"


@dataclass
class Summary:
    transactions: int = 0
    duplicate_transactions: int = 0
    failed_transactions: int = 0
    claims: int = 0
    posting_exceptions: int = 0
    denied_claims: int = 0
    service_lines: int = 0
    denials: int = 0
    payment_total: Decimal = Decimal("0")
    claim_paid_total: Decimal = Decimal("0")
    warnings: list[str] = field(default_factory=list)
    already_booked: dict[str, int] = field(default_factory=dict)  # where -> transactions
    first_error: X12ParseError | None = None

    def add(self, parsed: Transaction) -> None:
        """A transaction that books: count what it holds and name its quarantined claims."""
        self.transactions += 1
        self.payment_total += parsed.payment.amount
        for claim in parsed.claims:
            self.claims += 1
            self.claim_paid_total += claim.paid
            self.service_lines += len(claim.service_lines)
            if claim.status_code == DENIED_STATUS:
                self.denied_claims += 1
        self._warn(parsed)
        for held in parsed.exceptions:
            self.posting_exceptions += 1
            self.warnings.append(
                f"{label(parsed)}: claim {held.position + 1} ({held.patient_control_number[:40]!r},"
                f" transaction segment {held.segment_number}) quarantined as a posting"
                f" exception: {held.message}"
            )

    def skip(self, parsed: Transaction, *, where: str) -> None:
        """A transaction already booked ``where``: counted apart, nothing of it added."""
        self.transactions += 1
        self.duplicate_transactions += 1
        self.already_booked[where] = self.already_booked.get(where, 0) + 1
        self._warn(parsed)
        payment = parsed.payment
        self.warnings.append(
            f"{label(parsed)}: payment trace {payment.trace_number} for {payment.amount} was"
            f" already booked {where}; not booked again"
        )

    def fail(self, parsed: Transaction) -> None:
        """A transaction that could not be read: one posting exception, nothing booked."""
        self.transactions += 1
        self.failed_transactions += 1
        self.posting_exceptions += 1
        if self.first_error is None:
            self.first_error = parsed.error
        self.warnings.append(
            f"{label(parsed)}: not booked; kept as a posting exception: {parsed.error_message}"
        )

    def finish(self, file_warnings: list[str]) -> None:
        """Put the file's own warnings, and one line on transactions already booked, first."""
        head = list(file_warnings)
        if self.already_booked:
            head.append(self._already_booked_line())
        self.warnings[:0] = head

    @property
    def all_failed(self) -> bool:
        return self.transactions > 0 and self.failed_transactions == self.transactions

    def _warn(self, parsed: Transaction) -> None:
        self.warnings.extend(f"{label(parsed)}: {w}" for w in parsed.warnings)

    def _already_booked_line(self) -> str:
        skipped = self.duplicate_transactions
        noun = "transaction" if self.transactions == 1 else "transactions"
        verb = "was" if skipped == 1 else "were"
        head = f"{skipped} of {self.transactions} {noun} {verb} already booked"
        if len(self.already_booked) == 1:
            (where,) = self.already_booked
            return f"{head} {where}"
        return f"{head}: " + ", ".join(f"{n} {where}" for where, n in self.already_booked.items())

    def report(self) -> dict:
        """The counts as the ``ingest_835 --json`` and the API report them."""
        return {
            "transactions": self.transactions,
            "duplicate_transactions": self.duplicate_transactions,
            "claims": self.claims,
            "posting_exceptions": self.posting_exceptions,
            "denied_claims": self.denied_claims,
            "service_lines": self.service_lines,
            "denials": self.denials,
            "payment_total": str(self.payment_total),
            "claim_paid_total": str(self.claim_paid_total),
            "warnings": list(self.warnings),
        }
