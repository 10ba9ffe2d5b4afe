from django.db import models

from .choices import OPEN_STATUSES


def is_manager(user) -> bool:
    """Managers and admins see and steer every team."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name="manager").exists()


class WorklistItemQuerySet(models.QuerySet):
    def for_user(self, user):
        """Managers see every item; everyone else sees their teams' items."""
        if user is None or not user.is_authenticated:
            return self.none()
        if is_manager(user):
            return self
        return self.filter(team__members=user)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def at_risk(self):
        return self.filter(deadline_state="at_risk")

    def missed(self):
        return self.filter(deadline_state="missed")
