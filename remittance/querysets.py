from django.db import models


class RemittanceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Remittances the user may see. Every signed-in staff role sees all remittances;
        team scoping applies to worklist items, not to files."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self

    def failed(self):
        return self.filter(status="failed")


class ClaimQuerySet(models.QuerySet):
    def denied(self):
        return self.filter(status_code="4")

    def reversals(self):
        return self.filter(status_code="22")
