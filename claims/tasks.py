"""Thin tasks for claim files: read one, and sweep up the ones nobody is reading."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from remittance.pipeline import BROKER_ERRORS

from .choices import FileStatus
from .models import ClaimFile
from .selectors import stuck_claim_files
from .services.files import claim_file_process

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=5,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
)
def claim_file_process_task(self, file_id: int) -> str | None:
    """Read and record one received claim file (idempotent)."""
    if not ClaimFile.objects.filter(pk=file_id).exists():
        logger.warning("claim file %s no longer exists; nothing to read", file_id)
        return None
    return claim_file_process(file_id=file_id).status


def claim_file_enqueue(claim_file: ClaimFile) -> bool:
    """Hand a received file to the queue. False, with the file left as received for the
    sweep to take up, when the broker cannot be reached."""
    ClaimFile.objects.filter(pk=claim_file.pk).update(queued_at=timezone.now())
    try:
        claim_file_process_task.delay(claim_file.pk)
    except BROKER_ERRORS as exc:
        logger.warning("claim file %s not queued: broker unavailable (%s)", claim_file.pk, exc)
        return False
    return True


@shared_task(acks_late=True)
def claim_file_sweep_task() -> dict:
    """Every few minutes: queue again the claim files nobody is reading (never taken up,
    or left in processing by a worker that died); give up on those that keep failing."""
    now = timezone.now()
    ids = stuck_claim_files(now=now)
    requeued, given_up = [], []
    for claim_file in ClaimFile.objects.filter(id__in=ids):
        if claim_file.attempts >= MAX_ATTEMPTS:
            ClaimFile.objects.filter(pk=claim_file.pk).update(
                status=FileStatus.FAILED,
                processed_at=now,
                error=f"{claim_file.filename}: gave up after {claim_file.attempts} attempts",
            )
            given_up.append(claim_file.pk)
        elif claim_file_enqueue(claim_file):
            requeued.append(claim_file.pk)
    return {"requeued": requeued, "given_up": given_up}
