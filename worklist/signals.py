"""Subscribes the worklist to remittance booking and to rule changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from remittance.signals import remittance_booked

from .models import CategoryPolicy, PayerRule
from .tasks import worklist_remittance_task, worklist_rescore_task


@receiver(remittance_booked, dispatch_uid="worklist.remittance_booked")
def enqueue_intake(sender, *, remittance_id, **kwargs):
    transaction.on_commit(lambda: worklist_remittance_task.delay(remittance_id=remittance_id))


@receiver([post_save, post_delete], sender=PayerRule, dispatch_uid="worklist.payer_rule")
def recompute_after_rule_change(sender, instance, **kwargs):
    """Deadlines follow the rules: recompute the items the changed rule can touch."""
    payer_id = instance.payer_id
    transaction.on_commit(lambda: worklist_rescore_task.delay(payer_id=payer_id))


@receiver([post_save, post_delete], sender=CategoryPolicy, dispatch_uid="worklist.policy")
def rescore_after_policy_change(sender, instance, **kwargs):
    category = instance.category
    transaction.on_commit(lambda: worklist_rescore_task.delay(category=category))
