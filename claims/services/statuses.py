"""Record claim acknowledgments (277CA, or a 999 mapped to its claims): rejections before
adjudication and acceptances. A rejection is never a denial: it stays on the submitted
side and never reaches ``denials``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditAction

from ..audit_rows import audit_many
from ..catalog import describe
from ..choices import (
    AWAITING_STATUSES,
    REJECTED_CATEGORIES,
    SUPERSEDED_STATUSES,
    EventKind,
    ResolvedBy,
    SubmittedStatus,
)
from ..inputs import ClaimStatusIn
from ..models import ClaimEvent, ClaimRejection, SubmittedClaim
from ..payers import normalize, payer_ids_for
from ..signals import claim_rejected, send_on_commit
from .common import chunks, rejections_resolve


@dataclass
class Unmatched:
    index: int  # position in the ``statuses`` given
    patient_control_number: str
    reason: str


@dataclass
class StatusResult:
    rejections: list[int] = field(default_factory=list)  # new ClaimRejection ids
    accepted: list[int] = field(default_factory=list)  # SubmittedClaim ids
    resolved: int = 0  # rejections resolved by an acceptance
    informational: int = 0  # matched, neither accepted nor rejected (pending, finalized)
    unmatched: list[Unmatched] = field(default_factory=list)


@transaction.atomic
def claim_statuses_record(
    *, statuses: Sequence[ClaimStatusIn], source: str, actor=None
) -> StatusResult:
    """Match each status to its submitted claim (clearinghouse trace number, then the
    payer's claim control number, then payer + patient control number, with charge and
    service dates to choose among several) and record it. Rejected (A3, A4, A6, A7, A8):
    a ``ClaimRejection``, a "rejected" event and status ``rejected``. Accepted: an
    "accepted" event, status ``accepted`` and its open rejections resolved. Statuses that
    match no claim are returned in ``unmatched``, never dropped. Replaying the same
    statuses adds nothing."""
    result = StatusResult()
    pool = _candidates(statuses)
    payers = payer_ids_for(s.payer_identifier for s in statuses)
    changed: dict[int, SubmittedClaim] = {}
    resolve: list[int] = []
    for index, status in enumerate(statuses):
        claim = _match(status, pool, payers)
        if claim is None:
            result.unmatched.append(
                Unmatched(index, status.patient_control_number, "no submitted claim matches")
            )
        elif status.is_rejected:
            _reject(claim, status, source, result, changed)
        elif status.is_accepted:
            resolve += _accept(claim, status, result, changed)
        else:
            result.informational += 1
    now = timezone.now()
    for claim in changed.values():
        claim.updated_at = now
    SubmittedClaim.objects.bulk_update(
        changed.values(), ["status", "payer_claim_control_number", "updated_at"], batch_size=500
    )
    result.resolved = rejections_resolve(rejection_ids=resolve, by=ResolvedBy.ACCEPTED)
    audit_many(
        actor=actor,
        action=AuditAction.CHANGE,
        label=SubmittedClaim._meta.label_lower,
        ids=sorted(changed),
        channel=source[:10],
        detail=f"claim status recorded ({source})",
    )
    send_on_commit(claim_rejected, result.rejections)
    return result


def _candidates(statuses: Sequence[ClaimStatusIn]) -> list[SubmittedClaim]:
    traces = sorted({t for s in statuses for t in s.trace_numbers if t})
    numbers = sorted({s.payer_claim_control_number for s in statuses} - {""})
    pcns = sorted({s.patient_control_number.strip() for s in statuses} - {""})
    found: dict[int, SubmittedClaim] = {}
    for field_name, values in (
        ("clearinghouse_trace_number", traces),
        ("payer_claim_control_number", numbers),
        ("patient_control_number", pcns),
    ):
        for part in chunks(values):
            for claim in SubmittedClaim.objects.filter(Q(**{f"{field_name}__in": part})):
                found[claim.pk] = claim
    return list(found.values())


def _match(
    status: ClaimStatusIn, pool: list[SubmittedClaim], payers: dict[str, int]
) -> SubmittedClaim | None:
    traces = set(status.trace_numbers) - {""}
    by_trace = [c for c in pool if traces and c.clearinghouse_trace_number in traces]
    if by_trace:
        return _best(by_trace, status)
    number = status.payer_claim_control_number
    by_number = [c for c in pool if number and c.payer_claim_control_number == number]
    if by_number:
        return _best(by_number, status)
    payer = normalize(status.payer_identifier)
    payer_id = payers.get(payer)
    by_account = [
        c
        for c in pool
        if c.patient_control_number == status.patient_control_number.strip()
        and (
            not payer
            or c.payer_identifier == payer
            or (payer_id is not None and c.payer_id == payer_id)
        )
    ]
    return _best(by_account, status) if by_account else None


def _best(claims: list[SubmittedClaim], status: ClaimStatusIn) -> SubmittedClaim:
    """Among several: current, same charge, same service dates, latest."""

    def score(c: SubmittedClaim):
        return (
            c.status not in SUPERSEDED_STATUSES,
            status.charge is not None and c.charge == status.charge,
            status.service_date_from is not None
            and status.service_date_from in (c.service_date_from, c.statement_from),
            c.pk,
        )

    return max(claims, key=score)


def _codes(status: ClaimStatusIn):
    rejecting = [c for c in status.codes if c.category in REJECTED_CATEGORIES]
    return (rejecting or list(status.codes) or [None])[0]


def _reject(claim, status: ClaimStatusIn, source: str, result: StatusResult, changed) -> None:
    code = _codes(status)
    rejection, created = ClaimRejection.objects.get_or_create(
        submitted_claim=claim,
        source=source,
        rejected_on=status.status_date,
        category_code=(code.category if code else "A3")[:3],
        status_code=(code.status if code else "")[:5],
        entity_code=(code.entity if code else "")[:3],
        defaults={
            "status_codes": [str(c) for c in status.codes],
            "trace_numbers": [t for t in status.trace_numbers if t],
        },
    )
    if not created:
        return
    result.rejections.append(rejection.pk)
    words = "; ".join(describe(c.category, c.status) for c in status.codes) or "Rejected."
    ClaimEvent.objects.get_or_create(
        submitted_claim=claim,
        kind=EventKind.REJECTED,
        rejection=rejection,
        defaults={"occurred_on": status.status_date, "detail": f"{source}: {words}"[:2000]},
    )
    if claim.status in AWAITING_STATUSES:
        claim.status = SubmittedStatus.REJECTED
        changed[claim.pk] = claim


def _accept(claim, status: ClaimStatusIn, result: StatusResult, changed) -> list[int]:
    words = "; ".join(describe(c.category, c.status) for c in status.codes) or "Accepted."
    ClaimEvent.objects.get_or_create(
        submitted_claim=claim,
        kind=EventKind.ACCEPTED,
        occurred_on=status.status_date,
        remittance_claim=None,
        rejection=None,
        defaults={"detail": words[:2000]},
    )
    result.accepted.append(claim.pk)
    if claim.status in (SubmittedStatus.SUBMITTED, SubmittedStatus.REJECTED):
        claim.status = SubmittedStatus.ACCEPTED
        changed[claim.pk] = claim
    if status.payer_claim_control_number and not claim.payer_claim_control_number:
        claim.payer_claim_control_number = status.payer_claim_control_number[:50]
        changed[claim.pk] = claim
    return list(
        claim.rejections.open()
        .filter(rejected_on__lte=status.status_date)
        .values_list("pk", flat=True)
    )
