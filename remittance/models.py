"""Remittances as booked: the file received, its 835 transactions, claims, lines and
adjustments. Patient names and ids live here and only here; never log them."""

from django.conf import settings
from django.db import models

from .choices import (
    ClaimStatus,
    PayerType,
    PipelineStep,
    PostingExceptionLevel,
    PostingExceptionStatus,
    RemarkSource,
    RemittanceSource,
    RemittanceStatus,
)
from .querysets import ClaimQuerySet, PostingExceptionQuerySet, RemittanceQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}

# Booked rows (claims and below) are written only by ``remittance.booking``, in one
# database transaction that creates parents before children, so their references hold by
# construction. Database-level FK checks on these append-only tables ran at every commit
# and cost about a fifth of ingest time (docs/benchmarks.md), so they are left off.
# Deletes still cascade: Django emulates ON DELETE itself.
BOOKED = {"db_constraint": False}


class Payer(models.Model):
    """A payer, keyed by its identifier (N1*PR N104 or REF*2U) or, lacking one, its name."""

    key = models.CharField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    identifier = models.CharField(max_length=80, blank=True)
    id_qualifier = models.CharField(max_length=3, blank=True)
    payer_type = models.CharField(
        max_length=20,
        choices=PayerType.choices,
        default=PayerType.OTHER,
        help_text="Guessed from the first claim's filing indicator; managers may correct it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Remittance(models.Model):
    """One received 835 file, kept verbatim, with the outcome of booking it."""

    source = models.CharField(max_length=10, choices=RemittanceSource.choices)
    filename = models.CharField(max_length=255, blank=True)
    raw = models.FileField(upload_to="remittances/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=RemittanceStatus.choices, default=RemittanceStatus.RECEIVED
    )
    error = models.TextField(blank=True)
    error_detail = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    isa_control_number = models.CharField(max_length=9, blank=True)
    gs_control_number = models.CharField(max_length=9, blank=True)
    transaction_count = models.PositiveIntegerField(default=0)
    duplicate_transaction_count = models.PositiveIntegerField(default=0)
    claim_count = models.PositiveIntegerField(default=0)
    denied_claim_count = models.PositiveIntegerField(default=0)
    service_line_count = models.PositiveIntegerField(default=0)
    denial_count = models.PositiveIntegerField(default=0)
    posting_exception_count = models.PositiveIntegerField(default=0)
    payment_total = models.DecimalField(**MONEY, default=0)
    claim_paid_total = models.DecimalField(**MONEY, default=0)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="Last handed to the task queue for booking."
    )
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="Last time a worker started booking it."
    )
    attempts = models.PositiveIntegerField(default=0, help_text="Booking attempts started.")
    follow_up_done_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the steps after booking (follow-up of earlier items) last completed.",
    )

    objects = RemittanceQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self):
        return self.filename or f"Remittance {self.pk}"

    def open_step_failures(self):
        """Pipeline steps that failed for this file and have not succeeded since."""
        return self.step_failures.filter(cleared_at__isnull=True)


class StepFailure(models.Model):
    """A pipeline step (booking, follow-up, intake) that failed for a remittance after
    its retries, with the error's message. Cleared when a later run of the step succeeds;
    open failures are listed on the system-health panel and by ``check_integrity``."""

    remittance = models.ForeignKey(
        Remittance, on_delete=models.CASCADE, related_name="step_failures"
    )
    step = models.CharField(max_length=20, choices=PipelineStep.choices)
    message = models.TextField()
    attempts = models.PositiveIntegerField(default=1)
    failed_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["remittance", "step"],
                condition=models.Q(cleared_at__isnull=True),
                name="one_open_failure_per_step",
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()} failed for remittance {self.remittance_id}"


