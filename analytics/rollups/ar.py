"""Each claim identity's insurance A/R as a step function of the day (docs/metrics.md,
"Days in A/R"), stored as segments: the balance and the membership rules of
``analytics.facts.ar_balances`` change only on the dates of the identity's events
(submissions, voids, 835 claims, reversals, rejections, acceptances, closed items), so
the balance is evaluated at each such date and held until the next one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Min, Sum
from django.utils import timezone

from claims.choices import EventKind, FrequencyCode
from claims.models import ClaimEvent, ClaimRejection, SubmittedClaim
from denials.models import Denial
from remittance.models import Adjustment, Claim
from worklist.choices import ItemKind
from worklist.models import WorklistItem

from .. import facts
from .writes import among, either

ZERO = Decimal("0.00")


@dataclass
class Family:
    """What one root's balance and membership depend on, each with its date."""

    submitted_on: date
    charges: list[tuple[date, int, Decimal]] = field(default_factory=list)
    voided_on: date | None = None
    moves: list[tuple[date, Decimal]] = field(default_factory=list)
    rejected_on: date | None = None
    accepted_on: date | None = None
    claimed_on: date | None = None

    def holds(self, day: date) -> bool:
        """In A/R at the end of ``day``: submitted, not voided, not a claim never accepted."""
        if day < self.submitted_on or _by(self.voided_on, day):
            return False
        unaccepted = not _by(self.accepted_on, day) and not _by(self.claimed_on, day)
        return not (_by(self.rejected_on, day) and unaccepted)

    def balance(self, day: date) -> Decimal:
        latest = max((c for c in self.charges if c[0] <= day), default=None)
        charge = latest[2] if latest else ZERO
        return charge + sum((amount for on, amount in self.moves if on <= day), ZERO)

    def segments(self) -> list[tuple[date, date | None, Decimal]]:
        days = {self.submitted_on, *(c[0] for c in self.charges), *(m[0] for m in self.moves)}
        days |= {d for d in (self.voided_on, self.rejected_on, self.accepted_on) if d}
        days |= {self.claimed_on} if self.claimed_on else set()
        steps = sorted(d for d in days if d >= self.submitted_on)
        out: list[tuple[date, date | None, Decimal]] = []
        for index, day in enumerate(steps):
            value = self.balance(day) if self.holds(day) else ZERO
            ends = steps[index + 1] if index + 1 < len(steps) else None
            if out and out[-1][1] == day and out[-1][2] == value:
                out[-1] = (out[-1][0], ends, value)
            else:
                out.append((day, ends, value))
        return [s for s in out if s[2] != 0]


def _by(on: date | None, day: date) -> bool:
    return on is not None and on <= day


def families(roots: dict[int, date]) -> dict[int, Family]:
    """The families of ``roots`` (root id: its submission date), read in a few queries."""
    out = {root: Family(submitted_on=on) for root, on in roots.items()}
    ids = list(roots)
    member_roots = _members(out, ids)
    claim_roots = _claims(out, member_roots)
    _denials_and_items(out, claim_roots)
    for model, date_field, extra, attr in (
        (ClaimRejection, "rejected_on", {}, "rejected_on"),
        (ClaimEvent, "occurred_on", {"kind": EventKind.ACCEPTED}, "accepted_on"),
    ):
        rows = (
            model.objects.filter(among("submitted_claim_id", member_roots), **extra)
            .values("submitted_claim_id")
            .annotate(first=Min(date_field))
            .values_list("submitted_claim_id", "first")
        )
        for member, first in rows:
            for root in member_roots[member]:
                setattr(out[root], attr, _earliest(getattr(out[root], attr), first))
    return out


def _earliest(a: date | None, b: date | None) -> date | None:
    return min(d for d in (a, b) if d) if (a or b) else None


def _members(out: dict[int, Family], ids: list[int]) -> dict[int, list[int]]:
    rows = either(
        SubmittedClaim.objects,
        among("pk", ids),
        among("original_id", ids),
        fields=("pk", "original_id", "submitted_on", "charge", "frequency_code"),
    )
    member_roots: dict[int, list[int]] = defaultdict(list)
    for pk, original, on, charge, frequency in rows:
        for root in {pk, original} & out.keys():
            member_roots[pk].append(root)
            family = out[root]
            if frequency == FrequencyCode.VOID:
                if root == original and on is not None:
                    family.voided_on = _earliest(family.voided_on, on)
            elif on is not None:
                family.charges.append((on, pk, charge))
    return member_roots


def _claims(out: dict[int, Family], member_roots: dict[int, list[int]]) -> dict:
    """The 835 claims of the families (linked to a member): payments and adjustments
    leave on the claim's date. Claims with no date count only for their closed items."""
    rows = (
        Claim.objects.filter(among("submitted_claim_id", member_roots))
        .annotate(on=facts.adjudicated_on())
        .values_list("pk", "submitted_claim_id", "on", "paid")
    )
    claim_roots: dict[int, tuple[list[int], date | None]] = {}
    for pk, linked, on, paid in rows:
        roots = member_roots[linked]
        claim_roots[pk] = (roots, on)
        for root in roots if on else ():
            out[root].moves.append((on, -paid))
            out[root].claimed_on = _earliest(out[root].claimed_on, on)
    adjusted = (
        Adjustment.objects.filter(among("claim_id", claim_roots))
        .values("claim_id")
        .annotate(total=Sum("amount"))
        .values_list("claim_id", "total")
    )
    for claim_id, total in adjusted:
        roots, on = claim_roots[claim_id]
        for root in roots if on else ():
            out[root].moves.append((on, -total))
    return claim_roots


def _denials_and_items(out: dict[int, Family], claim_roots: dict) -> None:
    """Denied amounts are pursued from their claim's date until a reversal of the claim
    (if any); denied money closed off leaves on the local day its item was resolved."""
    ids = list(claim_roots)
    reversed_on = dict(
        Claim.objects.filter(among("reversal_of_id", ids))
        .annotate(on=facts.adjudicated_on())
        .filter(on__isnull=False)
        .values("reversal_of_id")
        .annotate(first=Min("on"))
        .values_list("reversal_of_id", "first")
    )
    for claim_id, amount in Denial.objects.filter(among("claim_id", ids)).values_list(
        "claim_id", "denied_amount"
    ):
        roots, on = claim_roots[claim_id]
        for root in roots if on else ():
            out[root].moves.append((on, amount))
            if claim_id in reversed_on:
                out[root].moves.append((max(on, reversed_on[claim_id]), -amount))
    closed = WorklistItem.objects.filter(
        among("claim_id", ids),
        kind=ItemKind.DENIAL,
        resolution__in=facts.CLOSED_OFF,
        resolved_at__isnull=False,
    ).values_list("claim_id", "resolved_at", "open_amount", "recovered_amount")
    for claim_id, resolved_at, open_amount, recovered in closed:
        day = timezone.localdate(resolved_at)
        for root in claim_roots[claim_id][0]:
            out[root].moves.append((day, recovered - open_amount))


SEGMENT_FIELDS = ("fact_id", "starts_on", "ends_on", "balance", "submitted_on", "payer_id")


def ar_segments(facts_: list) -> list[tuple]:
    """The A/R segment rows (SEGMENT_FIELDS) of computed facts with a submission."""
    by_root = {f.root_id: f for f in facts_ if f.submitted_on is not None}
    rows = []
    for root, family in families({r: f.submitted_on for r, f in by_root.items()}).items():
        fact = by_root[root]
        for starts, ends, balance in family.segments():
            rows.append((fact.id, starts, ends, balance, fact.submitted_on, fact.payer_id))
    return rows
