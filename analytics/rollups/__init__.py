"""Writing the rollups (``analytics.models``): the facts of a scope of claim identities
recomputed from the raw rows and swapped in (``refresh``), the scope of what changed
since a moment (``changed_since``), and everything at once (``rebuild``). The callers
(``analytics.services``) own the transaction and the bookkeeping."""

from __future__ import annotations

from datetime import datetime
from itertools import islice

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Coalesce

from claims.choices import FrequencyCode
from claims.models import ClaimEvent, ClaimRejection, SubmittedClaim
from remittance.models import Claim, Remittance
from worklist.choices import ItemKind
from worklist.models import WorklistItem

from ..models import ArSegment, ClaimFact, DenialFact, FactCode, ItemFact
from .ar import SEGMENT_FIELDS, ar_segments
from .days import refresh_days
from .facts import (
    CODE_FIELDS,
    DENIAL_FIELDS,
    FACT_FIELDS,
    Scope,
    claim_facts,
    denial_facts,
    fact_codes,
)
from .items import items_changed_since, refresh_items
from .writes import among, insert, is_postgres

__all__ = [
    "Scope", "changed_since", "items_changed_since", "rebuild", "refresh", "refresh_items",
]  # fmt: skip
BATCH = 10_000
STALE = ("pk", "submitted_on", "adjudicated_on")


def refresh(scope: Scope, rebuilding: bool = False) -> int:
    """Recompute the facts of every identity in ``scope`` and replace the stored ones
    (identities that no longer exist, say a claim since linked to its submission, are
    dropped), and the daily sums of their days. Idempotent. Returns the facts written."""
    written = 0
    roots, pcns = iter(sorted(scope.roots)), iter(sorted(scope.pcns))
    while batch := Scope(set(islice(roots, BATCH)), set(islice(pcns, BATCH))):
        written += _refresh(batch, rebuilding)
    if rebuilding:
        refresh_days(None, None)
    return written


def _refresh(scope: Scope, rebuilding: bool = False) -> int:
    # The stored facts of the scope, read by each key's own index, then deleted by id.
    stale = list(ClaimFact.objects.filter(among("root_id", scope.roots)).values_list(*STALE))
    unlinked = ClaimFact.objects.filter(root__isnull=True)
    stale += unlinked.filter(among("patient_control_number", scope.pcns, "text")).values_list(
        *STALE
    )
    ids = [pk for pk, _, _ in stale]
    for model in (FactCode, DenialFact, ArSegment):
        model.objects.filter(among("fact_id", ids)).delete()
    ClaimFact.objects.filter(among("pk", ids)).delete()
    submitted = {on for _, on, _ in stale}
    adjudicated = {first for _, _, first in stale}
    computed = claim_facts(scope)
    insert(ClaimFact, FACT_FIELDS, [fact.row() for fact in computed])
    insert(FactCode, CODE_FIELDS, fact_codes(computed))
    insert(ArSegment, SEGMENT_FIELDS, ar_segments(computed))
    insert(DenialFact, DENIAL_FIELDS, denial_facts(computed))
    if not rebuilding:
        submitted |= {fact.submitted_on for fact in computed}
        adjudicated |= {fact.adjudicated_on for fact in computed}
        refresh_days(submitted, adjudicated)
    return len(computed)


def rebuild() -> int:
    """Every identity's and every item's facts, from nothing. Returns the identities."""
    refresh_items(None)
    FactCode.objects.all().delete()
    DenialFact.objects.all().delete()
    ArSegment.objects.all().delete()
    ClaimFact.objects.all().delete()
    roots = set(
        SubmittedClaim.objects.filter(Q(original__isnull=True) | Q(frequency_code="1"))
        .values_list("pk", flat=True)
        .order_by()
    )
    roots |= set(
        SubmittedClaim.objects.filter(original__isnull=False)
        .values_list("original_id", flat=True)
        .order_by()
        .distinct()
    )
    pcns = set(
        Claim.objects.filter(submitted_claim__isnull=True)
        .values_list("patient_control_number", flat=True)
        .order_by()
        .distinct()
    )
    written = refresh(Scope(roots, pcns), rebuilding=True)
    analyze()
    return written


def vacuum() -> None:
    """After a rebuild has committed (PostgreSQL, outside any transaction): VACUUM sets
    the visibility map the dashboards' index-only scans need, and fresh statistics.
    Inside a transaction (tests) ``analyze`` has already done what can be done."""
    if not is_postgres() or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (ClaimFact, FactCode, DenialFact, ArSegment, ItemFact):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")  # noqa: S608


def analyze() -> None:
    """Fresh planner statistics for the rewritten tables (PostgreSQL): dashboards read
    them at once, before autovacuum would get to them."""
    if not is_postgres():
        return
    with connection.cursor() as cursor:
        for model in (ClaimFact, FactCode, DenialFact, ArSegment, ItemFact):
            cursor.execute(f"ANALYZE {model._meta.db_table}")  # noqa: S608 - model names


def scope_of_claims(claims) -> Scope:
    """The identities of some 835 claims, and each one's patient control number (the
    identity it had if it was linked to its submission only since)."""
    scope = Scope()
    for linked, original, pcn in claims.values_list(
        "submitted_claim_id", "submitted_claim__original_id", "patient_control_number"
    ).iterator(chunk_size=5000):
        scope.pcns.add(pcn)
        scope.roots |= {r for r in (linked, original) if r}
    return scope


def scope_of_submissions(ids) -> Scope:
    """The identities of some submitted claims (each one and its root), and of the 835
    claims linked to them."""
    scope = Scope()
    rows = SubmittedClaim.objects.filter(among("pk", ids)).annotate(
        root=Coalesce("original_id", "pk")
    )
    for pk, root, frequency in rows.values_list("pk", "root", "frequency_code").iterator(
        chunk_size=5000
    ):
        scope.roots.add(root)
        if frequency == FrequencyCode.ORIGINAL:
            scope.roots.add(pk)
    scope.update(scope_of_claims(Claim.objects.filter(among("submitted_claim_id", ids))))
    return scope


def changed_since(since: datetime) -> Scope:
    """Identities whose facts may have changed since ``since``: claims of remittances
    booked, submissions written or changed, rejections and acceptances recorded, and
    denial items changed (their write-offs move A/R)."""
    booked = Remittance.objects.filter(processed_at__gte=since).values("pk")
    scope = scope_of_claims(Claim.objects.filter(remittance_id__in=booked))
    touched = set(SubmittedClaim.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    for model in (ClaimRejection, ClaimEvent):
        rows = model.objects.filter(created_at__gte=since)
        touched |= set(rows.values_list("submitted_claim_id", flat=True))
    touched.discard(None)
    scope.update(scope_of_submissions(touched))
    items = WorklistItem.objects.filter(
        updated_at__gte=since, kind=ItemKind.DENIAL, claim__isnull=False
    )
    scope.update(scope_of_claims(Claim.objects.filter(pk__in=items.values("claim_id"))))
    return scope
