"""Subscribes the worklist to remittance booking, claim rejections and rule changes."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from claims.signals import claim_rejected, claim_rejection_resolved
from remittance.pipeline import BROKER_ERRORS
from remittance.signals import remittance_booked

from .models import CategoryPolicy, PayerRule
from .tasks import (
    rejection_intake_in_batches,
    rescore_soon,
    worklist_rejections_resolved_task,
    worklist_remittance_task,
)

logger = logging.getLogger(__name__)


@receiver(remittance_booked, dispatch_uid="worklist.remittance_booked")
def enqueue_intake(sender, *, remittance_id, **kwargs):
    """Follow-up and intake start once the booking commits. If the broker cannot take
    the task, the file is booked all the same: the sweep finds its follow-up not done and
    its denials without items, and queues them again."""
    _on_commit(worklist_remittance_task.delay, remittance_id=remittance_id)


@receiver(claim_rejected, dispatch_uid="worklist.claim_rejected")
def enqueue_rejection_intake(sender, *, rejection_ids, **kwargs):
    """Claims rejected before adjudication get front-end items. If the broker cannot take
    the task, the sweep finds the rejections without items and queues them again."""
    _on_commit(rejection_intake_in_batches, rejection_ids=list(rejection_ids))


@receiver(claim_rejection_resolved, dispatch_uid="worklist.claim_rejection_resolved")
def enqueue_rejection_close(sender, *, rejection_ids, **kwargs):
    """Resolved rejections close their items (the sweep catches a lost one)."""
    _on_commit(worklist_rejections_resolved_task.delay, rejection_ids=list(rejection_ids))


@receiver([post_save, post_delete], sender=PayerRule, dispatch_uid="worklist.payer_rule")
def recompute_after_rule_change(sender, instance, **kwargs):
    """Deadlines follow the rules: recompute the items the changed rule can touch."""
    _on_commit(rescore_soon, payer_id=instance.payer_id)


@receiver([post_save, post_delete], sender=CategoryPolicy, dispatch_uid="worklist.policy")
def rescore_after_policy_change(sender, instance, **kwargs):
    _on_commit(rescore_soon, category=instance.category)


def _on_commit(enqueue, **kwargs) -> None:
    """Queue work once the current transaction commits. A broker that cannot be reached
    is logged, never turned into an error for the person saving: the nightly rescore and
    the sweep redo what the task would have done."""

    def run():
        try:
            enqueue(**kwargs)
        except BROKER_ERRORS as exc:
            logger.warning("follow-on task not queued, broker unavailable: %s", exc)

    transaction.on_commit(run)
