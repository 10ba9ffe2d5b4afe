"""Guardrails: fixed rules applied before any scoring. Each names itself, so the item
records why it was sent where it was. Pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass

PATIENT_CODES = {"PR-1", "PR-2", "PR-3"}


@dataclass(frozen=True, slots=True)
class Guardrail:
    rule: str
    action: str  # a denials.choices.NextAction value
    appealable: bool
    open_item: bool = True  # False: nothing for a biller to pursue


def check(
    *, adjustment_codes: list[str], remark_codes: list[str], payer_type: str
) -> Guardrail | None:
    """The guardrail that applies to a denial, or None."""
    codes, remarks = set(adjustment_codes), set(remark_codes)
    if "MA130" in remarks:
        return Guardrail(
            "MA130: claim unprocessable — correct and resubmit (no appeal rights)",
            "correct_resubmit",
            appealable=False,
        )
    if "N211" in remarks or (payer_type == "medicare" and "CO-29" in codes):
        why = "N211: not appealable" if "N211" in remarks else "Medicare CO-29: not appealable"
        return Guardrail(
            f"{why} — write-off review; attach proof of timely filing if there is any",
            "write_off",
            appealable=False,
        )
    if codes and codes <= PATIENT_CODES:
        return Guardrail(
            "PR-1/2/3: patient responsibility — bill the patient or secondary",
            "bill_patient_or_secondary",
            appealable=False,
            open_item=False,
        )
    if codes == {"CO-45"}:
        return Guardrail(
            "lone CO-45: paid as contracted", "write_off", appealable=False, open_item=False
        )
    return None
