"""Subscribes appeals to the payer's remittances: a later 835 decides the appeals it answers."""

from django.dispatch import receiver

from remittance.signals import remittance_followed
from worklist.events import item_resubmitted

from .services import appeals_follow_remittance, corrected_claim_record


@receiver(remittance_followed, dispatch_uid="appeals.remittance_followed")
def decide_from_remittance(sender, *, remittance_id, **kwargs):
    appeals_follow_remittance(remittance_id=remittance_id)


@receiver(item_resubmitted, dispatch_uid="appeals.item_resubmitted")
def track_corrected_claim(sender, *, item, actor, on, reference, **kwargs):
    corrected_claim_record(item=item, actor=actor, on=on, reference=reference)
