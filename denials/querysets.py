from django.db import models

from accounts.roles import is_manager, is_staff_member


class DenialQuerySet(models.QuerySet):
    def for_user(self, user):
        """Denials the user may see: managers all; other staff those on their teams'
        worklist items; integration accounts none."""
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        return self.filter(item_link__item__team__members=user)

    def hard(self):
        return self.filter(severity="hard")

    def appealable(self):
        return self.filter(appealable=True)