class Era(models.Model):
    """One ST..SE 835 transaction: a payer's payment advice to a payee."""

    remittance = models.ForeignKey(Remittance, on_delete=models.CASCADE, related_name="eras")
    position = models.PositiveIntegerField()
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="eras")
    payee_name = models.CharField(max_length=200, blank=True)
    payee_npi = models.CharField(max_length=20, blank=True)
    payee_tax_id = models.CharField(max_length=20, blank=True)
    isa_control_number = models.CharField(max_length=9, blank=True)
    gs_control_number = models.CharField(max_length=9, blank=True)
    st_control_number = models.CharField(max_length=9)
    version = models.CharField(max_length=12, blank=True)
    handling_code = models.CharField(max_length=2, blank=True)
    payment_amount = models.DecimalField(**MONEY)
    credit_debit = models.CharField(max_length=1, blank=True)
    payment_method = models.CharField(max_length=3, blank=True)
    payment_date = models.DateField(null=True, blank=True)
    production_date = models.DateField(null=True, blank=True)
    trace_number = models.CharField(max_length=50, blank=True)
    originator_id = models.CharField(max_length=50, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    claim_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["remittance_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["payer", "trace_number", "payment_amount"],
                condition=~models.Q(trace_number=""),
                name="era_unique_payer_trace_amount",
            )
        ]

    def __str__(self):
        return f"ERA {self.trace_number or self.st_control_number}"


