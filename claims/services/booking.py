"""Book submitted claims (an 837 or the feed): once each, with their lines, events,
originals, primary claims and the rejections a resubmission resolves."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditAction

from ..audit_rows import audit_many
from ..choices import (
    SUPERSEDED_STATUSES,
    ClaimKind,
    ClaimSource,
    EventKind,
    FrequencyCode,
    ResolvedBy,
    SubmittedStatus,
)
from ..inputs import SubmittedClaimIn
from ..models import ClaimEvent, ClaimRejection, SubmittedClaim, SubmittedLine
from ..payers import normalize, payer_ids_for
from .common import CHUNK, chunks, rejections_resolve

logger = logging.getLogger(__name__)


@dataclass
class BookResult:
    """``created``: ids of new submitted claims, in input order; ``duplicates``: for each
    input claim already on file (or repeated within the batch), the id it has; ``ids``:
    the id of every input claim, in input order."""

    created: list[int] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    replaced: int = 0
    voided: int = 0
    secondary_linked: int = 0
    rejections_resolved: int = 0
    adopted: int = 0  # submissions that took over the identity an earlier 835 had made


def identity_key(claim: SubmittedClaimIn) -> str:
    """What makes a submission the same one again: the sender's external id when given,
    else payer id, patient control number, frequency, charge, service dates and the
    submission date."""
    payer = normalize(claim.payer_identifier)
    if claim.external_id.strip():
        raw = f"ext|{payer}|{claim.external_id.strip()}"
    else:
        dates = (
            claim.service_date_from,
            claim.service_date_to,
            claim.statement_from,
            claim.statement_to,
            claim.submitted_on,
        )
        raw = "|".join(
            [
                payer,
                claim.patient_control_number.strip(),
                claim.frequency_code,
                str(Decimal(claim.charge).quantize(Decimal("0.01"))),
                *(d.isoformat() if d else "" for d in dates),
            ]
        )
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


def _existing_keys(keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(keys):
        found.update(
            SubmittedClaim.objects.filter(identity_key__in=part).values_list("identity_key", "pk")
        )
    return found


# What a submission brings to an identity an 835 made before it came (the 835 keeps its
# adjudication status and the payer's claim control number).
ADOPTED_FIELDS = [
    f.name
    for f in SubmittedClaim._meta.concrete_fields
    if f.name not in ("id", "status", "payer_claim_control_number", "created_at")
]


def _adopt_835_identities(rows: list[SubmittedClaim]) -> list[SubmittedClaim]:
    """Originals whose claim was adjudicated before the submission was on file: the 835
    made the claim an identity of its own (source 835); the submission takes it over,
    keeping its id, adjudications, events and status, so the claim stays one identity.
    Matched by payer and patient account, then the same charge and first service date."""
    originals = [r for r in rows if r.frequency_code == FrequencyCode.ORIGINAL and r.payer_id]
    if not originals:
        return []
    pool: dict[tuple, list[SubmittedClaim]] = {}
    for part in chunks(sorted({r.patient_control_number for r in originals})):
        for claim in SubmittedClaim.objects.filter(
            source=ClaimSource.X835,
            patient_control_number__in=part,
            payer_id__in={r.payer_id for r in originals},
        ).order_by("id"):
            pool.setdefault((claim.payer_id, claim.patient_control_number), []).append(claim)
    adopted = []
    for row in originals:
        found = [
            c
            for c in pool.get((row.payer_id, row.patient_control_number), [])
            if c.charge == row.charge
        ]
        served = row.service_date_from or row.statement_from
        found.sort(key=lambda c: (c.service_date_from or c.statement_from) != served)
        if not found:
            continue
        identity = found[0]
        pool[(row.payer_id, row.patient_control_number)].remove(identity)
        row.pk, row.status = identity.pk, identity.status
        row.payer_claim_control_number = identity.payer_claim_control_number
        row.created_at, row.updated_at = identity.created_at, timezone.now()
        adopted.append(row)
    return adopted


def _claim_row(key: str, c: SubmittedClaimIn, source: str, payers: dict) -> SubmittedClaim:
    payer = normalize(c.payer_identifier)
    return SubmittedClaim(
        identity_key=key,
        external_id=c.external_id.strip()[:80],
        payer_id=payers.get(payer),
        payer_identifier=payer[:80],
        payer_name=c.payer_name[:200],
        patient_control_number=c.patient_control_number.strip()[:50],
        charge=c.charge,
        submitted_on=c.submitted_on,
        source=source,
        kind=c.kind if c.kind in ClaimKind.values else ClaimKind.UNKNOWN,
        frequency_code=c.frequency_code if c.frequency_code in FrequencyCode.values else "1",
        replaces_payer_claim_control_number=c.replaces_payer_claim_control_number.strip()[:50],
        primary_payer_claim_control_number=c.primary_payer_claim_control_number.strip()[:50],
        other_payer_identifier=normalize(c.other_payer_identifier)[:80],
        clearinghouse_trace_number=c.clearinghouse_trace_number.strip()[:50],
        facility_code=c.facility_code[:3],
        place_of_service=c.place_of_service[:2],
        prior_authorization=c.prior_authorization[:50],
        referral_number=c.referral_number[:50],
        service_date_from=c.service_date_from,
        service_date_to=c.service_date_to,
        statement_from=c.statement_from,
        statement_to=c.statement_to,
        admission_date=c.admission_date,
        diagnosis_codes=[code.strip().upper() for code in c.diagnosis_codes if code.strip()],
        billing_npi=c.billing_npi[:10],
        billing_tax_id=c.billing_tax_id[:20],
        rendering_npi=c.rendering_npi[:10],
        patient_last_name=c.patient_last_name[:80],
        patient_first_name=c.patient_first_name[:80],
        member_id=c.member_id[:80],
        transaction_control_number=c.transaction_control_number[:9],
    )


def _line_rows(claim: SubmittedClaim, c: SubmittedClaimIn) -> list[SubmittedLine]:
    return [
        SubmittedLine(
            claim=claim,
            line_number=line.line_number,
            procedure_code=line.procedure_code.strip().upper()[:48],
            revenue_code=line.revenue_code.strip()[:48],
            modifiers=[m.strip().upper() for m in line.modifiers if m.strip()],
            charge=line.charge,
            units=line.units,
            service_date_from=line.service_date_from,
            service_date_to=line.service_date_to or line.service_date_from,
            line_control_number=line.line_control_number[:50],
        )
        for line in c.lines
    ]


SUBMITTED_DETAIL = {
    "1": "Submitted",
    "7": "Submitted as a replacement claim (frequency 7)",
    "8": "Submitted as a void of an earlier claim (frequency 8)",
}


@transaction.atomic
def submitted_claims_book(
    *,
    claims: Sequence[SubmittedClaimIn],
    source: str,
    actor=None,
    received_on: date | None = None,
    file_id: int | None = None,
) -> BookResult:
    """Book submitted claims once each (see ``identity_key``), with their lines and a
    "submitted" event. A replacement (7) or void (8) attaches to its original, which is
    marked replaced or voided with an event; a secondary (COB) claim links to the
    primary payer's claim of the same patient control number; a resubmission resolves
    the open rejections of earlier claims of the same payer and account. One audit row
    per claim created. Returns what was created and what was already on file."""
    received_on = received_on or timezone.localdate()
    result, keyed, order = BookResult(), {}, []
    for claim in claims:
        key = identity_key(claim)
        order.append(key)
        keyed.setdefault(key, claim)
    existing = _existing_keys(list(keyed))
    new = {key: c for key, c in keyed.items() if key not in existing}
    payers = payer_ids_for(c.payer_identifier for c in new.values())
    rows = {key: _claim_row(key, c, source, payers) for key, c in new.items()}
    for row in rows.values():
        row.file_id = file_id
    adopted = _adopt_835_identities(list(rows.values()))
    SubmittedClaim.objects.bulk_create(
        [row for row in rows.values() if row.pk is None], batch_size=CHUNK
    )
    SubmittedClaim.objects.bulk_update(adopted, ADOPTED_FIELDS, batch_size=CHUNK)
    SubmittedLine.objects.bulk_create(
        [line for key, c in new.items() for line in _line_rows(rows[key], c)], batch_size=CHUNK
    )
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(
                submitted_claim=row,
                kind=EventKind.SUBMITTED,
                occurred_on=row.submitted_on,
                detail=f"{SUBMITTED_DETAIL[row.frequency_code]} ({source}, received "
                f"{received_on.isoformat()}).",
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for row in rows.values()
        ],
        ignore_conflicts=True,
        batch_size=CHUNK,
    )
    seen: set[str] = set()
    for key in order:
        pk = rows[key].pk if key in rows else existing[key]
        result.ids.append(pk)
        if key in rows and key not in seen:
            result.created.append(pk)
        else:
            result.duplicates.append(pk)
        seen.add(key)
    created = list(rows.values())
    result.adopted = len(adopted)
    result.replaced, result.voided = _attach_to_originals(created)
    result.secondary_linked = _link_secondaries(created)
    result.rejections_resolved = _resolve_by_resubmission(created)
    audit_many(
        actor=actor,
        action=AuditAction.CREATE,
        label=SubmittedClaim._meta.label_lower,
        ids=result.created,
        channel=source,
        detail=f"submitted claim booked ({source})",
    )
    logger.info(
        "submitted claims booked: %s new, %s already on file",
        len(result.created),
        len(result.duplicates),
    )
    return result


def _account_candidates(claims: list[SubmittedClaim], extra: Q | None = None):
    """Earlier submitted claims for the accounts (patient control numbers) of ``claims``."""
    pcns = sorted({c.patient_control_number for c in claims})
    new_ids = {c.pk for c in claims}
    found = []
    for part in chunks(pcns):
        query = Q(patient_control_number__in=part)
        if extra is not None:
            query |= extra
        found.extend(SubmittedClaim.objects.filter(query).exclude(pk__in=new_ids))
    return found


def _attach_to_originals(created: list[SubmittedClaim]) -> tuple[int, int]:
    """Replacements and voids: ``original`` is the claim whose payer claim control number
    they name, else the latest earlier current claim of the same payer and account."""
    changes = [c for c in created if c.frequency_code in (FrequencyCode.REPLACEMENT, "8")]
    if not changes:
        return 0, 0
    numbers = {c.replaces_payer_claim_control_number for c in changes} - {""}
    pool = _account_candidates(changes, Q(payer_claim_control_number__in=numbers))
    updated, events, counts = {}, [], {"7": 0, "8": 0}
    for claim in changes:
        original = _original_for(claim, pool)
        if original is None:
            continue
        claim.original = original
        original.status = (
            SubmittedStatus.REPLACED if claim.frequency_code == "7" else SubmittedStatus.VOIDED
        )
        updated[original.pk] = original
        counts[claim.frequency_code] += 1
        kind = EventKind.REPLACED if claim.frequency_code == "7" else EventKind.VOIDED
        verb = "Replaced" if claim.frequency_code == "7" else "Voided"
        events.append(
            ClaimEvent(
                submitted_claim=original,
                kind=kind,
                occurred_on=claim.submitted_on,
                detail=f"{verb} by submitted claim {claim.pk}.",
            )
        )
    SubmittedClaim.objects.bulk_update(
        [c for c in changes if c.original_id], ["original"], batch_size=CHUNK
    )
    now = timezone.now()
    for original in updated.values():
        original.updated_at = now
    SubmittedClaim.objects.bulk_update(updated.values(), ["status", "updated_at"], batch_size=CHUNK)
    ClaimEvent.objects.bulk_create(events, ignore_conflicts=True)
    return counts["7"], counts["8"]


def _original_for(claim: SubmittedClaim, pool: list[SubmittedClaim]) -> SubmittedClaim | None:
    number = claim.replaces_payer_claim_control_number
    same_payer = [p for p in pool if p.payer_identifier == claim.payer_identifier]
    if number:
        named = [p for p in same_payer if p.payer_claim_control_number == number]
        named = named or [p for p in pool if p.payer_claim_control_number == number]
        if named:
            return max(named, key=lambda p: p.pk)
    earlier = [
        p
        for p in same_payer
        if p.patient_control_number == claim.patient_control_number
        and p.status != SubmittedStatus.VOIDED
        and p.frequency_code != "8"
    ]
    current = [p for p in earlier if p.status not in SUPERSEDED_STATUSES] or earlier
    return max(current, key=lambda p: p.pk) if current else None


def _link_secondaries(created: list[SubmittedClaim]) -> int:
    """A secondary (COB) claim links to the primary payer's claim of the same account:
    by the primary's payer claim control number, else the other payer's id, else any
    other payer's latest current claim for the account."""
    secondaries = [
        c for c in created if c.other_payer_identifier or c.primary_payer_claim_control_number
    ]
    if not secondaries:
        return 0
    pool = _account_candidates(secondaries) + [c for c in created if c not in secondaries]
    linked = []
    for claim in secondaries:
        others = [
            p
            for p in pool
            if p.patient_control_number == claim.patient_control_number
            and p.payer_identifier != claim.payer_identifier
            and p.status != SubmittedStatus.VOIDED
        ]
        number = claim.primary_payer_claim_control_number
        choice = [p for p in others if number and p.payer_claim_control_number == number]
        choice = choice or [
            p
            for p in others
            if claim.other_payer_identifier and p.payer_identifier == claim.other_payer_identifier
        ]
        choice = choice or ([] if claim.other_payer_identifier else others)
        if choice:
            claim.primary_claim = max(choice, key=lambda p: p.pk)
            linked.append(claim)
    SubmittedClaim.objects.bulk_update(linked, ["primary_claim"], batch_size=CHUNK)
    return len(linked)


def _resolve_by_resubmission(created: list[SubmittedClaim]) -> int:
    """Open rejections of earlier claims of the same payer and account are resolved by a
    new submission (corrected and sent again)."""
    if not created:
        return 0
    accounts = {(c.payer_identifier, c.patient_control_number) for c in created}
    new_ids = {c.pk for c in created}
    ids = []
    for part in chunks(sorted({pcn for _, pcn in accounts})):
        for pk, payer, pcn in (
            ClaimRejection.objects.open()
            .filter(submitted_claim__patient_control_number__in=part)
            .exclude(submitted_claim_id__in=new_ids)
            .values_list(
                "pk", "submitted_claim__payer_identifier", "submitted_claim__patient_control_number"
            )
        ):
            if (payer, pcn) in accounts:
                ids.append(pk)
    return rejections_resolve(rejection_ids=ids, by=ResolvedBy.RESUBMITTED)
