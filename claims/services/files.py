"""Claim files: any X12 file this product reads comes in through one door, which tells an
835 (booked as a remittance) from an 837, 277CA or 999 (read here) by its ST01/GS01.

A claim file is stored verbatim once (the same bytes again return the first one) and read
in one database transaction: an error anywhere writes no claim and no status, and the file
is marked failed with the error's location (file, segment number, segment id, element)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO

from django.core.files import File
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from remittance.models import Remittance
from remittance.services import fingerprint, remittance_receive, sniff_x12
from x12 import X12ParseError, detect_kind
from x12.ack277ca import Reader277CA
from x12.ack999 import Reader999
from x12.claim837 import Reader837

from ..choices import ClaimSource, FileKind, FileStatus, RejectionSource
from ..inputs import ClaimStatusIn, StatusCodeIn
from ..models import ClaimFile, SubmittedClaim
from ..signals import claim_file_processed
from ..x12_input import claim_status_in, submitted_claim_in
from .booking import submitted_claims_book
from .statuses import claim_statuses_record

logger = logging.getLogger(__name__)

HEAD = 1 << 16


@dataclass(frozen=True)
class Inbound:
    """A received file: ``remittance`` for an 835, ``claim_file`` otherwise."""

    kind: str  # "835", "837", "277CA", "999", or "" when it is not X12 this product reads
    created: bool
    remittance: Remittance | None = None
    claim_file: ClaimFile | None = None

    @property
    def record(self):
        return self.remittance or self.claim_file

    @property
    def rejected(self) -> bool:
        return self.record.status == FileStatus.FAILED


def error_detail(exc: X12ParseError) -> dict:
    return {
        "segment_number": exc.segment_number,
        "segment_id": exc.segment_id,
        "element": exc.element,
        "expected": exc.expected,
    }


def _kind_of(head: bytes) -> tuple[str, str, dict]:
    """(kind, problem, error detail) from a file's first bytes: the kind is "" and the
    problem says why when it is not X12 or carries a set this product does not read."""
    problem = sniff_x12(head)
    if problem:
        return "", problem, {"segment_number": 1}
    try:
        return detect_kind(head), "", {}
    except X12ParseError as exc:
        return "", str(exc), error_detail(exc)


def inbound_receive(*, stream: IO[bytes], filename: str, source: str, actor=None) -> Inbound:
    """Store a received X12 file, once, where it belongs: an 835 as a remittance, an 837,
    277CA or 999 as a claim file. A file that is not X12, or carries a transaction set
    this product does not read, is stored as a failed claim file with the reason."""
    sha256, size, head = fingerprint(stream, head_bytes=HEAD)
    known = Remittance.objects.filter(sha256=sha256).first()
    if known is not None:
        return Inbound("835", created=False, remittance=known)
    known = ClaimFile.objects.filter(sha256=sha256).first()
    if known is not None:
        return Inbound(known.kind, created=False, claim_file=known)
    kind, problem, detail = _kind_of(head)
    if kind == "835":
        received = remittance_receive(stream=stream, filename=filename, source=source, actor=actor)
        return Inbound("835", created=received.created, remittance=received.remittance)
    claim_file = ClaimFile(
        kind=kind, source=source, filename=filename[:255], sha256=sha256, size=size,
        received_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    if problem:
        claim_file.status = FileStatus.FAILED
        claim_file.error = f"{filename}: {problem}"
        claim_file.error_detail = detail
    claim_file.raw.save(f"{sha256[:20]}.x12", File(stream), save=False)
    try:
        with transaction.atomic():
            claim_file.save()
    except IntegrityError:  # the same file arrived concurrently and won the race
        claim_file.raw.delete(save=False)
        return Inbound(kind, created=False, claim_file=ClaimFile.objects.get(sha256=sha256))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=claim_file, channel=source)
    logger.info("claim file %s received (%s, %s, %s bytes)", claim_file.pk, kind, source, size)
    return Inbound(kind, created=True, claim_file=claim_file)


def upload_kind(stream: IO[bytes]) -> str:
    """The transaction set an upload carries ("835", "837", "277CA", "999"), or "" when
    that cannot be told (not X12, or a set this product does not read): the stream is
    left where it was."""
    head = stream.read(HEAD)
    stream.seek(0)
    return _kind_of(head)[0]


@dataclass
class FileSummary:
    """What reading a claim file found (and, unless a dry run, booked)."""

    kind: str
    transactions: int = 0
    claims: int = 0
    service_lines: int = 0
    charge_total: Decimal = Decimal("0")
    accepted: int = 0
    rejected: int = 0
    gs_control_number: str = ""
    created: int = 0
    duplicates: int = 0
    unmatched: int = 0
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        if self.kind == FileKind.X837:
            return {
                "transactions": self.transactions,
                "claims": self.claims,
                "service_lines": self.service_lines,
                "charge_total": str(self.charge_total),
                "created": self.created,
                "duplicates": self.duplicates,
            }
        return {
            "transactions": self.transactions,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unmatched": self.unmatched,
        }


def claim_file_read(
    *,
    stream,
    kind: str,
    file_id: int | None = None,
    book: bool = True,
    received_on: date | None = None,
) -> FileSummary:
    """Read a claim file and, with ``book``, record what it says (run it inside a database
    transaction: it raises X12ParseError for any unreadable transaction, so nothing is
    half-written). Without ``book`` it only counts (a dry run)."""
    received_on = received_on or timezone.localdate()
    summary = FileSummary(kind=kind)
    if kind == FileKind.X837:
        _read_837(stream, summary, file_id=file_id, book=book, received_on=received_on)
    elif kind == FileKind.X277CA:
        _read_277ca(stream, summary, book=book, received_on=received_on)
    elif kind == FileKind.X999:
        _read_999(stream, summary, book=book, received_on=received_on)
    else:
        raise X12ParseError(f"not a claim file this product reads ({kind or 'unknown kind'})")
    return summary


def _failed(tx) -> None:
    if tx.failed:
        raise tx.error


def _read_837(stream, summary: FileSummary, *, file_id, book: bool, received_on: date) -> None:
    for tx in Reader837(stream):
        _failed(tx)
        if tx.exceptions:
            first = tx.exceptions[0]
            raise first.error or X12ParseError(first.message)
        summary.transactions += 1
        summary.warnings.extend(tx.warnings)
        summary.gs_control_number = summary.gs_control_number or _number(
            tx.envelope.gs_control_number
        )
        claims = [submitted_claim_in(tx, c, received_on=received_on) for c in tx.claims]
        summary.claims += len(claims)
        summary.service_lines += sum(len(c.lines) for c in tx.claims)
        summary.charge_total += sum((c.charge for c in tx.claims), Decimal("0"))
        if book and claims:
            result = submitted_claims_book(
                claims=claims, source=ClaimSource.X837, received_on=received_on, file_id=file_id
            )
            summary.created += len(result.created)
            summary.duplicates += len(result.duplicates)


def _read_277ca(stream, summary: FileSummary, *, book: bool, received_on: date) -> None:
    for tx in Reader277CA(stream):
        _failed(tx)
        summary.transactions += 1
        summary.warnings.extend(tx.warnings)
        statuses = [
            claim_status_in(c, created_on=tx.created_on, received_on=received_on) for c in tx.claims
        ]
        summary.accepted += sum(1 for s in statuses if s.is_accepted)
        summary.rejected += sum(1 for s in statuses if s.is_rejected)
        if book and statuses:
            result = claim_statuses_record(statuses=statuses, source=RejectionSource.X277CA)
            summary.unmatched += len(result.unmatched)


def _read_999(stream, summary: FileSummary, *, book: bool, received_on: date) -> None:
    """A 999 accepts or rejects whole 837 transaction sets (AK2 names each by its ST02, AK1
    its group by GS06). Every claim booked from a rejected set is rejected with the set's
    IK5 status; claims of an accepted set are only counted (a 999 checks the file's
    syntax: acceptance into adjudication is the 277CA's to say)."""
    for tx in Reader999(stream):
        _failed(tx)
        summary.transactions += 1
        summary.warnings.extend(tx.warnings)
        files = list(
            ClaimFile.objects.filter(
                kind=FileKind.X837, gs_control_number=_number(tx.group_control_number)
            ).values_list("pk", flat=True)
        )
        rejected: list[ClaimStatusIn] = []
        for response in tx.sets:
            claims = list(
                SubmittedClaim.objects.filter(
                    file_id__in=files, transaction_control_number=response.control_number
                ).only(
                    "patient_control_number",
                    "payer_identifier",
                    "clearinghouse_trace_number",
                    "charge",
                )  # fmt: skip
            )
            if not response.rejected:
                summary.accepted += len(claims)
                continue
            summary.rejected += len(claims)
            rejected += [
                ClaimStatusIn(
                    patient_control_number=claim.patient_control_number,
                    payer_identifier=claim.payer_identifier,
                    status_date=tx.envelope.isa_date or received_on,
                    codes=(StatusCodeIn(category="A3"),),
                    accepted=False,
                    trace_numbers=tuple(t for t in (claim.clearinghouse_trace_number,) if t),
                    charge=claim.charge,
                    extra={"ik5": response.status, "codes": list(response.status_codes)},
                )
                for claim in claims
            ]
        if book and rejected:
            claim_statuses_record(statuses=rejected, source=RejectionSource.X999)


def _number(control_number: str) -> str:
    """A control number as a number: GS06 "000123" and AK102 "123" name the same group."""
    return control_number.strip().lstrip("0")[:9] or ("0" if control_number.strip() else "")


def _locked(file_id: int) -> ClaimFile | None:
    """The file's row, locked; None when another worker holds it."""
    return ClaimFile.objects.select_for_update(skip_locked=True).filter(pk=file_id).first()


def claim_file_process(*, file_id: int) -> ClaimFile:
    """Read and record a received claim file. Idempotent: a processed or failed file is
    returned unchanged, and so is one another worker is reading right now. Transient
    errors (connection lost) propagate for the task to retry."""
    # The attempt is counted in a transaction of its own, so a worker that dies mid-file
    # leaves it counted (the sweep gives up after MAX_ATTEMPTS) and the file in processing.
    with transaction.atomic():
        claim_file = _locked(file_id)
        if claim_file is None:
            return ClaimFile.objects.get(pk=file_id)
        if claim_file.status in (FileStatus.PROCESSED, FileStatus.FAILED):
            return claim_file
        claim_file.status, claim_file.started_at = FileStatus.PROCESSING, timezone.now()
        claim_file.attempts += 1
        claim_file.save(update_fields=["status", "started_at", "attempts"])
    with transaction.atomic():
        claim_file = _locked(file_id)
        if claim_file is None or claim_file.status != FileStatus.PROCESSING:
            return ClaimFile.objects.get(pk=file_id)  # another worker took it
        try:
            with transaction.atomic(), claim_file.raw.open("rb") as raw:
                summary = claim_file_read(
                    stream=raw, kind=claim_file.kind, file_id=claim_file.pk,
                    received_on=timezone.localdate(claim_file.received_at),
                )  # fmt: skip
        except X12ParseError as exc:
            claim_file.status = FileStatus.FAILED
            claim_file.error = f"{claim_file.filename or 'file'}: {exc}"
            claim_file.error_detail = error_detail(exc)
        except (OperationalError, InterfaceError):
            raise
        except Exception as exc:  # noqa: BLE001 - recorded on the file, never lost
            logger.error("claim file %s could not be read: %s", claim_file.pk, type(exc).__name__)
            claim_file.status = FileStatus.FAILED
            claim_file.error = (
                f"{claim_file.filename or 'file'}: could not be read ({type(exc).__name__}); "
                "nothing was recorded"
            )
        else:
            claim_file.status = FileStatus.PROCESSED
            claim_file.counts = summary.counts()
            claim_file.gs_control_number = summary.gs_control_number
            claim_file.warnings = summary.warnings[:200]
        claim_file.processed_at = timezone.now()
        claim_file.save()
        if claim_file.status == FileStatus.PROCESSED:
            pk = claim_file.pk
            transaction.on_commit(lambda: claim_file_processed.send(sender=None, file_id=pk))
    logger.info("claim file %s %s", claim_file.pk, claim_file.status)
    return claim_file
