"""Writes for an appeal's evidence: add a file (checked by its content, size limited,
stored once through Django's storage API) and remove one before the appeal is sent.
Every page and API door calls these, so none skips the checks."""

from __future__ import annotations

import logging
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from audit.models import AuditAction
from audit.services import audit_record
from remittance.services import fingerprint
from worklist.services.items import _check_holder

from .choices import AppealStatus, EventKind, EvidenceType
from .evidence import ACCEPTED, HEAD_BYTES, display_name, sniff
from .models import Appeal, AppealEvent, Evidence, evidence_path
from .services import AppealRefused

logger = logging.getLogger(__name__)

# Evidence is removed only before the appeal is sent: what the payer has is kept.
REMOVABLE = (AppealStatus.DRAFT, AppealStatus.READY)


class EvidenceRefused(AppealRefused):
    """The file is not taken (empty, not an accepted type) or cannot be removed."""


class EvidenceTooLarge(EvidenceRefused):
    """Larger than ``APPEALS_EVIDENCE_MAX_BYTES``."""


def max_bytes() -> int:
    return settings.APPEALS_EVIDENCE_MAX_BYTES


def check_size(name: str, size: int | None) -> None:
    """Refuse an empty file or one above the limit, naming it (before anything is read)."""
    limit = max_bytes()
    if not size:
        raise EvidenceRefused(f"{name} is empty.")
    if size > limit:
        raise EvidenceTooLarge(
            f"{name} is {filesizeformat(size)}; evidence files may be at most "
            f"{filesizeformat(limit)}."
        )


@transaction.atomic
def evidence_add(*, appeal: Appeal, actor, upload: IO[bytes], description: str = "") -> Evidence:
    """Attach an uploaded file to an appeal. Its type is read from its first bytes (PDF,
    PNG, JPEG or TIFF; anything else is refused, whatever its name); it may be at most
    ``APPEALS_EVIDENCE_MAX_BYTES``. The file is stored under its sha256, never under the
    uploaded name, through the default storage: the same bytes on one appeal are kept
    once (the row already there is returned) and stored once however many appeals carry
    them. Only the item's holder (or a manager) adds evidence."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("item", "item__assignee")
        .get(pk=appeal.pk)
    )
    _check_holder(appeal.item, actor)
    name = display_name(getattr(upload, "name", "") or "")
    declared = getattr(upload, "size", None)
    if declared is not None:  # refused before a byte is read
        check_size(name, declared)
    sha256, size, head = fingerprint(upload, head_bytes=HEAD_BYTES)
    check_size(name, size)  # the bytes read, not the size the client declared
    content_type = sniff(head)
    if content_type is None:
        raise EvidenceRefused(
            f"{name} is not a {ACCEPTED} file (its content says so, whatever its name)."
        )
    existing = appeal.evidence.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    evidence = Evidence(
        appeal=appeal,
        name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        description=description.strip()[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    written = _store(evidence, upload)
    try:
        evidence.save()
        label = EvidenceType(content_type).label
        _event(appeal, actor, f"Added {name} ({label}, {filesizeformat(size)}).")
        _audit(actor, evidence, AuditAction.CREATE, f"appeal {appeal.pk}; {content_type}")
    except Exception:
        if written:  # no row will point at it
            default_storage.delete(evidence.file.name)
        raise
    return evidence


def _store(evidence: Evidence, upload: IO[bytes]) -> bool:
    """Put the bytes in storage at their content's path, unless they are there already
    (the same file on another appeal). True when this call wrote them."""
    path = evidence_path(evidence, "")
    if default_storage.exists(path) and default_storage.size(path) == evidence.size:
        evidence.file.name = path
        return False
    upload.seek(0)
    evidence.file.save("", File(upload), save=False)
    return True


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    """Remove a file from an appeal that is not yet sent (draft or ready); a sent
    appeal's evidence is what the payer has and is kept. The stored file goes too when
    no other appeal's evidence uses it (after the transaction commits)."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("item", "item__assignee")
        .get(pk=evidence.appeal_id)
    )
    _check_holder(appeal.item, actor)
    if appeal.status not in REMOVABLE:
        raise EvidenceRefused(
            f"This appeal is {appeal.get_status_display().lower()}: its evidence is kept as sent."
        )
    evidence = appeal.evidence.get(pk=evidence.pk)
    path = evidence.file.name
    _event(appeal, actor, f"Removed {evidence.name}.")
    _audit(actor, evidence, AuditAction.DELETE, f"appeal {appeal.pk}")
    evidence.delete()
    if not Evidence.objects.filter(file=path).exists():
        transaction.on_commit(lambda: _delete_stored(path))


def _delete_stored(path: str) -> None:
    if Evidence.objects.filter(file=path).exists():  # added again meanwhile
        return
    try:
        default_storage.delete(path)
    except OSError:  # left for a clean-up; the row is gone either way
        logger.warning("evidence file %s could not be deleted", path, exc_info=True)


def _event(appeal: Appeal, actor, note: str) -> None:
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=EventKind.EVIDENCE,
        note=note,
    )


def _audit(actor, evidence: Evidence, action: str, detail: str) -> None:
    # The detail names ids and the type only: an uploaded file's name may be patient data.
    audit_record(actor=actor, action=action, obj=evidence, detail=detail)


__all__ = ["EvidenceRefused", "EvidenceTooLarge", "evidence_add", "evidence_remove", "max_bytes"]
