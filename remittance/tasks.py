"""Remittance tasks: thin wrappers that own retries (``remittance.pipeline``)."""

import logging

from celery import shared_task

from . import pipeline, services
from .choices import PipelineStep, RemittanceStatus
from .models import Remittance

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=5)
def remittance_process_task(self, remittance_id: int) -> str | None:
    """Parse and book one received remittance (idempotent)."""
    if not Remittance.objects.filter(pk=remittance_id).exists():
        logger.warning("remittance %s no longer exists; nothing to book", remittance_id)
        return None
    remittance = pipeline.run_step(
        self,
        step=PipelineStep.BOOK,
        remittance_ids=lambda: [remittance_id],
        work=lambda: services.remittance_process(remittance_id=remittance_id),
    )
    return remittance.status if remittance is not None else None


@shared_task(acks_late=True)
def remittance_sweep_task() -> dict:
    """Every few minutes: queue again the files nobody is booking (never taken up, or
    left in processing by a worker that died); mark failed those that keep failing."""
    requeued, given_up = [], []
    for remittance_id in pipeline.stuck_remittances():
        remittance = Remittance.objects.get(pk=remittance_id)
        if remittance.attempts >= pipeline.MAX_ATTEMPTS:
            services.remittance_give_up(remittance=remittance, attempts=pipeline.MAX_ATTEMPTS)
            given_up.append(remittance_id)
        elif pipeline.remittance_enqueue(remittance):
            requeued.append(remittance_id)
        if remittance.status == RemittanceStatus.PROCESSING:
            logger.warning("remittance %s was left in processing; queued again", remittance_id)
    if requeued or given_up:
        logger.warning("sweep: queued again %s; gave up on %s", requeued, given_up)
    return {"requeued": requeued, "given_up": given_up}
