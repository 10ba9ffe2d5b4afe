from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef

from accounts.roles import is_manager, is_staff_member


class RemittanceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Remittances the user may see. Staff see every file (a file spans teams; the
        claims inside are scoped separately); an integration account sees the files it
        posted, for their status."""
        if user is None or not user.is_authenticated:
            return self.none()
        if is_staff_member(user):
            return self
        return self.filter(received_by=user)


class PostingExceptionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Posting exceptions (raw segments carry patient data): every staff user, as for
        remittances; integration accounts none."""
        if not is_staff_member(user):
            return self.none()
        return self

    def open(self):
        return self.filter(status="open")


class ClaimQuerySet(models.QuerySet):
    def for_user(self, user):
        """Claims (patient data): managers all; other staff the claims behind their
        teams' worklist items; integration accounts none."""
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        # A semi-join (EXISTS), not a join and DISTINCT over every claim column: the worklist
        # model is named, not imported, as the lower app must not import the higher one.
        items = apps.get_model("worklist", "WorklistItem").objects
        return self.filter(
            Exists(items.filter(claim_id=OuterRef("pk"), team__members=user).values("pk"))
        )
