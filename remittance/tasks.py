from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def remittance_process_task(remittance_id: int) -> str:
    """Parse and book one received remittance (idempotent)."""
    return services.remittance_process(remittance_id=remittance_id).status
