from django.db import models

from accounts.roles import is_manager, is_staff_member

from .choices import OPEN_STATUSES

__all__ = ["ManagersOnlyQuerySet", "TeamQuerySet", "WorklistItemQuerySet", "is_manager"]


class TeamQuerySet(models.QuerySet):
    def for_user(self, user):
        """Managers see every team; a biller the teams they are on; nobody else any."""
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        return self.filter(members=user)


class ManagersOnlyQuerySet(models.QuerySet):
    """Routing and payer rules, category policies: managers read and edit them."""

    def for_user(self, user):
        return self if is_manager(user) else self.none()


class WorklistItemQuerySet(models.QuerySet):
    def for_user(self, user):
        """Managers see every item; everyone else sees their teams' items."""
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        return self.filter(team__members=user)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def past_every_deadline(self, today):
        """Open items whose every deadline has passed: no recourse left, for write-off
        review (they sink to priority 0 in the queues)."""
        return self.open().filter(
            models.Q(appeal_deadline__isnull=False) | models.Q(refile_deadline__isnull=False),
            models.Q(appeal_deadline__isnull=True) | models.Q(appeal_deadline__lt=today),
            models.Q(refile_deadline__isnull=True) | models.Q(refile_deadline__lt=today),
        )
