"""Worklist tasks: thin wrappers that own retries. All are idempotent.

Each step runs through ``remittance.pipeline.run_step``: transient errors retry, and a
step that fails for good is recorded on its remittance and ends quietly, so the follow-up
of earlier items never keeps a file's new denials from reaching the queues, nor the other
way round. The sweep (every few minutes) re-runs what was lost."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, InterfaceError, OperationalError

from config.coalesce import first_request
from denials.models import Denial
from remittance import pipeline
from remittance.choices import PipelineStep
from remittance.signals import remittance_followed

from . import integrity, services

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, IntegrityError)


@shared_task(bind=True, acks_late=True, max_retries=5)
def worklist_remittance_task(self, remittance_id: int) -> int:
    """A remittance was booked: update items its payments and reversals touch, then open
    items for its denials in batches (one task per batch, so workers share the load). The
    intake is queued whether or not the follow-up succeeded."""
    pipeline.run_step(
        self,
        step=PipelineStep.FOLLOW_UP,
        remittance_ids=lambda: [remittance_id],
        work=lambda: _follow(remittance_id),
        transient=TRANSIENT,
    )
    ids = list(
        Denial.objects.filter(remittance_id=remittance_id, item_link__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return intake_in_batches(ids)


def _follow(remittance_id: int) -> int:
    changed = services.worklist_follow_remittance(remittance_id=remittance_id)
    remittance_followed.send(sender=__name__, remittance_id=remittance_id)
    pipeline.step_done(remittance_id=remittance_id, step=PipelineStep.FOLLOW_UP)
    return changed


def intake_in_batches(denial_ids: list[int]) -> int:
    size = settings.WORKLIST_INTAKE_BATCH
    for start in range(0, len(denial_ids), size):
        worklist_intake_task.delay(denial_ids=denial_ids[start : start + size])
    return len(denial_ids)


@shared_task(bind=True, acks_late=True, max_retries=5)
def worklist_intake_task(self, denial_ids: list[int]) -> int | None:
    return pipeline.run_step(
        self,
        step=PipelineStep.INTAKE,
        remittance_ids=lambda: _remittances_of(denial_ids),
        work=lambda: services.worklist_intake(denial_ids=denial_ids),
        transient=TRANSIENT,
    )


def rejection_intake_in_batches(rejection_ids: list[int]) -> int:
    size = settings.WORKLIST_INTAKE_BATCH
    for start in range(0, len(rejection_ids), size):
        worklist_rejection_intake_task.delay(rejection_ids=rejection_ids[start : start + size])
    return len(rejection_ids)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def worklist_rejection_intake_task(rejection_ids: list[int]) -> int:
    """Claims were rejected before adjudication: open their front-end items. A clash with
    a concurrent run (the same rejection linked twice) rolls back and retries, finding
    the rejection done."""
    return services.worklist_rejection_intake(rejection_ids=rejection_ids)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def worklist_rejections_resolved_task(rejection_ids: list[int]) -> int:
    """Rejections were resolved (accepted, adjudicated, resubmitted): close their items."""
    return services.worklist_rejections_resolved(rejection_ids=rejection_ids)


def _remittances_of(denial_ids: list[int]) -> list[int]:
    return list(
        Denial.objects.filter(id__in=denial_ids).values_list("remittance_id", flat=True).distinct()
    )


# Rescores run on their own queue (settings.CELERY_TASK_ROUTES), so intake never waits
# behind them, and a burst of rule changes or outcomes for one scope queues one rescore.
RESCORE_DELAY_SECONDS = 5


def rescore_soon(*, payer_id: int | None = None, category: str | None = None) -> bool:
    """Queue a rescore of one scope, unless one is already waiting for it: the first
    request marks the scope pending (atomically, in the shared cache) and queues the task
    a few seconds out; later ones until it starts add nothing. Returns whether a task was
    queued. With the cache unreachable it queues anyway: a duplicate is harmless."""
    first = first_request(_pending_key(payer_id, category), delay_seconds=RESCORE_DELAY_SECONDS)
    if first:
        worklist_rescore_task.apply_async(
            kwargs={"payer_id": payer_id, "category": category},
            countdown=RESCORE_DELAY_SECONDS,
            queue=settings.WORKLIST_RESCORE_QUEUE,
        )
    return first


def _pending_key(payer_id, category) -> str:
    return f"worklist:rescore-pending:{payer_id or '*'}:{category or '*'}"


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def worklist_rescore_task(payer_id: int | None = None, category: str | None = None) -> int:
    try:
        cache.delete(_pending_key(payer_id, category))  # changes from now on queue again
    except Exception:  # noqa: BLE001
        logger.warning("rescore coalescing unavailable (cache error)")
    return services.worklist_rescore(payer_id=payer_id, category=category)


@shared_task(acks_late=True)
def worklist_sweep_task() -> dict:
    """Every few minutes: run the follow-up again for booked files where it never
    completed, intake for denials and claim rejections that have been waiting for an
    item, and the close of rejection items whose rejections were all resolved."""
    follow = pipeline.remittances_to_follow_up()
    for remittance_id in follow:
        worklist_remittance_task.delay(remittance_id=remittance_id)
    waiting = integrity.denials_awaiting_intake(limit=50_000)
    intake_in_batches(waiting)
    rejected = integrity.rejections_awaiting_intake(limit=50_000)
    rejection_intake_in_batches(rejected)
    resolved = integrity.rejections_resolved_on_open_items(limit=50_000)
    if resolved:
        worklist_rejections_resolved_task.delay(rejection_ids=resolved)
    if follow or waiting or rejected or resolved:
        logger.warning(
            "sweep: follow-up queued again for %s remittances; intake for %s denials and "
            "%s rejections; close for %s resolved rejections",
            len(follow),
            len(waiting),
            len(rejected),
            len(resolved),
        )
    return {
        "follow_up": len(follow),
        "intake": len(waiting),
        "rejection_intake": len(rejected),
        "rejections_resolved": len(resolved),
    }


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
