"""The pipeline a received file goes through (book, then follow-up and intake in the apps
that subscribe to booking), and what keeps it from losing anything:

- ``run_step`` runs one step inside a task: transient errors (database or broker
  connection) are retried with backoff; when retries run out, or on any other error, the
  failure is recorded on the remittance (``StepFailure``) with its message and logged,
  and the task ends quietly, so one failed step never stops another. A later success of
  the step clears the record.
- ``remittance_enqueue`` hands a file to the queue and says whether the broker took it.
- ``stuck_remittances`` finds files nobody is booking: the periodic sweep re-queues them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu.exceptions import KombuError

from .choices import PipelineStep, RemittanceStatus
from .models import Remittance, StepFailure

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)
BROKER_ERRORS = (KombuError, OSError)
# A received file not taken up by a worker within this time is queued again.
RECEIVED_STALE = timedelta(minutes=10)
# A file in processing whose row no worker holds locked (the worker died) for this long.
PROCESSING_STALE = timedelta(minutes=2)
# Booking attempts before a file that keeps failing transiently is marked failed.
MAX_ATTEMPTS = 10


def run_step(
    task,
    *,
    step: str,
    remittance_ids: Callable[[], Iterable[int]],
    work: Callable[[], Any],
    transient: tuple[type[BaseException], ...] = TRANSIENT,
) -> Any:
    """Run ``work`` for a bound Celery ``task``. Returns its result, or None if it failed
    for good (recorded on the remittances ``remittance_ids()`` names)."""
    try:
        result = work()
    except transient as exc:
        if task.request.retries < task.max_retries:
            raise task.retry(exc=exc, countdown=min(2**task.request.retries, 60)) from exc
        _failed(step, remittance_ids, exc)
        return None
    except Exception as exc:  # noqa: BLE001 - recorded and logged; the sweep retries
        _failed(step, remittance_ids, exc)
        return None
    step_cleared(remittance_ids=list(remittance_ids()), step=step)
    return result


def _failed(step: str, remittance_ids, exc: BaseException) -> None:
    # Exception texts from the database can quote row values (patient data): log the type
    # only; the message is kept on the remittance, behind the pages' access checks.
    logger.error("pipeline step %s failed: %s (recorded)", step, type(exc).__name__)
    try:
        ids = list(remittance_ids())
        step_failed(remittance_ids=ids, step=step, message=f"{type(exc).__name__}: {exc}")
    except Exception:  # noqa: BLE001 - the database is down, or the file was deleted
        logger.exception("pipeline step %s: could not record the failure", step)


def step_failed(*, remittance_ids: list[int], step: str, message: str) -> None:
    """Record (or count again) an open failure of ``step`` on each remittance."""
    now = timezone.now()
    remittance_ids = list(
        Remittance.objects.filter(pk__in=remittance_ids).values_list("pk", flat=True)
    )
    for remittance_id in remittance_ids:
        with transaction.atomic():
            updated = StepFailure.objects.filter(
                remittance_id=remittance_id, step=step, cleared_at__isnull=True
            ).update(message=message[:4000], failed_at=now, attempts=F("attempts") + 1)
            if not updated:
                StepFailure.objects.create(
                    remittance_id=remittance_id, step=step, message=message[:4000], failed_at=now
                )


def step_cleared(*, remittance_ids: list[int], step: str) -> int:
    """The step succeeded: close its open failures on these remittances."""
    if not remittance_ids:
        return 0
    return StepFailure.objects.filter(
        remittance_id__in=remittance_ids, step=step, cleared_at__isnull=True
    ).update(cleared_at=timezone.now())


def step_done(*, remittance_id: int, step: str) -> None:
    """Mark the steps after booking as completed for a remittance (the sweep looks for
    booked files where they never did) and clear the step's failures."""
    if step == PipelineStep.FOLLOW_UP:
        Remittance.objects.filter(pk=remittance_id).update(follow_up_done_at=timezone.now())
    step_cleared(remittance_ids=[remittance_id], step=step)


def remittance_enqueue(remittance: Remittance) -> bool:
    """Hand a received file to the queue for booking. Returns False, with the file left
    as received (the sweep takes it up), when the broker cannot be reached."""
    from .tasks import remittance_process_task

    Remittance.objects.filter(pk=remittance.pk).update(queued_at=timezone.now())
    try:
        remittance_process_task.delay(remittance.pk)
    except BROKER_ERRORS as exc:
        logger.warning("remittance %s not queued: broker unavailable (%s)", remittance.pk, exc)
        return False
    return True


def stuck_remittances(*, now=None) -> list[int]:
    """Files nobody is booking: received and not taken up within ``RECEIVED_STALE``, or
    in processing for ``PROCESSING_STALE`` with no worker holding the row (on PostgreSQL
    a booking holds the row lock until it commits; a dead worker's lock is gone)."""
    now = now or timezone.now()
    stale = Q(status=RemittanceStatus.RECEIVED) & Q(since__lt=now - RECEIVED_STALE) | Q(
        status=RemittanceStatus.PROCESSING
    ) & Q(started_at__lt=now - PROCESSING_STALE)
    with transaction.atomic():
        rows = (
            Remittance.objects.annotate(since=Coalesce("queued_at", "received_at"))
            .filter(stale | Q(status=RemittanceStatus.PROCESSING, started_at__isnull=True))
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("id")
            .values_list("id", flat=True)
        )
        return list(rows[:1000])


def remittances_to_follow_up(*, now=None) -> list[int]:
    """Booked files whose follow-up step never completed (its task was lost, or failed
    for good) and that have settled for a few minutes."""
    now = now or timezone.now()
    return list(
        Remittance.objects.filter(
            status=RemittanceStatus.PROCESSED,
            follow_up_done_at__isnull=True,
            processed_at__lt=now - PROCESSING_STALE,
        )
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
