"""Is this the right route to the payer? Pure checks over a denial's codes and the
payer's type (no database), run before anything is sent. Each refusal says why and,
where there is one, which route to take instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .choices import AppealKind, AppealLevel

TIMELY_FILING_CODES = {"29"}  # CARC 29: the time limit for filing has expired
TIMELY_FILING_REMARKS = {"N211"}  # RARC N211: you may not appeal this decision
NEW_CLAIM_REMARKS = {"MA130"}  # unprocessable: submit a new claim, no appeal rights


@dataclass(frozen=True)
class RouteFacts:
    kind: str
    level: str
    payer_type: str
    reason_codes: tuple[str, ...]  # "CO-29" and remark codes ("N211") alike
    appealable: bool  # the denial's own verdict (catalog rules)
    clerical_error: bool = False
    timely_filing_proof: bool = False  # an acceptance (277CA/999) of the original claim
    amount: Decimal = Decimal(0)
    min_amount_in_controversy: Decimal | None = None


@dataclass(frozen=True)
class RouteCheck:
    refusals: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    suggested_kind: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusals


def _carcs(codes) -> set[str]:
    return {c.rpartition("-")[2] for c in codes if "-" in c}


def _remarks(codes) -> set[str]:
    return {c for c in codes if "-" not in c}


def check_route(facts: RouteFacts) -> RouteCheck:
    refusals, notes, suggested = [], [], ""
    carcs, remarks = _carcs(facts.reason_codes), _remarks(facts.reason_codes)
    appeal = facts.kind == AppealKind.APPEAL
    explained = False
    if appeal and remarks & NEW_CLAIM_REMARKS:
        refusals.append(
            "MA130: the payer could not process the claim, so it has no appeal rights. "
            "Correct it and send a new claim instead."
        )
        suggested, explained = AppealKind.CORRECTED_CLAIM, True
    timely = carcs & TIMELY_FILING_CODES or remarks & TIMELY_FILING_REMARKS
    if appeal and timely:
        explained = True
        codes = ", ".join(sorted({f"CARC {c}" for c in carcs & TIMELY_FILING_CODES}
                                 | (remarks & TIMELY_FILING_REMARKS)))  # fmt: skip
        if facts.timely_filing_proof:
            notes.append(
                f"{codes}: a timely-filing denial is appealed only with proof of timely "
                "filing; the original claim's acceptance goes into the packet."
            )
        else:
            refusals.append(
                f"{codes}: a timely-filing denial cannot be appealed except with proof of "
                "timely filing, and no acceptance (277CA or 999) of the original claim is on "
                "record. Attach the clearinghouse's acceptance report as evidence and confirm "
                "it, or write the denial off."
            )
    medicare = facts.payer_type == "medicare"
    if appeal and facts.clerical_error and medicare and facts.level == AppealLevel.FIRST:
        refusals.append(
            "A clerical error (a minor error or omission) goes to Medicare as a reopening, "
            "not a redetermination."
        )
        suggested, explained = AppealKind.REOPENING, True
    if facts.kind == AppealKind.REOPENING and not facts.clerical_error:
        refusals.append(
            "A reopening corrects a clerical error (a minor error or omission); for "
            "anything else, appeal."
        )
        suggested = AppealKind.APPEAL
    if appeal and not facts.appealable and not explained:
        refusals.append(
            "This denial cannot be appealed (its reason and remark codes say so): correct "
            "and resubmit, or write it off."
        )
        suggested = AppealKind.CORRECTED_CLAIM
    minimum = facts.min_amount_in_controversy
    if appeal and minimum is not None and facts.amount < minimum:
        refusals.append(
            f"This level needs at least ${minimum:,.2f} in controversy; the appeal is for "
            f"${facts.amount:,.2f}."
        )
    return RouteCheck(refusals, notes, suggested)
