"""Which adjustments are denials: pure functions over parsed 835 claims and the catalog.

No database here, so a dry run and the booking apply exactly the same rules, and the
rules are tested without one. The catalog is loaded by ``denials.selectors`` (from the
database, where the admin can edit it) or from the shipped CSV files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from x12.remit835 import Adjustment, Claim

DATA_DIR = Path(__file__).resolve().parent / "data"
ZERO = Decimal("0")
PATIENT_GROUP = "PR"
CONTRACTUAL = ("CO", "45")
NO_DENIAL_STATUSES = {"22", "25"}  # reversals and predetermination pricing
DENIED_STATUS = "4"
DEFAULT_DENIAL_GROUPS = frozenset({"CO", "OA", "PI"})


@dataclass(frozen=True, slots=True)
class CarcRule:
    is_denial: bool
    denial_groups: frozenset[str]
    category: str
    severity: str
    next_action: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class RarcRule:
    effect: str
    category: str
    next_action: str
    description: str = ""


@dataclass(slots=True)
class Catalog:
    carcs: dict[str, CarcRule] = field(default_factory=dict)
    rarcs: dict[str, RarcRule] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, directory: Path = DATA_DIR) -> Catalog:
        with open(directory / "carc.csv", newline="", encoding="utf-8") as fh:
            carcs = {row["code"]: carc_rule_from_row(row) for row in csv.DictReader(fh)}
        with open(directory / "rarc.csv", newline="", encoding="utf-8") as fh:
            rarcs = {row["code"]: rarc_rule_from_row(row) for row in csv.DictReader(fh)}
        return cls(carcs, rarcs)

    def is_denial(self, adjustment: Adjustment) -> bool:
        """Does this adjustment refuse money the provider can pursue?"""
        if adjustment.group_code == PATIENT_GROUP:
            return False
        rule = self.carcs.get(adjustment.reason_code)
        if rule is None:  # a code we don't know: surface it rather than hide it
            return adjustment.group_code in DEFAULT_DENIAL_GROUPS
        return rule.is_denial and adjustment.group_code in rule.denial_groups


def carc_rule_from_row(row: dict) -> CarcRule:
    return CarcRule(
        is_denial=str(row["is_denial"]).strip().lower() in {"yes", "true", "1"},
        denial_groups=frozenset(str(row["denial_groups"] or "").split()),
        category=row["category"] or "other",
        severity=row["severity"] or "",
        next_action=row["next_action"] or "",
        description=row.get("description", ""),
    )


def rarc_rule_from_row(row: dict) -> RarcRule:
    return RarcRule(
        effect=row["effect"] or "",
        category=row["category"] or "",
        next_action=row["next_action"] or "",
        description=row.get("description", ""),
    )


@dataclass(slots=True)
class Finding:
    """One denial found in a claim: on the claim as a whole (line_index None) or a line."""

    line_index: int | None
    group_code: str
    reason_code: str
    adjustment_codes: list[str]
    remark_codes: list[str]
    category: str
    severity: str
    appealable: bool
    unprocessable: bool
    next_action: str
    rule: str
    denied_amount: Decimal
    charge_amount: Decimal
    paid_amount: Decimal
    service_date: date | None


def find_denials(claim: Claim, catalog: Catalog) -> list[Finding]:
    """The denials in one adjudicated claim.

    - A reversal (status 22) or a predetermination (25) is never a denial.
    - A claim with status 4 is denied as a whole: one claim-level finding.
    - Otherwise claim-level adjustments with a denial reason make a claim-level finding,
      and each line makes a finding when it carries a denial reason, or when it was paid
      $0 with any adjustment other than patient responsibility (PR) or CO-45.
    A lone CO-45 (contractual write-down) and PR-1/2/3 (deductible, coinsurance, copay)
    are never denials.
    """
    if claim.status_code in NO_DENIAL_STATUSES:
        return []
    every = claim.adjustments + [a for s in claim.service_lines for a in s.adjustments]
    if claim.status_code == DENIED_STATUS:
        remarks = claim.remark_codes + [r for s in claim.service_lines for r in s.remark_codes]
        causes = [a for a in every if catalog.is_denial(a)] or [a for a in every if _pursuable(a)]
        denied = claim.charge - claim.paid
        if claim.patient_responsibility:
            denied -= claim.patient_responsibility
        return [
            _finding(
                catalog,
                None,
                causes,
                remarks,
                "claim status 4 (denied)",
                denied,
                claim.charge,
                claim.paid,
                claim.statement_from or _first_date(claim),
            )
        ]
    findings = []
    causes = [a for a in claim.adjustments if catalog.is_denial(a)]
    if causes and _total(causes) > ZERO:
        findings.append(
            _finding(
                catalog,
                None,
                causes,
                claim.remark_codes,
                _reason_rule(causes),
                _total(causes),
                claim.charge,
                claim.paid,
                claim.statement_from or _first_date(claim),
            )
        )
    for index, line in enumerate(claim.service_lines):
        causes = [a for a in line.adjustments if catalog.is_denial(a)]
        rule = _reason_rule(causes)
        if not causes and line.paid == ZERO and line.charge > ZERO:
            causes = [a for a in line.adjustments if _pursuable(a)]
            rule = f"line paid $0 with {_codes(causes)[0]}" if causes else ""
        if causes and _total(causes) > ZERO:
            findings.append(
                _finding(
                    catalog,
                    index,
                    causes,
                    line.remark_codes,
                    rule,
                    _total(causes),
                    line.charge,
                    line.paid,
                    line.service_date_from or claim.statement_from,
                )
            )
    return findings


def _pursuable(adjustment: Adjustment) -> bool:
    """Anything but patient responsibility and the contractual write-down."""
    return adjustment.group_code != PATIENT_GROUP and (
        (adjustment.group_code, adjustment.reason_code) != CONTRACTUAL
    )


def _total(adjustments: list[Adjustment]) -> Decimal:
    return sum((a.amount for a in adjustments), ZERO)


def _codes(adjustments: list[Adjustment]) -> list[str]:
    return [f"{a.group_code}-{a.reason_code}" for a in adjustments]


def _reason_rule(causes: list[Adjustment]) -> str:
    return f"denial reason {', '.join(_codes(causes))}" if causes else ""


def _first_date(claim: Claim) -> date | None:
    return next((s.service_date_from for s in claim.service_lines if s.service_date_from), None)


def _finding(catalog, line_index, causes, remarks, rule, denied, charge, paid, service_date):
    primary = max(causes, key=lambda a: a.amount) if causes else None
    carc = catalog.carcs.get(primary.reason_code) if primary else None
    category = carc.category if carc else "other"
    severity = (carc.severity if carc else "") or "hard"
    next_action = carc.next_action if carc else "appeal"
    appealable, unprocessable = True, False
    for code in remarks:
        rarc = catalog.rarcs.get(code)
        if rarc is None:
            continue
        category = rarc.category or category
        next_action = rarc.next_action or next_action
        if rarc.effect == "unprocessable":
            unprocessable, appealable, severity = True, False, "soft"
            next_action = "correct_resubmit"
        elif rarc.effect == "not_appealable":
            appealable = False
    return Finding(
        line_index=line_index,
        group_code=primary.group_code if primary else "",
        reason_code=primary.reason_code if primary else "",
        adjustment_codes=_codes(causes),
        remark_codes=list(remarks),
        category=category,
        severity=severity,
        appealable=appealable,
        unprocessable=unprocessable,
        next_action=next_action,
        rule=rule[:200],
        denied_amount=denied,
        charge_amount=charge,
        paid_amount=paid,
        service_date=service_date,
    )
