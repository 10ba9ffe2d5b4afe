"""Subscribes denial detection to remittance booking (the lower app never imports us)."""

from django.dispatch import receiver

from remittance.signals import transaction_parsed

from .selectors import catalog_load
from .services import denials_find, denials_record


@receiver(transaction_parsed, dispatch_uid="denials.record_denials")
def record_denials(sender, *, parsed, booked, summary, context, **kwargs):
    """Count the denials of every parsed transaction; record those of booked ones."""
    catalog = context.get("denials.catalog")
    if catalog is None:
        catalog = context["denials.catalog"] = catalog_load()
    found = denials_find(parsed=parsed, catalog=catalog)
    summary.denials += len(found)
    if booked is not None:
        denials_record(parsed=parsed, booked=booked, found=found)
