from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL

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

    def same_claim_as(self, claim_id: int, account: str):
        """Every claim booked for the same claim as ``claim_id``: those of its identity (the
        submission it answers, that submission's original and the original's replacements,
        whatever their patient account) and, where it or another has no identity (booked
        before identities), those of its payer and the patient ``account``. One
        statement: the item page asks this on every view, and building it from subqueries
        in the ORM cost more than running it."""
        return self.filter(pk__in=RawSQL(SAME_CLAIM_SQL, [claim_id, account, claim_id]))


# Two index-friendly halves (an OR across them would scan the table): the identity's
# claims, through the root submission; the payer's claims for the patient account. The
# same relation booking follows to link each claim to the one before it
# (``remittance.booking.HISTORY_SQL``): a change to one belongs in the other.
SAME_CLAIM_SQL = """
SELECT c.id
FROM remittance_claim t
LEFT JOIN claims_submittedclaim ts ON ts.id = t.submitted_claim_id
JOIN claims_submittedclaim s
  ON s.id = COALESCE(ts.original_id, t.submitted_claim_id)
  OR s.original_id = COALESCE(ts.original_id, t.submitted_claim_id)
JOIN remittance_claim c ON c.submitted_claim_id = s.id
WHERE t.id = %s
UNION
SELECT c.id
FROM remittance_claim t
JOIN remittance_claim c ON c.payer_id = t.payer_id AND c.patient_control_number = %s
WHERE t.id = %s AND (c.submitted_claim_id IS NULL OR t.submitted_claim_id IS NULL)
"""
