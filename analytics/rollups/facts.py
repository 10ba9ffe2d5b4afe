"""The stored facts of a set of claim identities, computed from the raw rows with the
selectors of ``analytics.facts`` (so the rollups and the raw computation cannot drift)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from claims.models import ClaimRejection, SubmittedClaim, SubmittedLine
from remittance.models import ServiceLine

from .. import facts
from ..models import ClaimFact, FactCode


@dataclass
class Scope:
    """Claim identities to refresh: by root submitted claim, and (for 835 claims with no
    submission) by patient control number, every payer's. A wider scope is always right,
    only slower: each identity in it is computed whole."""

    roots: set[int] = field(default_factory=set)
    pcns: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.roots or self.pcns)

    def __len__(self) -> int:
        return len(self.roots) + len(self.pcns)

    def update(self, other: Scope) -> None:
        self.roots |= other.roots
        self.pcns |= other.pcns


def root_key(root_id: int) -> str:
    return f"s:{root_id}"


def unlinked_key(payer_id: int, pcn: str) -> str:
    return f"u:{payer_id}:{pcn}"


def submission_rows(roots: set[int]) -> dict[int, ClaimFact]:
    """Facts of the roots that are originals the provider submitted, by root id."""
    rejections = ClaimRejection.objects.filter(submitted_claim_id=OuterRef("pk"))
    rows = (
        facts.submitted_originals()
        .filter(pk__in=roots)
        .annotate(was_rejected=Exists(rejections))
        .values_list(
            "pk",
            "submitted_on",
            "charge",
            "payer_id",
            "rendering_npi",
            "facility_code",
            "place_of_service",
            "was_rejected",
        )  # fmt: skip
    )
    out = {}
    for pk, on, charge, payer, npi, facility, place, rejected in rows.iterator(chunk_size=5000):
        out[pk] = ClaimFact(
            key=root_key(pk), root_id=pk, submitted_on=on, charge=charge, payer_id=payer,
            provider=npi, facility_code=facility, place_of_service=place, rejected=rejected,
        )  # fmt: skip
    return out


ADJUDICATION_FIELDS = (
    "pk", "root_id", "payer_id", "patient_control_number", "adjudicated_on", "charge", "paid",
    "denied", "rejected_before", "submitted_claim_id", "submitted_claim__rendering_npi",
    "rendering_provider_id", "submitted_claim__facility_code",
    "submitted_claim__place_of_service", "facility_type",
)  # fmt: skip


def first_adjudication_rows(scope: Scope) -> list[tuple]:
    """The first adjudication of each identity in the scope, as ADJUDICATION_FIELDS."""
    rows = []
    if scope.roots:
        # The submissions whose root (their original, else themselves) is in the scope.
        family = SubmittedClaim.objects.filter(
            Q(original_id__in=list(scope.roots)) | Q(pk__in=list(scope.roots))
        ).values_list("pk", "original_id")
        members = [pk for pk, original in family if (original or pk) in scope.roots]
        within = Q(submitted_claim_id__in=members)
        query = facts.first_adjudications(until=None, within=within)
        rows += list(query.values_list(*ADJUDICATION_FIELDS))
    if scope.pcns:
        within = Q(submitted_claim__isnull=True, patient_control_number__in=list(scope.pcns))
        query = facts.first_adjudications(until=None, within=within)
        rows += list(query.values_list(*ADJUDICATION_FIELDS))
    return rows


def claim_facts(scope: Scope) -> dict[str, ClaimFact]:
    """Every identity of the scope with a submission or an adjudication, by key."""
    by_key = {root_key(pk): fact for pk, fact in submission_rows(scope.roots).items()}
    for row in first_adjudication_rows(scope):
        (pk, root, payer, pcn, on, charge, paid, denied, before, linked, npi, rendering,
         facility, place, facility_type) = row  # fmt: skip
        key = root_key(root) if root else unlinked_key(payer, pcn)
        fact = by_key.get(key) or ClaimFact(
            key=key, root_id=root or None, patient_control_number="" if root else pcn
        )
        fact.first_claim_id, fact.adjudicated_on = pk, on
        fact.adjudicated_charge, fact.adjudicated_payer_id = charge, payer
        fact.adjudicated_provider = npi if linked else rendering
        fact.adjudicated_location = facility if linked else facility_type
        fact.adjudicated_place = place if linked else ""
        fact.denied, fact.paid, fact.rejected_before = denied, paid > 0, before
        fact.first_submitted_id = linked  # for the codes, not stored
        by_key[key] = fact
    return by_key


def fact_codes(saved: list[ClaimFact]) -> list[FactCode]:
    """The code rows of freshly saved facts (docs/metrics.md, procedure/revenue cuts)."""
    wanted: dict[tuple, set[int]] = defaultdict(set)  # (side, line owner) -> fact ids
    for fact in saved:
        if fact.submitted_on is not None:
            wanted["s", "sub", fact.root_id].add(fact.pk)
        if fact.first_claim_id:
            wanted["a", "835", fact.first_claim_id].add(fact.pk)
            if linked := getattr(fact, "first_submitted_id", None):
                wanted["a", "sub", linked].add(fact.pk)
    submitted = {owner for (_, kind, owner) in wanted if kind == "sub"}
    remitted = {owner for (_, kind, owner) in wanted if kind == "835"}
    lines = [
        ("sub", *row)
        for row in SubmittedLine.objects.filter(claim_id__in=submitted)
        .values_list("claim_id", "procedure_code", "revenue_code")
        .distinct()
    ] + [
        ("835", *row)
        for row in ServiceLine.objects.filter(claim_id__in=remitted)
        .values_list("claim_id", "procedure_code", "revenue_code")
        .distinct()
    ]
    codes = set()
    for kind, owner, procedure, revenue in lines:
        for side in ("s", "a"):
            for fact_id in wanted.get((side, kind, owner), ()):
                if procedure:
                    codes.add((fact_id, side, "p", procedure))
                if revenue:
                    codes.add((fact_id, side, "r", revenue))
    return [FactCode(fact_id=f, side=s, field=k, code=c) for f, s, k, c in codes]
