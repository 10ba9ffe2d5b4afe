"""The weekly digest to managers: the payer behaviour alerts of the week and its top
preventable causes, by Django's email backend (console in development)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string

from accounts.roles import MANAGER_GROUP

from . import selectors
from .filters import MetricFilters


def manager_emails() -> list[str]:
    users = get_user_model().objects.filter(
        Q(groups__name=MANAGER_GROUP) | Q(is_superuser=True), is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def digest_context(week_end: date) -> dict:
    week = MetricFilters(week_end - timedelta(days=6), week_end)
    return {
        "week": week,
        "alerts": selectors.payer_alerts(replace(week, date_from=week_end)),
        "causes": selectors.top_preventable(week),
    }


def send_weekly_digest(*, week_end: date) -> int:
    """Send the digest for the 7 days ending ``week_end`` to every manager with an email
    address; returns the number of messages sent (0 when there is nobody to send to)."""
    recipients = manager_emails()
    if not recipients:
        return 0
    context = digest_context(week_end)
    body = render_to_string("analytics/weekly_digest.txt", context)
    subject = f"Denials weekly digest: week ending {week_end}"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
