from django.db import models


class DenialQuerySet(models.QuerySet):
    def for_user(self, user):
        """Denials the user may see (team scoping arrives with worklist routing)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self

    def hard(self):
        return self.filter(severity="hard")

    def appealable(self):
        return self.filter(appealable=True)
