"""Writes for remittances: receive a file, book it, check it without booking."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from x12.remit835 import Reader, Transaction, X12ParseError

from .booking import (
    BookedTransaction,
    book_transaction,
    find_duplicate,
    link_history,
    payer_for,
    write_failed_transaction,
)
from .choices import PostingExceptionStatus, RemittanceStatus
from .models import PostingException, Remittance
from .signals import remittance_booked, transaction_parsed
from .summary import Summary

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Received:
    remittance: Remittance
    created: bool  # False: the same bytes were received before; this is that remittance

    @property
    def rejected(self) -> bool:
        return self.remittance.status == RemittanceStatus.FAILED


def fingerprint(stream: IO[bytes], *, head_bytes: int = 512) -> tuple[str, int, bytes]:
    """sha256, size and the first ``head_bytes`` of a stream, read once in chunks."""
    digest, size, head = hashlib.sha256(), 0, b""
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if len(head) < head_bytes:
            head += chunk[: head_bytes - len(head)]
    stream.seek(0)
    return digest.hexdigest(), size, head


def sniff_x12(head: bytes) -> str | None:
    """Why these first bytes cannot start an 835, or None if they can."""
    text = head.removeprefix(BOM).lstrip()
    if not text:
        return "empty file: expected an ISA or ST segment"
    if text[:3] == b"ISA" or text[:2] == b"ST":
        return None
    found = text[:20].decode("latin-1").splitlines()[0]
    return f"not an X12 file: expected an ISA or ST segment at the start, found {found!r}"


def remittance_receive(*, stream: IO[bytes], filename: str, source: str, actor=None) -> Received:
    """Store a received file verbatim, once. The same bytes received again return the
    first remittance. A file that is not X12 at all is stored as failed with the reason."""
    sha256, size, head = fingerprint(stream)
    existing = Remittance.objects.filter(sha256=sha256).first()
    if existing is not None:
        return Received(existing, created=False)
    remittance = Remittance(
        source=source, filename=filename[:255], sha256=sha256, size=size, received_by=actor
    )
    problem = sniff_x12(head)
    if problem:
        remittance.status = RemittanceStatus.FAILED
        remittance.error = f"{filename}: {problem}"
        remittance.error_detail = {"segment_number": 1, "segment_id": None, "element": None}
    remittance.raw.save(f"{sha256[:20]}.835", File(stream), save=False)
    try:
        with transaction.atomic():
            remittance.save()
    except IntegrityError:  # the same file arrived concurrently and won the race
        remittance.raw.delete(save=False)
        return Received(Remittance.objects.get(sha256=sha256), created=False)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=remittance, channel=source)
    logger.info("remittance %s received (%s, %s bytes)", remittance.pk, source, size)
    return Received(remittance, created=True)


def remittance_process(*, remittance_id: int) -> Remittance:
    """Parse and book a received remittance. Idempotent: a processed or failed remittance
    is returned unchanged, and so is one another worker is booking right now (its row is
    locked). Booking is one database transaction: an unreadable claim or transaction is
    kept as a posting exception and the rest books; damage to the envelope, or a file
    whose every transaction failed, writes no rows and marks the remittance failed with
    the error's location. Any other error that is not transient (a bug, data the database
    refuses) marks it failed with its message. Transient errors (connection lost)
    propagate for the task to retry."""
    with transaction.atomic():
        remittance = (
            Remittance.objects.select_for_update(skip_locked=True).filter(pk=remittance_id).first()
        )
        if remittance is None:  # another worker holds it: it is being booked right now
            return Remittance.objects.get(pk=remittance_id)
        if remittance.status in (RemittanceStatus.PROCESSED, RemittanceStatus.FAILED):
            return remittance
        remittance.status = RemittanceStatus.PROCESSING
        remittance.started_at = timezone.now()
        remittance.attempts += 1
        remittance.save(update_fields=["status", "started_at", "attempts"])

    with transaction.atomic():
        remittance = (
            Remittance.objects.select_for_update(skip_locked=True).filter(pk=remittance_id).first()
        )
        if remittance is None or remittance.status != RemittanceStatus.PROCESSING:
            return Remittance.objects.get(pk=remittance_id)  # another worker took it
        try:
            with transaction.atomic(), remittance.raw.open("rb") as raw:
                summary = _walk(Reader(raw), remittance=remittance)
        except X12ParseError as exc:
            _mark_failed(remittance, exc)
            return remittance
        except (OperationalError, InterfaceError):
            raise
        except Exception as exc:  # noqa: BLE001 - recorded on the file, never lost
            logger.error("remittance %s could not be booked: %s", remittance.pk, type(exc).__name__)
            _mark_broken(remittance, exc)
            return remittance
        _mark_processed(remittance, summary)
        remittance_booked.send(sender=Remittance, remittance_id=remittance.pk)
    logger.info("remittance %s processed", remittance.pk)
    return remittance


def era_claims_link_history(*, era_id: int) -> None:
    """Link the claims of one booked ERA to their history by their identity: each to the
    same claim's latest earlier payment (``previous``), earlier reversals to the claim
    that corrects them (``corrected_by``). Called inside the booking's transaction once
    the ERA's claims have their identity (the claims app links every booked transaction
    and then calls this); running it again changes nothing."""
    link_history(era_id)


def remittance_check(*, stream: IO[bytes]) -> Summary:
    """Parse and validate a file and report what booking it would find. Writes nothing.
    Raises ``X12ParseError`` on a structural error."""
    return _walk(Reader(stream), remittance=None)


def _walk(reader: Reader, *, remittance: Remittance | None) -> Summary:
    """Count every transaction; book the new ones when a remittance is given.

    A transaction that could not be read, and each quarantined claim of a booked one, is
    written as a posting exception with the booking. Raises the first error when every
    transaction failed, so the file fails as a whole and nothing is written."""
    summary, context, payers = Summary(), {}, {}
    seen: set[tuple] = set()  # payments met earlier in this same file
    book = remittance is not None
    for parsed in reader:
        if parsed.failed:
            summary.fail(parsed)
            if book:
                write_failed_transaction(parsed, remittance_id=remittance.pk)
            continue
        payer_id = payer_for(parsed, payers, create=book)
        where = _already_booked(parsed, payer_id, seen)
        if where is not None:
            summary.skip(parsed, where=where)
            continue
        summary.add(parsed)
        booked: BookedTransaction | None = None
        if book:
            booked = book_transaction(parsed, remittance_id=remittance.pk, payer_id=payer_id)
        transaction_parsed.send(
            sender=Remittance, parsed=parsed, booked=booked, summary=summary, context=context
        )
    if summary.all_failed:
        raise summary.first_error
    summary.finish(reader.warnings)
    return summary


def _already_booked(parsed: Transaction, payer_id: int | None, seen: set[tuple]) -> str | None:
    """Where the transaction's payment was booked before ("earlier in this file" or "from
    remittance N"), or None if it is new."""
    payment = parsed.payment
    key = (parsed.payer.identifier, parsed.payer.name, payment.trace_number, payment.amount)
    repeat = bool(payment.trace_number) and key in seen
    seen.add(key)
    if repeat:
        return "earlier in this file"
    earlier = find_duplicate(parsed, payer_id)
    return None if earlier is None else f"from remittance {earlier}"


