"""Readers for the rare segments (BPR, N1, PLB) and the loop states the walker uses.

Kept out of loops.py, whose walker is the hot path; these run a few times per transaction.
"""

from __future__ import annotations

from ..errors import X12ParseError
from ..segments import padded
from ..values import amount, bad_value, lenient_date
from .model import Party, Payment, ProviderAdjustment, Transaction

# loop states of the walker, in the order they can occur
HEADER, PAYER, PAYEE, OTHER_PARTY, HEADER_NUMBER, CLAIM, LINE, SUMMARY = range(8)
PARTY_STATES = (PAYER, PAYEE, OTHER_PARTY)

WHERE = {
    HEADER: "in the 835 header (before the payer N1*PR loop)",
    PAYER: "in the payer loop (1000A)",
    PAYEE: "in the payee loop (1000B)",
    OTHER_PARTY: "in a header N1 loop",
    HEADER_NUMBER: "right after LX/TS3/TS2 (before CLP)",
    CLAIM: "in a claim loop (2100)",
    LINE: "in a service line loop (2110)",
    SUMMARY: "after PLB (only PLB and SE may follow)",
}


def read_bpr(e: list[str], number: int, payment: Payment, warnings: list[str]) -> None:
    e = padded(e, 17)
    payment.transaction_handling = e[1]
    payment.amount = amount(e[2], number, "BPR", 2)
    if e[3]:
        payment.credit_debit = e[3]
    payment.method = e[4]
    payment.format = e[5]
    payment.date = lenient_date(e[16], number, "BPR", 16, warnings)


def read_n1(
    e: list[str], number: int, tx: Transaction, seen_payer: bool, seen_payee: bool
) -> tuple[Party, int]:
    """Start a header N1 loop: the payer (N1*PR), the payee (N1*PE) or an ignored party."""
    e = padded(e, 5)
    entity = e[1]
    if entity == "PR":
        if seen_payer or seen_payee:
            raise X12ParseError(
                "a second payer loop (N1*PR)" if seen_payer else "N1*PR after N1*PE",
                segment_number=number,
                segment_id="N1",
            )
        party, state = tx.payer, PAYER
    elif entity == "PE":
        if seen_payee:
            raise X12ParseError(
                "a second payee loop (N1*PE)", segment_number=number, segment_id="N1"
            )
        party, state = tx.payee, PAYEE
    else:
        tx.warnings.append(
            f"segment {number} (N1): entity code {entity[:10]!r} not expected in an 835"
            " header; its loop is ignored"
        )
        party, state = Party(), OTHER_PARTY
    party.entity_code = entity
    party.name = e[2]
    party.id_qualifier = e[3]
    party.identifier = e[4]
    if state == PAYEE:
        if e[3] == "XX":
            party.npi = e[4]
        elif e[3] == "FI":
            party.tax_id = e[4]
    return party, state


def read_plb(
    e: list[str], number: int, out: list[ProviderAdjustment], component: str, warnings: list[str]
) -> None:
    """PLB01 provider, PLB02 date, then up to six (reason:reference, amount) pairs."""
    e = padded(e, 15)
    provider = e[1]
    fiscal = lenient_date(e[2], number, "PLB", 2, warnings)
    for i in range(3, 15, 2):
        composite, text = e[i], e[i + 1]
        if not composite:
            if text:
                raise bad_value(number, "PLB", i, "an adjustment reason code", "")
            continue
        parts = composite.split(component)
        out.append(
            ProviderAdjustment(
                provider_id=provider,
                fiscal_period_date=fiscal,
                reason_code=parts[0],
                reference=parts[1] if len(parts) > 1 else "",
                amount=amount(text, number, "PLB", i + 1),
            )
        )
