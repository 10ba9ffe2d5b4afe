from django.db import models
from django.utils import timezone

from accounts.roles import is_manager, is_staff_member

from .choices import OPEN_APPEAL_STATUSES, PENDING_STATUSES


class AppealQuerySet(models.QuerySet):
    def for_user(self, user):
        """The scope of the items they appeal: managers every team's, billers their
        teams' (another team's appeal is a 404), nobody else any."""
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        return self.filter(item__team__members=user)

    def open(self):
        return self.filter(status__in=OPEN_APPEAL_STATUSES)

    def pending(self):
        return self.filter(status__in=PENDING_STATUSES)

    def overdue(self, today=None):
        """Sent, and the payer is past its expected decision date."""
        today = today or timezone.localdate()
        return self.pending().filter(expected_decision_on__lt=today)


class LetterTemplateQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff read templates (to choose one); managers edit them (views check)."""
        return self if is_staff_member(user) else self.none()

    def active(self):
        return self.filter(active=True)
