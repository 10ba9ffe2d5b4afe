"""The stored facts of a set of claim identities, computed from the raw rows with the
selectors of ``analytics.facts`` (so the rollups and the raw computation cannot drift)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from claims.models import ClaimRejection, SubmittedClaim, SubmittedLine
from denials.models import Denial, ReasonCode
from remittance.models import ServiceLine

from .. import facts
from ..models import ClaimFact
from .writes import among, either, reserve_ids


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


FACT_FIELDS = tuple(
    f.attname for f in ClaimFact._meta.concrete_fields
)  # id, key, root_id, ... in the table's order


class Fact:
    """A ``ClaimFact`` row being computed (lighter than a model instance: a rebuild
    makes millions). ``first_submitted_id`` (the submission the first adjudication is
    linked to) is for its codes, not stored."""

    __slots__ = (*FACT_FIELDS, "first_submitted_id")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name, DEFAULTS.get(name)))

    def row(self) -> tuple:
        return tuple(getattr(self, name) for name in FACT_FIELDS)


DEFAULTS = {
    f.attname: f.get_default() for f in ClaimFact._meta.concrete_fields if f.has_default()
} | {
    name: "" for name in ("patient_control_number", "provider", "facility_code",
                          "place_of_service", "adjudicated_provider", "adjudicated_location",
                          "adjudicated_place")
}  # fmt: skip


def root_key(root_id: int) -> str:
    return f"s:{root_id}"


def unlinked_key(payer_id: int, pcn: str) -> str:
    return f"u:{payer_id}:{pcn}"


def submission_rows(roots: set[int]) -> dict[int, Fact]:
    """Facts of the roots that are originals the provider submitted, by root id."""
    rejections = ClaimRejection.objects.filter(submitted_claim_id=OuterRef("pk"))
    rows = (
        facts.submitted_originals()
        .filter(among("pk", roots))
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
        out[pk] = Fact(
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
        family = either(
            SubmittedClaim.objects,
            among("original_id", scope.roots),
            among("pk", scope.roots),
            fields=("pk", "original_id"),
        )
        members = [pk for pk, original in family if (original or pk) in scope.roots]
        within = among("submitted_claim_id", members)
        query = facts.first_adjudications(until=None, within=within)
        rows += list(query.values_list(*ADJUDICATION_FIELDS))
    if scope.pcns:
        within = Q(submitted_claim__isnull=True) & among(
            "patient_control_number", scope.pcns, "text"
        )
        query = facts.first_adjudications(until=None, within=within)
        rows += list(query.values_list(*ADJUDICATION_FIELDS))
    return rows


def claim_facts(scope: Scope) -> list[Fact]:
    """Every identity of the scope with a submission or an adjudication, each with a
    fresh primary key."""
    by_key = {root_key(pk): fact for pk, fact in submission_rows(scope.roots).items()}
    for row in first_adjudication_rows(scope):
        (pk, root, payer, pcn, on, charge, paid, denied, before, linked, npi, rendering,
         facility, place, facility_type) = row  # fmt: skip
        key = root_key(root) if root else unlinked_key(payer, pcn)
        fact = by_key.get(key) or Fact(
            key=key, root_id=root or None, patient_control_number="" if root else pcn
        )
        fact.first_claim_id, fact.adjudicated_on = pk, on
        fact.adjudicated_charge, fact.adjudicated_payer_id = charge, payer
        fact.adjudicated_provider = npi if linked else rendering
        fact.adjudicated_location = facility if linked else facility_type
        fact.adjudicated_place = place if linked else ""
        fact.denied, fact.paid, fact.rejected_before = denied, paid > 0, before
        fact.first_submitted_id = linked
        by_key[key] = fact
    out = list(by_key.values())
    for fact, pk in zip(out, reserve_ids(ClaimFact, len(out)), strict=True):
        fact.id = pk
    return out


def fact_codes(saved: list[Fact]) -> list[tuple]:
    """The code rows (CODE_FIELDS) of computed facts (the procedure and revenue cuts)."""
    wanted: dict[tuple, set[int]] = defaultdict(set)  # (side, line owner) -> fact ids
    for fact in saved:
        if fact.submitted_on is not None:
            wanted["s", "sub", fact.root_id].add(fact.id)
        if fact.first_claim_id:
            wanted["a", "835", fact.first_claim_id].add(fact.id)
            if fact.first_submitted_id:
                wanted["a", "sub", fact.first_submitted_id].add(fact.id)
    submitted = {owner for (_, kind, owner) in wanted if kind == "sub"}
    remitted = {owner for (_, kind, owner) in wanted if kind == "835"}
    lines = [
        ("sub", *row)
        for row in SubmittedLine.objects.filter(among("claim_id", submitted))
        .values_list("claim_id", "procedure_code", "revenue_code")
        .distinct()
    ] + [
        ("835", *row)
        for row in ServiceLine.objects.filter(among("claim_id", remitted))
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
    return sorted(codes)


CODE_FIELDS = ("fact_id", "side", "field", "code")


DENIAL_FIELDS = (
    "fact_id", "denial_id", "adjudicated_on", "category", "group_code", "reason_code",
    "denied_amount", "adjustment_codes", "remark_codes", "control_point", "team_id",
    "payer_id", "provider",
)  # fmt: skip


def denial_facts(computed: list[Fact]) -> list[tuple]:
    """The denial rows (DENIAL_FIELDS) of computed facts' denied first adjudications."""
    by_claim = {f.first_claim_id: f for f in computed if f.first_claim_id and f.denied}
    catalog = dict(ReasonCode.objects.values_list("code", "control_point"))
    rows = Denial.objects.filter(among("claim_id", by_claim)).values_list(
        "pk", "claim_id", "category", "group_code", "reason_code", "denied_amount",
        "adjustment_codes", "remark_codes", "item_link__item_id",
        "item_link__item__control_point", "item_link__item__team_id",
    )  # fmt: skip
    out = []
    for row in rows:
        (pk, claim_id, category, group, reason, amount, adjustments, remarks, item, point,
         team) = row  # fmt: skip
        fact = by_claim[claim_id]
        point = point if item else catalog.get(reason, "")
        out.append((
            fact.id, pk, fact.adjudicated_on, category, group, reason, amount,
            json.dumps(adjustments), json.dumps(remarks), point or "", team,
            fact.adjudicated_payer_id, fact.adjudicated_provider,
        ))  # fmt: skip
    return out
