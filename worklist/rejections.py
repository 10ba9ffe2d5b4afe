"""What the worklist makes of a claim rejected before adjudication (277CA or 999): the
codes in words, the team, and how it is scored. No writes here.

A rejection is not a denial: the payer never adjudicated the claim, so there is nothing
to appeal and no payer outcome to learn from. It is worked by correcting the claim and
sending it again before the payer's timely-filing limit, the same rule a corrected claim
of a denial races (``PayerRule`` kind ``timely_filing``, counted from the date of service,
or the through date of an institutional claim).

Routing: every rejection goes to the front-end team (slug ``front-end``; the default team
if there is none). Routing rules are written for denials (category, CARC, RARC) and say
nothing about 277CA codes, so they are not applied.

Scoring: the shared formula (``scoring.score``) with a fixed policy, ``REJECTION_POLICY``:
corrected and resent, a claim is adjudicated like any other, so most of its charge is
still in play (90%), and the fix is a field or two ($10 of work). Urgency rises as the
filing deadline nears, as for denials. Rejection items never feed the payer outcomes that
denials are scored from (``selectors.recovery_outcomes``).
"""

from __future__ import annotations

from decimal import Decimal

from claims.catalog import describe
from denials.choices import ControlPoint, DenialCategory, NextAction

from .scoring import Policy

FRONT_END_TEAM = "front-end"
REJECTION_POLICY = Policy(prior_rate=Decimal("0.900"), prior_weight=0, work_cost=Decimal("10"))
REJECTION_BASIS = "a rejection: corrected and resent, the claim is adjudicated as usual"
# The item's category (denial categories name what the claim lacked; a front-end
# rejection is refused for missing or invalid information on the claim itself).
REJECTION_CATEGORY = DenialCategory.MISSING_INFORMATION
REJECTION_ACTION = NextAction.CORRECT_RESUBMIT
REJECTION_CONTROL_POINT = ControlPoint.BILLING
UNMAPPED_PAYER = (
    "The submitted payer id {identifier!r} maps to no payer: add a payer alias. No filing "
    "deadline until then (the nightly rescore picks the payer up)."
)


def code_parts(code: str) -> tuple[str, str]:
    """("A7", "562") from "A7:562:85" (category, status, entity)."""
    parts = [p.strip() for p in code.split(":")]
    return parts[0], parts[1] if len(parts) > 1 else ""


def codes_in_words(*, category_code: str, status_code: str, status_codes: list) -> list[str]:
    """Every category and status code a rejection gave, in words, its main one first, each
    once (``claims.catalog``; an unknown code is named as such, never dropped)."""
    pairs = [(category_code, status_code)]
    for code in status_codes or ():
        pair = code_parts(str(code))
        if pair[0] and pair not in pairs:
            pairs.append(pair)
    return [describe(category, status) for category, status in pairs if category]


def rejection_words(rejection) -> list[str]:
    return codes_in_words(
        category_code=rejection.category_code,
        status_code=rejection.status_code,
        status_codes=rejection.status_codes,
    )


def short_codes(rejection) -> str:
    """ "A7:562" for timelines and notes (no patient data)."""
    return ":".join(p for p in (rejection.category_code, rejection.status_code) if p)