def _mark_failed(remittance: Remittance, exc: X12ParseError) -> None:
    remittance.status = RemittanceStatus.FAILED
    remittance.error = f"{remittance.filename or 'file'}: {exc}"
    remittance.error_detail = {
        "segment_number": exc.segment_number,
        "segment_id": exc.segment_id,
        "element": exc.element,
        "expected": exc.expected,
    }
    remittance.posting_exception_count = 0
    remittance.processed_at = timezone.now()
    remittance.save()


def _mark_broken(remittance: Remittance, exc: Exception) -> None:
    remittance.status = RemittanceStatus.FAILED
    remittance.error = (
        f"{remittance.filename or 'file'}: could not be booked ({type(exc).__name__}: {exc}). "
        "Nothing from it was written; it can be received again once the cause is fixed."
    )[:4000]
    remittance.error_detail = {"exception": type(exc).__name__}
    remittance.processed_at = timezone.now()
    remittance.save()


def _mark_processed(remittance: Remittance, summary: Summary) -> None:
    remittance.status = RemittanceStatus.PROCESSED
    remittance.error = ""
    remittance.processed_at = timezone.now()
    remittance.warnings = summary.warnings
    remittance.transaction_count = summary.transactions
    remittance.duplicate_transaction_count = summary.duplicate_transactions
    remittance.claim_count = summary.claims
    remittance.denied_claim_count = summary.denied_claims
    remittance.service_line_count = summary.service_lines
    remittance.denial_count = summary.denials
    remittance.posting_exception_count = summary.posting_exceptions
    remittance.payment_total = summary.payment_total
    remittance.claim_paid_total = summary.claim_paid_total
    first = remittance.eras.order_by("position").first()
    if first is not None:
        remittance.isa_control_number = first.isa_control_number
        remittance.gs_control_number = first.gs_control_number
    remittance.save()


def remittance_give_up(*, remittance: Remittance, attempts: int) -> None:
    """A file whose booking failed ``attempts`` times without an answer: mark it failed,
    with the last recorded error, so it is no longer retried and a person sees it."""
    last = remittance.step_failures.filter(cleared_at__isnull=True).first()
    reason = last.message if last else "no worker finished it"
    Remittance.objects.filter(pk=remittance.pk).update(
        status=RemittanceStatus.FAILED,
        processed_at=timezone.now(),
        error=f"{remittance.filename or 'file'}: gave up after {attempts} attempts ({reason})",
    )


class PostingExceptionResolved(ValueError):
    """The posting exception was resolved already."""


@transaction.atomic
def posting_exception_resolve(
    *, exception: PostingException, actor, note: str = "", channel: str = ""
) -> PostingException:
    """Mark a posting exception worked by hand, with who, when and a note. Refused (with
    PostingExceptionResolved) if someone resolved it first."""
    exception = PostingException.objects.select_for_update().get(pk=exception.pk)
    if exception.status == PostingExceptionStatus.RESOLVED:
        raise PostingExceptionResolved("This posting exception is already resolved.")
    exception.status = PostingExceptionStatus.RESOLVED
    exception.resolved_by = actor
    exception.resolved_at = timezone.now()
    exception.resolution_note = note.strip()
    exception.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=exception, channel=channel, detail="resolved"
    )
    logger.info("posting exception %s resolved", exception.pk)
    return exception
