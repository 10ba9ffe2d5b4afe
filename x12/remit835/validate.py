"""Envelope checks (SE, GE, IEA counts and control numbers) and balancing checks.

Everything here produces warnings, never errors. Balancing warnings name claims by their
patient control number (CLP01) and amounts only: never patient names.
"""

from __future__ import annotations

from decimal import Decimal

from .model import Claim, ClaimException, Transaction

ZERO = Decimal("0")


def _count(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and text.isascii() else None


# --------------------------------------------------------------------------------------------
# transaction


def finish_transaction(
    tx: Transaction,
    se: list[str],
    number: int,
    *,
    seen_bpr: bool,
    seen_payer: bool,
    seen_payee: bool,
) -> None:
    """Checks run at SE: SE01/SE02, required parts present, balancing."""
    warnings = tx.warnings
    se01 = se[1] if len(se) > 1 else ""
    se02 = se[2] if len(se) > 2 else ""
    if _count(se01) != tx.segment_count:
        warnings.append(f"SE01 says {se01[:20]} segments, counted {tx.segment_count}")
    if se02.strip() != tx.control_number.strip():
        warnings.append(
            f"SE02 {se02[:20]!r} does not match ST02 {tx.control_number[:20]!r} (segment {number})"
        )
    if not seen_bpr:
        warnings.append("no BPR segment (financial information) in the transaction")
    if not seen_payer:
        warnings.append("no payer loop (N1*PR) in the transaction")
    if not seen_payee:
        warnings.append("no payee loop (N1*PE) in the transaction")
    warnings.extend(balance_warnings(tx, check_payment=seen_bpr))


def _sum_adjustments(adjustments) -> Decimal:
    total = ZERO
    for adjustment in adjustments:
        total += adjustment.amount
    return total


def _label(claim: Claim) -> str:
    pcn = claim.patient_control_number[:40]
    return f"claim {pcn!r} (transaction segment {claim.segment_number})"


def claim_balance_warnings(claim: Claim) -> list[str]:
    """charge - paid = claim CAS + line CAS (claims with lines or claim CAS); per line too.

    CLP05 (patient responsibility) is not subtracted: in an 835 it is already inside the PR
    adjustments.
    """
    out: list[str] = []
    lines = claim.service_lines
    if lines or claim.adjustments:
        adjusted = _sum_adjustments(claim.adjustments)
        for line in lines:
            adjusted += _sum_adjustments(line.adjustments)
        difference = claim.charge - claim.paid
        if difference != adjusted:
            out.append(
                f"{_label(claim)} does not balance: charge {claim.charge} - paid {claim.paid}"
                f" = {difference}, but adjustments total {adjusted}"
            )
    for position, line in enumerate(lines, 1):
        adjusted = _sum_adjustments(line.adjustments)
        difference = line.charge - line.paid
        if difference != adjusted:
            out.append(
                f"{_label(claim)} service line {position}"
                f" (transaction segment {line.segment_number}) does not balance:"
                f" charge {line.charge} - paid {line.paid} = {difference},"
                f" but adjustments total {adjusted}"
            )
    return out


def balance_warnings(tx: Transaction, *, check_payment: bool = True) -> list[str]:
    """Claim and line balancing, and BPR02 = sum(CLP04) - sum(PLB amounts)."""
    out: list[str] = []
    paid = ZERO
    for claim in tx.claims:
        paid += claim.paid
        out.extend(claim_balance_warnings(claim))
    if check_payment:
        provider = ZERO
        for adjustment in tx.provider_adjustments:
            provider += adjustment.amount
        expected = paid - provider
        payment = tx.payment
        stated = -payment.amount if payment.credit_debit == "D" else payment.amount
        if stated != expected:
            out.append(_payment_warning(tx, paid, provider, stated))
    return out


def _payment_warning(tx: Transaction, paid: Decimal, provider: Decimal, stated: Decimal) -> str:
    """BPR02 against the claims read; quarantined claims are named, and counted when their
    CLP04 could be read and counting them reconciles the payment."""
    payment = tx.payment
    bpr = f"BPR02 payment {payment.amount}{' (debit)' if payment.credit_debit == 'D' else ''}"
    claims = f"claims paid {paid} - provider adjustments {provider} = {paid - provider}"
    quarantined = tx.exceptions
    if not quarantined:
        return f"{bpr} does not equal {claims}"
    names = "; ".join(_quarantined_label(x) for x in quarantined)
    plural = "s" if len(quarantined) > 1 else ""
    if all(x.paid is not None for x in quarantined):
        held = sum((x.paid for x in quarantined), ZERO)
        if paid + held - provider == stated:
            return (
                f"{bpr} reconciles once quarantined claim{plural} {names} counted: claims paid"
                f" {paid} + quarantined {held} - provider adjustments {provider} = {stated}"
            )
    return f"{bpr} does not equal {claims}; not counted: quarantined claim{plural} {names}"


def _quarantined_label(exception: ClaimException) -> str:
    pcn = exception.patient_control_number[:40]
    paid = "paid unknown" if exception.paid is None else f"paid {exception.paid}"
    return f"{pcn!r} (transaction segment {exception.segment_number}, {paid}: {exception.message})"
