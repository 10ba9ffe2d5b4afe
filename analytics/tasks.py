"""The rollups' refresh task: thin, idempotent, retried on transient errors. Changes
(a booked remittance, a claim file, an item or appeal saved) ask for a refresh soon;
a burst of them queues one run, which reads everything changed since the last."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from config.coalesce import first_request

from . import services
from .digest import send_weekly_digest

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError)
REFRESH_DELAY_SECONDS = 5
PENDING_KEY = "analytics:refresh-pending"


def refresh_soon() -> bool:
    """Queue a refresh a few seconds out unless one is already waiting (coalesced as
    ``worklist.tasks.rescore_soon`` is). Returns whether one was queued."""
    first = first_request(PENDING_KEY, delay_seconds=REFRESH_DELAY_SECONDS)
    if first:
        analytics_refresh_task.apply_async(
            countdown=REFRESH_DELAY_SECONDS, queue=settings.ANALYTICS_QUEUE
        )
    return first


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def analytics_refresh_task() -> dict:
    """Bring the rollups up to date (``analytics.services.rollups_refresh``). A failure
    is recorded on the rollups' state row and logged; the next run (the beat schedule
    runs one every few minutes) redoes it from the same watermark."""
    try:
        cache.delete(PENDING_KEY)  # changes from now on queue again
    except Exception:  # noqa: BLE001
        logger.warning("rollup refresh coalescing unavailable (cache error)")
    run = services.rollups_refresh()
    return {"identities": run.identities, "facts": run.facts, "seconds": run.seconds}


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def analytics_weekly_digest_task() -> int:
    """The weekly digest for the 7 days ending yesterday (beat runs it on Monday)."""
    return send_weekly_digest(week_end=timezone.localdate() - timedelta(days=1))
