"""Who sees submitted claims: the same rule as for booked remittance claims
(``remittance.querysets.ClaimQuerySet.for_user``), which it reuses rather than restates."""

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef

from accounts.roles import is_manager, is_staff_member

from .choices import SUPERSEDED_STATUSES


class ClaimFileQuerySet(models.QuerySet):
    def for_user(self, user):
        """As for remittances: staff see every file (a file spans teams; the claims inside
        are scoped separately); an integration account sees the files it posted."""
        if user is None or not user.is_authenticated:
            return self.none()
        if is_staff_member(user):
            return self
        return self.filter(received_by=user)


class SubmittedClaimQuerySet(models.QuerySet):
    def for_user(self, user):
        """Managers see every submitted claim; other staff those with an adjudication
        (a booked 835 claim) they may see, that is behind one of their teams' worklist
        items, and those behind their teams' rejection items; integration accounts none."""
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        claims = apps.get_model("remittance", "Claim").objects.for_user(user)
        items = apps.get_model("worklist", "WorklistItem").objects
        return self.filter(
            Exists(claims.filter(submitted_claim_id=OuterRef("pk")).values("pk"))
            | Exists(
                items.filter(submitted_claim_id=OuterRef("pk"), team__members=user).values("pk")
            )
        )

    def current(self):
        """Not replaced or voided by a later submission."""
        return self.exclude(status__in=SUPERSEDED_STATUSES)


class _ThroughClaim(models.QuerySet):
    def for_user(self, user):
        if not is_staff_member(user):
            return self.none()
        if is_manager(user):
            return self
        visible = apps.get_model("claims", "SubmittedClaim").objects.for_user(user)
        return self.filter(submitted_claim__in=visible.values("pk"))


class ClaimRejectionQuerySet(_ThroughClaim):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class ClaimEventQuerySet(_ThroughClaim):
    pass


class PayerAliasQuerySet(models.QuerySet):
    def for_user(self, user):
        """Payer aliases hold no patient data; managers read and edit them."""
        return self if is_manager(user) else self.none()
