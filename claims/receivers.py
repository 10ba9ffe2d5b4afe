"""Subscribes claim linking to remittance booking (remittance never imports this app)."""

from django.dispatch import receiver

from remittance.signals import transaction_parsed

from .services import submitted_claims_link_era


@receiver(transaction_parsed, dispatch_uid="claims.link_adjudications")
def link_adjudications(sender, *, parsed, booked, summary, context, **kwargs):
    """Link the claims of every booked transaction to their submitted claims (a dry run,
    ``booked`` None, writes nothing)."""
    if booked is None:
        return
    submitted_claims_link_era(era_id=booked.era_id, payer_id=booked.payer_id, context=context)
