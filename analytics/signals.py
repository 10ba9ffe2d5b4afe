"""Subscribes the rollups to the changes they derive from. Each receiver only asks for
a coalesced refresh once the transaction commits (cheap: one cache write); the refresh
reads what changed from the rows themselves, and the beat schedule catches anything no
signal announced (bulk updates)."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from appeals.models import Appeal
from claims.signals import claim_file_processed, claim_rejected, claim_rejection_resolved
from remittance.pipeline import BROKER_ERRORS
from remittance.signals import remittance_booked
from worklist.models import WorklistItem

from .tasks import refresh_soon

logger = logging.getLogger(__name__)


@receiver(remittance_booked, dispatch_uid="analytics.remittance_booked")
@receiver(claim_file_processed, dispatch_uid="analytics.claim_file_processed")
@receiver(claim_rejected, dispatch_uid="analytics.claim_rejected")
@receiver(claim_rejection_resolved, dispatch_uid="analytics.claim_rejection_resolved")
@receiver(post_save, sender=WorklistItem, dispatch_uid="analytics.item_saved")
@receiver(post_save, sender=Appeal, dispatch_uid="analytics.appeal_saved")
def refresh_after_change(sender, **kwargs):
    if settings.ANALYTICS_REFRESH_ON_CHANGE:
        transaction.on_commit(_refresh_soon)


def _refresh_soon() -> None:
    try:
        refresh_soon()
    except BROKER_ERRORS as exc:
        logger.warning("rollup refresh not queued, broker unavailable: %s", exc)
