"""Subscribes appeals to the payer's remittances: a later 835 decides the appeals it answers."""

from django.dispatch import receiver

from remittance.signals import remittance_followed

from .services import appeals_follow_remittance


@receiver(remittance_followed, dispatch_uid="appeals.remittance_followed")
def decide_from_remittance(sender, *, remittance_id, **kwargs):
    appeals_follow_remittance(remittance_id=remittance_id)
