"""The submitted side of a claim: one identity per claim as the provider sent it (837, a
feed, or, lacking any submission, the first 835 that names it), its lines, the
clearinghouse and payer rejections before adjudication, and one timeline of everything
that happened to it. Patient names and member ids are patient data: never log them or
put them in ``__str__``."""

from django.conf import settings
from django.db import models

from remittance.choices import RemittanceSource
from remittance.models import MONEY

from .choices import (
    ClaimKind,
    ClaimSource,
    EventKind,
    FileKind,
    FileStatus,
    FrequencyCode,
    RejectionSource,
    ResolvedBy,
    SubmittedStatus,
)
from .querysets import (
    ClaimEventQuerySet,
    ClaimFileQuerySet,
    ClaimRejectionQuerySet,
    PayerAliasQuerySet,
    SubmittedClaimQuerySet,
)


class PayerAlias(models.Model):
    """A payer identifier as submitted (837 2010BB) that names a payer booked from 835s
    under another identifier. Managers edit these; every change is audited."""

    identifier = models.CharField(
        max_length=80, unique=True, help_text="The payer id as submitted on claims (837)."
    )
    payer = models.ForeignKey("remittance.Payer", on_delete=models.CASCADE, related_name="aliases")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PayerAliasQuerySet.as_manager()

    EDITABLE_FIELDS = ["identifier", "payer", "note"]

    class Meta:
        ordering = ["identifier"]
        verbose_name_plural = "payer aliases"

    def __str__(self):
        return f"{self.identifier} → {self.payer}"


class ClaimFile(models.Model):
    """One received 837, 277CA or 999 file, kept verbatim, with the outcome of reading it.
    Reading is all or nothing: a file that fails writes no claim and no status."""

    kind = models.CharField(
        max_length=5,
        choices=FileKind.choices,
        blank=True,
        help_text="Empty when the file is not X12 this product reads (it is kept, failed).",
    )
    source = models.CharField(max_length=10, choices=RemittanceSource.choices)
    filename = models.CharField(max_length=255, blank=True)
    raw = models.FileField(upload_to="claim-files/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=FileStatus.choices, default=FileStatus.RECEIVED
    )
    error = models.TextField(blank=True)
    error_detail = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text="What reading found: transactions, claims, service lines, charges (837); "
        "accepted and rejected claims (277CA, 999).",
    )
    gs_control_number = models.CharField(max_length=9, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    received_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    objects = ClaimFileQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self):
        return self.filename or f"Claim file {self.pk}"


class SubmittedClaim(models.Model):
    """A claim as submitted: the identity its 277CA acknowledgments, its 835
    adjudications (``adjudications``), replacements, voids and secondary claims hang on."""

    identity_key = models.CharField(
        max_length=100,
        unique=True,
        help_text="What makes a submission the same one again (idempotent booking).",
    )
    external_id = models.CharField(max_length=80, blank=True)
    payer = models.ForeignKey(
        "remittance.Payer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_claims",
        help_text="Empty until the submitted payer id is known (directly or by an alias).",
    )
    payer_identifier = models.CharField(max_length=80, help_text="Payer id as submitted.")
    payer_name = models.CharField(max_length=200, blank=True)
    patient_control_number = models.CharField(max_length=50)
    charge = models.DecimalField(**MONEY)
    submitted_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=4, choices=ClaimSource.choices)
    kind = models.CharField(max_length=13, choices=ClaimKind.choices, default=ClaimKind.UNKNOWN)
    frequency_code = models.CharField(
        max_length=1, choices=FrequencyCode.choices, default=FrequencyCode.ORIGINAL
    )
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacements",
        help_text="For a replacement (7) or void (8), the claim it replaces.",
    )
    payer_claim_control_number = models.CharField(
        max_length=50, blank=True, help_text="The payer's number, learned from an 835 or 277CA."
    )
    replaces_payer_claim_control_number = models.CharField(max_length=50, blank=True)
    primary_payer_claim_control_number = models.CharField(max_length=50, blank=True)
    other_payer_identifier = models.CharField(
        max_length=80, blank=True, help_text="For a secondary claim, the primary payer's id."
    )
    clearinghouse_trace_number = models.CharField(max_length=50, blank=True)
    primary_claim = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secondary_claims",
        help_text="For a secondary (COB) claim, the primary payer's claim of the encounter.",
    )
    facility_code = models.CharField(max_length=3, blank=True)
    place_of_service = models.CharField(max_length=2, blank=True)
    prior_authorization = models.CharField(max_length=50, blank=True)
    referral_number = models.CharField(max_length=50, blank=True)
    service_date_from = models.DateField(null=True, blank=True)
    service_date_to = models.DateField(null=True, blank=True)
    statement_from = models.DateField(null=True, blank=True)
    statement_to = models.DateField(null=True, blank=True)
    admission_date = models.DateField(null=True, blank=True)
    diagnosis_codes = models.JSONField(default=list, blank=True)
    billing_npi = models.CharField(max_length=10, blank=True)
    billing_tax_id = models.CharField(max_length=20, blank=True)
    rendering_npi = models.CharField(max_length=10, blank=True)
    patient_last_name = models.CharField(max_length=80, blank=True)
    patient_first_name = models.CharField(max_length=80, blank=True)
    member_id = models.CharField(max_length=80, blank=True)
    status = models.CharField(
        max_length=12, choices=SubmittedStatus.choices, default=SubmittedStatus.SUBMITTED
    )
    file = models.ForeignKey(
        ClaimFile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_claims",
        help_text="The 837 it came in, if any.",
    )
    transaction_control_number = models.CharField(
        max_length=9, blank=True, help_text="ST02 of its 837 transaction (a 999 names it)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmittedClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["payer", "patient_control_number"]),
            models.Index(fields=["payer_identifier", "patient_control_number"]),
            models.Index(fields=["patient_control_number"]),
            models.Index(fields=["payer_claim_control_number"]),
            models.Index(fields=["clearinghouse_trace_number"]),
            models.Index(fields=["status", "-submitted_on"]),
        ]

    def __str__(self):
        return f"Submitted claim {self.pk}"

    @property
    def first_service_date(self):
        return self.service_date_from or self.statement_from


