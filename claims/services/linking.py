"""Link the claims of a booked 835 transaction to their submitted claims.

Called for every booked transaction (``remittance.signals.transaction_parsed``), inside
the booking's database transaction. Set-based: a fixed handful of queries per
transaction, whatever its size (a file can hold 20,000 claims)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils import timezone

from remittance.models import Claim, ServiceLine
from remittance.services import era_claims_link_history

from ..choices import (
    AWAITING_STATUSES,
    SUPERSEDED_STATUSES,
    ClaimSource,
    EventKind,
    ResolvedBy,
    SubmittedStatus,
)
from ..models import ClaimEvent, ClaimRejection, SubmittedClaim
from ..payers import identifiers_of
from .common import CHUNK, rejections_resolve

CLAIM_FIELDS = [
    "id",
    "patient_control_number",
    "status_code",
    "charge",
    "paid",
    "patient_responsibility",
    "payer_claim_control_number",
    "frequency_code",
    "statement_from",
    "statement_to",
    "received_date",
    "reversal_of_id",
    "reversal_of__submitted_claim_id",
    "remittance_id",
    "era__production_date",
    "era__payment_date",
]

OUTCOMES = {
    EventKind.ADJUDICATED_PAID: SubmittedStatus.PAID,
    EventKind.ADJUDICATED_DENIED: SubmittedStatus.DENIED,
    EventKind.ADJUDICATED_PARTIAL: SubmittedStatus.PARTLY_PAID,
    EventKind.REVERSED: SubmittedStatus.REVERSED,
}


@dataclass
class LinkResult:
    linked: int = 0  # booked claims linked to a submitted claim on file
    created: int = 0  # identities made for claims with no submission on file
    rejections_resolved: int = 0


def outcome(row: dict, unpaid_lines: int) -> str:
    """The adjudication event of an 835 claim: reversed (status 22); denied (status 4,
    23, or nothing paid and nothing left to the patient); partly paid (paid, but some
    charged line paid nothing); else paid."""
    paid = row["paid"] or Decimal("0")
    if row["status_code"] == "22":
        return EventKind.REVERSED
    if row["status_code"] in ("4", "23"):
        return EventKind.ADJUDICATED_DENIED
    if paid <= 0:
        if (row["patient_responsibility"] or Decimal("0")) > 0:
            return EventKind.ADJUDICATED_PAID
        return EventKind.ADJUDICATED_DENIED
    if unpaid_lines:
        return EventKind.ADJUDICATED_PARTIAL
    return EventKind.ADJUDICATED_PAID


def submitted_claims_link_era(*, era_id: int, payer_id: int, context: dict) -> LinkResult:
    """Link every claim of one booked ERA to its submitted claim (by payer, directly or
    through a payer alias, and patient control number; a reversal follows the claim it
    reverses), and by it to the same claim's earlier payments and corrections
    (``remittance.services.era_claims_link_history``); add the adjudication events,
    update the claims' status, resolve their open rejections. A claim with no submission
    on file gets an identity of its own (source 835)."""
    _map_submissions(payer_id, context)
    rows = list(Claim.objects.filter(era_id=era_id).order_by("position").values(*CLAIM_FIELDS))
    if not rows:
        return LinkResult()
    lines = {
        r["claim_id"]: r
        for r in ServiceLine.objects.filter(claim__era_id=era_id)
        .values("claim_id")
        .annotate(first=Min("service_date_from"), unpaid=Count("id", filter=_unpaid()))
    }
    pool = _candidates(era_id, payer_id, context)
    chosen, created = _choose_all(rows, lines, pool, payer_id)
    SubmittedClaim.objects.bulk_create(created, batch_size=CHUNK)
    Claim.objects.bulk_update(
        [Claim(id=row["id"], submitted_claim_id=chosen[row["id"]].pk) for row in rows],
        ["submitted_claim"],
        batch_size=CHUNK,
    )
    era_claims_link_history(era_id=era_id)
    corrections = set(
        Claim.objects.filter(corrected_by__era_id=era_id).values_list("corrected_by_id", flat=True)
    )
    return _write(rows, lines, corrections, chosen, created, payer_id, era_id)


def _map_submissions(payer_id: int, context: dict) -> None:
    """Submissions that named this payer before any 835 had booked it (so their payer id
    mapped to no payer) now name it: once per payer per file."""
    done = context.setdefault("claims.mapped_payers", set())
    if payer_id in done:
        return
    done.add(payer_id)
    cache = context.setdefault("claims.payer_identifiers", {})
    if payer_id not in cache:
        cache[payer_id] = identifiers_of(payer_id)
    SubmittedClaim.objects.filter(payer__isnull=True, payer_identifier__in=cache[payer_id]).update(
        payer_id=payer_id, updated_at=timezone.now()
    )


def _unpaid() -> Q:
    return Q(paid=0, charge__gt=0)


def _candidates(era_id: int, payer_id: int, context: dict) -> dict[str, list[SubmittedClaim]]:
    cache = context.setdefault("claims.payer_identifiers", {})
    if payer_id not in cache:
        cache[payer_id] = identifiers_of(payer_id)
    accounts = Claim.objects.filter(era_id=era_id).values("patient_control_number")
    pool = defaultdict(list)
    for claim in SubmittedClaim.objects.filter(patient_control_number__in=accounts).filter(
        Q(payer_id=payer_id) | Q(payer__isnull=True, payer_identifier__in=cache[payer_id])
    ):
        pool[claim.patient_control_number].append(claim)
    return pool


def _choose_all(rows, lines, pool, payer_id):
    """The submitted claim of every booked claim, in order (so a reversal and its
    correction in one file find the identity the first made); and the new identities."""
    chosen: dict[int, SubmittedClaim] = {}
    by_id: dict[int, SubmittedClaim] = {c.pk: c for cs in pool.values() for c in cs}
    created: list[SubmittedClaim] = []
    for row in rows:
        claim = _reversed_claim(row, chosen, by_id) or _best(
            row, lines.get(row["id"]), pool[row["patient_control_number"]]
        )
        if claim is None:
            claim = _identity(row, lines.get(row["id"]), payer_id)
            created.append(claim)
            pool[row["patient_control_number"]].append(claim)
        chosen[row["id"]] = claim
    return chosen, created


def _reversed_claim(row, chosen, by_id) -> SubmittedClaim | None:
    if row["status_code"] != "22":
        return None
    if row["reversal_of_id"] in chosen:
        return chosen[row["reversal_of_id"]]
    return by_id.get(row["reversal_of__submitted_claim_id"])


def _service_date(row, line) -> date | None:
    return row["statement_from"] or (line["first"] if line else None)


def _best(row, line, candidates: list[SubmittedClaim]) -> SubmittedClaim | None:
    """Prefer: not voided, the same payer claim control number, the same charge and
    service date, not yet adjudicated, the same frequency; then the latest."""
    if not candidates:
        return None
    number, served = row["payer_claim_control_number"], _service_date(row, line)
    charge = abs(row["charge"])

    def score(c: SubmittedClaim):
        pccn = 2 if number and c.payer_claim_control_number == number else 0
        pccn = pccn or (1 if not c.payer_claim_control_number else 0)
        return (
            c.status != SubmittedStatus.VOIDED and c.frequency_code != "8",
            pccn,
            c.charge == charge,
            served is not None and served in (c.service_date_from, c.statement_from),
            c.status not in SUPERSEDED_STATUSES,
            c.status in AWAITING_STATUSES,
            (row["frequency_code"] or "1") == c.frequency_code,
            c.pk or 0,
        )

    return max(candidates, key=score)


def _occurred(row) -> date:
    return (
        row["era__production_date"]
        or row["era__payment_date"]
        or row["received_date"]
        or timezone.localdate()
    )


def _identity(row, line, payer_id: int) -> SubmittedClaim:
    served = _service_date(row, line)
    return SubmittedClaim(
        identity_key=f"835:{row['id']}",
        payer_id=payer_id,
        payer_identifier="",
        patient_control_number=row["patient_control_number"],
        charge=abs(row["charge"]),
        submitted_on=row["received_date"],
        source=ClaimSource.X835,
        frequency_code=row["frequency_code"] if row["frequency_code"] in ("1", "7", "8") else "1",
        payer_claim_control_number=row["payer_claim_control_number"],
        statement_from=row["statement_from"],
        statement_to=row["statement_to"],
        service_date_from=served,
    )


def _write(rows, lines, corrections, chosen, created, payer_id, era_id) -> LinkResult:
    events, changed, now = [], {}, timezone.now()
    for row in rows:
        claim = chosen[row["id"]]
        line = lines.get(row["id"])
        kind = outcome(row, line["unpaid"] if line else 0)
        events.append(_event(claim, kind, row))
        if row["id"] in corrections:
            events.append(_event(claim, EventKind.CORRECTED, row))
        if claim.status not in SUPERSEDED_STATUSES:
            claim.status = OUTCOMES[kind]
        if kind != EventKind.REVERSED and row["payer_claim_control_number"]:
            claim.payer_claim_control_number = (
                claim.payer_claim_control_number or (row["payer_claim_control_number"])
            )
        claim.payer_id = claim.payer_id or payer_id
        claim.updated_at = now
        changed[claim.pk] = claim
    SubmittedClaim.objects.bulk_update(
        changed.values(),
        ["status", "payer", "payer_claim_control_number", "updated_at"],
        batch_size=CHUNK,
    )
    ClaimEvent.objects.bulk_create(events, ignore_conflicts=True, batch_size=CHUNK)
    rejected = ClaimRejection.objects.open().filter(submitted_claim__adjudications__era_id=era_id)
    resolved = rejections_resolve(
        rejection_ids=list(rejected.values_list("pk", flat=True)), by=ResolvedBy.ADJUDICATED
    )
    new = {c.pk for c in created}
    linked = sum(1 for row in rows if chosen[row["id"]].pk not in new)
    return LinkResult(linked=linked, created=len(created), rejections_resolved=resolved)


EVENT_WORDS = {
    EventKind.ADJUDICATED_PAID: "Paid",
    EventKind.ADJUDICATED_DENIED: "Denied",
    EventKind.ADJUDICATED_PARTIAL: "Partly paid",
    EventKind.REVERSED: "Reversed",
    EventKind.CORRECTED: "Corrected claim after a reversal",
}


def _event(claim: SubmittedClaim, kind: str, row) -> ClaimEvent:
    detail = (
        f"{EVENT_WORDS[kind]}: CLP status {row['status_code']}, charged {row['charge']}, "
        f"paid {row['paid']} (remittance {row['remittance_id']})."
    )
    return ClaimEvent(
        submitted_claim=claim,
        kind=kind,
        occurred_on=_occurred(row),
        remittance_claim_id=row["id"],
        detail=detail,
    )
