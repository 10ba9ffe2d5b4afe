"""Appeals and the other ways a denial goes back to the payer (a reopening, a corrected
claim): one row per submission at one level, from draft to decision, with its history,
letter and evidence. An appeal keeps what it argued (claim number, codes, amounts) in its
own columns, and the item and remittance rows it came from can never be deleted under it
(``PROTECT``), so the record outlives any clean-up of remittances."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from denials.choices import DenialCategory
from remittance.choices import PayerType
from remittance.models import BOOKED, MONEY, Payer, Remittance
from worklist.models import WorklistItem

from .choices import (
    AppealKind,
    AppealLevel,
    AppealStatus,
    DecisionSource,
    EventKind,
    Outcome,
    SubmissionMethod,
    level_name,
)
from .querysets import AppealQuerySet, LetterTemplateQuerySet


class Appeal(models.Model):
    item = models.ForeignKey(WorklistItem, on_delete=models.PROTECT, related_name="appeals")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_levels",
        help_text="The decided (upheld) appeal this one takes to the next level.",
    )
    submitted_claim = models.ForeignKey(
        "claims.SubmittedClaim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="appeals")
    payer_type = models.CharField(max_length=20, choices=PayerType.choices)
    kind = models.CharField(max_length=20, choices=AppealKind.choices, default=AppealKind.APPEAL)
    level = models.CharField(max_length=10, choices=AppealLevel.choices, default=AppealLevel.FIRST)
    status = models.CharField(
        max_length=20, choices=AppealStatus.choices, default=AppealStatus.DRAFT
    )
    # What was appealed, as it stood when the appeal started.
    patient_control_number = models.CharField(max_length=50)
    payer_claim_control_number = models.CharField(max_length=50, blank=True)
    category = models.CharField(max_length=30, choices=DenialCategory.choices)
    reason_codes = models.JSONField(default=list, help_text='e.g. ["CO-50", "N115"]')
    procedure_code = models.CharField(max_length=48, blank=True)
    service_date = models.DateField(null=True, blank=True)
    amount_appealed = models.DecimalField(**MONEY)
    # Deadlines and the payer's clock.
    deadline = models.DateField(null=True, blank=True)
    deadline_explanation = models.CharField(max_length=300, blank=True)
    min_amount_in_controversy = models.DecimalField(**MONEY, null=True, blank=True)
    expected_decision_on = models.DateField(null=True, blank=True)
    expected_explanation = models.CharField(max_length=300, blank=True)
    # The case and how it was sent.
    clerical_error = models.BooleanField(
        default=False, help_text="A minor error or omission (for Medicare: a reopening)."
    )
    argument = models.TextField(blank=True, help_text="The biller's argument, in the letter.")
    template = models.ForeignKey(
        "LetterTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    letter_html = models.TextField(
        blank=True, help_text="The letter as sent (frozen on submission)."
    )
    method = models.CharField(max_length=12, choices=SubmissionMethod.choices, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=80, blank=True)
    # The decision.
    outcome = models.CharField(max_length=25, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    recovered_amount = models.DecimalField(**MONEY, default=0)
    decision_source = models.CharField(max_length=10, choices=DecisionSource.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_remittance = models.ForeignKey(
        Remittance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", **BOOKED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "expected_decision_on"]),
            models.Index(fields=["payer", "level", "decided_on"]),
            models.Index(fields=["item", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(  # one live appeal per item at a time
                fields=["item"],
                condition=models.Q(status__in=["draft", "ready", "submitted", "awaiting_decision"]),
                name="appeal_one_open_per_item",
            ),
            models.CheckConstraint(
                condition=models.Q(recovered_amount__gte=0), name="appeal_recovered_not_negative"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.pk} ({self.level_name}, {self.get_status_display()})"
        )

    @property
    def level_name(self) -> str:
        if self.kind != AppealKind.APPEAL:
            return self.get_kind_display()
        return level_name(self.level, self.payer_type)

    @property
    def is_open(self) -> bool:
        return self.status not in (AppealStatus.DECIDED, AppealStatus.WITHDRAWN)


class AppealDenial(models.Model):
    """The denials an appeal covers (one or more, of one claim)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="denial_links")
    denial = models.ForeignKey(
        "denials.Denial", on_delete=models.PROTECT, related_name="appeal_links", **BOOKED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "denial"], name="appeal_denial_once")
        ]

    def __str__(self):
        return f"Denial {self.denial_id} in appeal {self.appeal_id}"


class AppealEvent(models.Model):
    """The appeal's history: every change, who (or which remittance) made it, and why."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    remittance = models.ForeignKey(
        Remittance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", **BOOKED
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} on appeal {self.appeal_id}"


class DecisionTime(models.Model):
    """How long a payer (or, payer empty, a payer type) takes to decide an appeal at a
    level: the expected decision date until the payer's own decided appeals say better."""

    payer = models.ForeignKey(
        Payer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payer_type = models.CharField(max_length=20, choices=PayerType.choices, blank=True)
    level = models.CharField(max_length=10, choices=AppealLevel.choices)
    kind = models.CharField(max_length=20, choices=AppealKind.choices, default=AppealKind.APPEAL)
    days = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3660)])
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["payer_type", "payer_id", "kind", "level"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(payer__isnull=False) | ~models.Q(payer_type=""),
                name="decision_time_has_scope",
            )
        ]

    def __str__(self):
        scope = self.payer or self.get_payer_type_display()
        return f"{scope}: {self.get_level_display()} in {self.days} days"


class LetterTemplate(models.Model):
    """A letter in Django template syntax, for a denial category (empty: any) and
    optionally one payer. The most specific active template is proposed."""

    name = models.CharField(max_length=120)
    category = models.CharField(max_length=30, choices=DenialCategory.choices, blank=True)
    payer = models.ForeignKey(
        Payer, null=True, blank=True, on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(
        max_length=20, choices=AppealKind.choices, blank=True, help_text="Empty: any."
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Django template syntax; see the merge fields.")
    active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    EDITABLE_FIELDS = ["name", "category", "payer", "kind", "subject", "body", "active"]

    objects = LetterTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["category", "payer_id", "name"]

    def __str__(self):
        return self.name


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploaded name (it may carry patient data): the content's hash.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The uploaded file's name.")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.name