class SubmittedLine(models.Model):
    claim = models.ForeignKey(SubmittedClaim, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField()
    procedure_code = models.CharField(max_length=48, blank=True)
    revenue_code = models.CharField(max_length=48, blank=True)
    modifiers = models.JSONField(default=list, blank=True)
    charge = models.DecimalField(**MONEY)
    units = models.DecimalField(max_digits=15, decimal_places=3, null=True, blank=True)
    service_date_from = models.DateField(null=True, blank=True)
    service_date_to = models.DateField(null=True, blank=True)
    line_control_number = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["claim_id", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "line_number"], name="submitted_line_once")
        ]

    def __str__(self):
        return f"{self.procedure_code or self.revenue_code} line {self.line_number}"


class ClaimRejection(models.Model):
    """A claim refused before adjudication (277CA category A3/A4/A6/A7/A8, or a 999). Not
    a denial: it never reached the payer's adjudication and is never counted as one."""

    submitted_claim = models.ForeignKey(
        SubmittedClaim, on_delete=models.CASCADE, related_name="rejections"
    )
    source = models.CharField(max_length=5, choices=RejectionSource.choices)
    category_code = models.CharField(max_length=3)
    status_code = models.CharField(max_length=5, blank=True)
    entity_code = models.CharField(max_length=3, blank=True)
    status_codes = models.JSONField(
        default=list, blank=True, help_text='Every code given, e.g. ["A7:562:85", "A7:21"].'
    )
    trace_numbers = models.JSONField(default=list, blank=True)
    rejected_on = models.DateField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_kind = models.CharField(max_length=11, choices=ResolvedBy.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimRejectionQuerySet.as_manager()

    class Meta:
        ordering = ["-rejected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "submitted_claim",
                    "source",
                    "rejected_on",
                    "category_code",
                    "status_code",
                    "entity_code",
                ],
                name="claim_rejection_once",
            )
        ]
        indexes = [models.Index(fields=["submitted_claim", "resolved_at"])]

    def __str__(self):
        return f"Rejection {self.category_code}:{self.status_code}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ClaimEvent(models.Model):
    """One line of a submitted claim's timeline. Replaying the same input adds nothing:
    an event is unique per claim and kind for its remittance claim, its rejection, or
    (with neither) its date."""

    submitted_claim = models.ForeignKey(
        SubmittedClaim, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField()
    detail = models.TextField(blank=True)
    remittance_claim = models.ForeignKey(
        "remittance.Claim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_claim_events",
    )
    rejection = models.ForeignKey(
        ClaimRejection, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimEventQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_claim_id", "occurred_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_claim", "kind", "remittance_claim"],
                condition=models.Q(remittance_claim__isnull=False),
                name="claim_event_once_per_remittance_claim",
            ),
            models.UniqueConstraint(
                fields=["submitted_claim", "kind", "rejection"],
                condition=models.Q(rejection__isnull=False),
                name="claim_event_once_per_rejection",
            ),
            models.UniqueConstraint(
                fields=["submitted_claim", "kind", "occurred_on"],
                condition=models.Q(remittance_claim__isnull=True, rejection__isnull=True),
                name="claim_event_once_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_on}"
