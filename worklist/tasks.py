"""Worklist tasks: thin wrappers that own retries. All are idempotent."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError

from denials.models import Denial

from . import services

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, IntegrityError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def worklist_remittance_task(remittance_id: int) -> int:
    """A remittance was booked: update items its payments and reversals touch, then open
    items for its denials in batches (one task per batch, so workers share the load)."""
    services.worklist_follow_remittance(remittance_id=remittance_id)
    ids = list(
        Denial.objects.filter(remittance_id=remittance_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    size = settings.WORKLIST_INTAKE_BATCH
    for start in range(0, len(ids), size):
        worklist_intake_task.delay(denial_ids=ids[start : start + size])
    return len(ids)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def worklist_intake_task(denial_ids: list[int]) -> int:
    return services.worklist_intake(denial_ids=denial_ids)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def worklist_rescore_task(payer_id: int | None = None, category: str | None = None) -> int:
    return services.worklist_rescore(payer_id=payer_id, category=category)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def worklist_nightly_task() -> dict:
    """Rescore every open item (urgency moves daily) and report missed deadlines."""
    due = services.worklist_follow_up_sweep()
    count = services.worklist_rescore()
    summary = services.worklist_deadline_report()
    logger.info(
        "nightly: %s follow-ups due; %s open items rescored; deadlines %s", due, count, summary
    )
    return summary
