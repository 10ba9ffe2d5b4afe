from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .digest import send_weekly_digest


@shared_task(time_limit=15 * 60, soft_time_limit=14 * 60)
def analytics_weekly_digest_task() -> int:
    """The weekly digest for the 7 days ending yesterday (beat runs it on Monday)."""
    return send_weekly_digest(week_end=timezone.localdate() - timedelta(days=1))