class Claim(models.Model):
    """A CLP claim loop as the payer adjudicated it in one ERA."""

    era = models.ForeignKey(Era, on_delete=models.CASCADE, related_name="claims", **BOOKED)
    remittance = models.ForeignKey(
        Remittance, on_delete=models.CASCADE, related_name="claims", **BOOKED
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="claims", **BOOKED)
    position = models.PositiveIntegerField()
    patient_control_number = models.CharField(max_length=50)
    status_code = models.CharField(max_length=2, choices=ClaimStatus.choices)
    charge = models.DecimalField(**MONEY)
    paid = models.DecimalField(**MONEY)
    patient_responsibility = models.DecimalField(**MONEY, null=True, blank=True)
    filing_indicator = models.CharField(max_length=2, blank=True)
    payer_claim_control_number = models.CharField(max_length=50, blank=True)
    facility_type = models.CharField(max_length=2, blank=True)
    frequency_code = models.CharField(max_length=1, blank=True)
    drg_code = models.CharField(max_length=4, blank=True)
    drg_weight = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    statement_from = models.DateField(null=True, blank=True)
    statement_to = models.DateField(null=True, blank=True)
    received_date = models.DateField(null=True, blank=True)
    patient_last_name = models.CharField(max_length=80, blank=True)
    patient_first_name = models.CharField(max_length=80, blank=True)
    patient_id = models.CharField(max_length=80, blank=True)
    insured_last_name = models.CharField(max_length=80, blank=True)
    insured_first_name = models.CharField(max_length=80, blank=True)
    insured_id = models.CharField(max_length=80, blank=True)
    corrected_insured_id = models.CharField(max_length=80, blank=True)
    rendering_provider_id = models.CharField(max_length=80, blank=True)
    coverage_amount = models.DecimalField(**MONEY, null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_claims",
        **BOOKED,
        help_text=(
            "The latest earlier 835 claim of the same claim: the same identity, or the "
            "same payer and patient account where one has no identity."
        ),
    )
    reversal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reversals",
        **BOOKED,
        help_text="For a reversal (status 22), the claim it takes back.",
    )
    corrected_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrects",
        **BOOKED,
        help_text="For a reversal, the next non-reversal 835 claim of the same claim.",
    )
    # The claim as submitted, set when the claims app links this adjudication to it (a
    # model named, not imported: the submitted side sits beside this app).
    submitted_claim = models.ForeignKey(
        "claims.SubmittedClaim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adjudications",
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["era_id", "position"]
        indexes = [
            models.Index(fields=["patient_control_number", "id"]),
            models.Index(fields=["payer_claim_control_number"]),
            models.Index(fields=["payer", "status_code"]),
        ]

    def __str__(self):
        return f"Claim {self.patient_control_number}"

    @property
    def is_reversal(self) -> bool:
        return self.status_code == ClaimStatus.REVERSAL


class ServiceLine(models.Model):
    """An SVC service line of a claim."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="service_lines", **BOOKED
    )
    position = models.PositiveIntegerField()
    procedure_qualifier = models.CharField(max_length=2, blank=True)
    procedure_code = models.CharField(max_length=48, blank=True)
    modifiers = models.JSONField(default=list, blank=True)
    description = models.CharField(max_length=80, blank=True)
    charge = models.DecimalField(**MONEY)
    paid = models.DecimalField(**MONEY)
    revenue_code = models.CharField(max_length=48, blank=True)
    units = models.DecimalField(max_digits=15, decimal_places=3, null=True, blank=True)
    original_procedure_code = models.CharField(max_length=48, blank=True)
    original_units = models.DecimalField(max_digits=15, decimal_places=3, null=True, blank=True)
    service_date_from = models.DateField(null=True, blank=True)
    service_date_to = models.DateField(null=True, blank=True)
    control_number = models.CharField(max_length=50, blank=True)
    allowed_amount = models.DecimalField(**MONEY, null=True, blank=True)

    class Meta:
        ordering = ["claim_id", "position"]

    def __str__(self):
        return f"{self.procedure_code or self.revenue_code} line {self.position}"


class Adjustment(models.Model):
    """A CAS adjustment triplet, on a claim (service_line empty) or on one of its lines."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="adjustments", **BOOKED)
    service_line = models.ForeignKey(
        ServiceLine,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adjustments",
        **BOOKED,
    )
    position = models.PositiveIntegerField()
    group_code = models.CharField(max_length=2)
    reason_code = models.CharField(max_length=5)
    amount = models.DecimalField(**MONEY)
    quantity = models.DecimalField(max_digits=15, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["claim_id", "position"]
        indexes = [models.Index(fields=["group_code", "reason_code"])]

    def __str__(self):
        return f"{self.group_code}-{self.reason_code} {self.amount}"


class Remark(models.Model):
    """A remark code (RARC) on a claim (MIA/MOA) or on a service line (LQ)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="remarks", **BOOKED)
    service_line = models.ForeignKey(
        ServiceLine,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="remarks",
        **BOOKED,
    )
    source = models.CharField(max_length=3, choices=RemarkSource.choices)
    code = models.CharField(max_length=8)

    class Meta:
        ordering = ["claim_id", "id"]

    def __str__(self):
        return self.code


class ProviderAdjustment(models.Model):
    """A PLB provider-level adjustment; recoupments are tied to their claim when the
    reference names one."""

    era = models.ForeignKey(Era, on_delete=models.CASCADE, related_name="provider_adjustments")
    position = models.PositiveIntegerField()
    provider_id = models.CharField(max_length=50, blank=True)
    fiscal_period_date = models.DateField(null=True, blank=True)
    reason_code = models.CharField(max_length=2)
    reference = models.CharField(max_length=50, blank=True)
    amount = models.DecimalField(**MONEY)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="recoupments"
    )

    class Meta:
        ordering = ["era_id", "position"]

    def __str__(self):
        return f"PLB {self.reason_code} {self.amount}"


class PostingException(models.Model):
    """A claim (or a whole transaction) of a booked file that could not be read: kept with
    its raw segments and the message for posting staff to work by hand, while the rest of
    the file books. The patient control number and raw segments are patient data: never
    log them."""

    remittance = models.ForeignKey(
        Remittance, on_delete=models.CASCADE, related_name="posting_exceptions"
    )
    era = models.ForeignKey(
        Era,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="posting_exceptions",
        help_text="The booked transaction of a quarantined claim; empty for a failed one.",
    )
    level = models.CharField(max_length=12, choices=PostingExceptionLevel.choices)
    transaction_position = models.PositiveIntegerField(
        help_text="0-based position of the transaction in the file."
    )
    transaction_control_number = models.CharField(max_length=9, blank=True)
    claim_position = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="0-based position of the claim among all the transaction's claim loops.",
    )
    patient_control_number = models.CharField(max_length=50, blank=True)
    segment_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="File segment number where reading failed."
    )
    segment_id = models.CharField(max_length=10, blank=True)
    element = models.PositiveSmallIntegerField(null=True, blank=True)
    message = models.TextField()
    raw_segments = models.TextField(help_text="As received, segment terminators included.")
    status = models.CharField(
        max_length=10, choices=PostingExceptionStatus.choices, default=PostingExceptionStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostingExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"Posting exception {self.pk}"
