"""The CARC/RARC catalog and the denial records found in booked remittances."""

from django.db import models

from remittance.models import BOOKED, MONEY, Claim, Era, Payer, Remittance, ServiceLine

from .choices import (
    ControlPoint,
    DenialCategory,
    DenialLevel,
    NextAction,
    RemarkEffect,
    Severity,
)
from .querysets import DenialQuerySet


class ReasonCode(models.Model):
    """A Claim Adjustment Reason Code (CARC) and what it means for denial work."""

    code = models.CharField(max_length=5, unique=True)
    description = models.TextField()
    is_denial = models.BooleanField(
        default=False, help_text="Money the provider can pursue when used in a denial group."
    )
    denial_groups = models.CharField(
        max_length=20, blank=True, help_text="Space-separated CAS groups (e.g. 'CO OA PI')."
    )
    category = models.CharField(
        max_length=30, choices=DenialCategory.choices, default=DenialCategory.OTHER
    )
    severity = models.CharField(max_length=4, choices=Severity.choices, blank=True)
    control_point = models.CharField(max_length=30, choices=ControlPoint.choices, blank=True)
    next_action = models.CharField(max_length=30, choices=NextAction.choices, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "reason code (CARC)"

    def __str__(self):
        return f"{self.code}: {self.description[:60]}"


class RemarkCode(models.Model):
    """A Remittance Advice Remark Code (RARC), with any change it makes to a denial."""

    code = models.CharField(max_length=8, unique=True)
    description = models.TextField()
    effect = models.CharField(
        max_length=20, choices=RemarkEffect.choices, blank=True, default=RemarkEffect.NONE
    )
    category = models.CharField(max_length=30, choices=DenialCategory.choices, blank=True)
    next_action = models.CharField(max_length=30, choices=NextAction.choices, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "remark code (RARC)"

    def __str__(self):
        return f"{self.code}: {self.description[:60]}"


class Denial(models.Model):
    """Money a payer refused on a claim or service line that the provider can pursue."""

    remittance = models.ForeignKey(
        Remittance, on_delete=models.CASCADE, related_name="denials", **BOOKED
    )
    era = models.ForeignKey(Era, on_delete=models.CASCADE, related_name="denials", **BOOKED)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="denials", **BOOKED)
    service_line = models.ForeignKey(
        ServiceLine,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="denials",
        **BOOKED,
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="denials", **BOOKED)
    level = models.CharField(max_length=5, choices=DenialLevel.choices)
    group_code = models.CharField(max_length=2, blank=True)
    reason_code = models.CharField(max_length=5, blank=True)
    adjustment_codes = models.JSONField(default=list, help_text='e.g. ["CO-16", "CO-45"]')
    remark_codes = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=30, choices=DenialCategory.choices)
    severity = models.CharField(max_length=4, choices=Severity.choices)
    appealable = models.BooleanField(default=True)
    unprocessable = models.BooleanField(default=False)
    next_action = models.CharField(max_length=30, choices=NextAction.choices, blank=True)
    rule = models.CharField(max_length=200, help_text="Why this was recorded as a denial.")
    denied_amount = models.DecimalField(**MONEY)
    charge_amount = models.DecimalField(**MONEY)
    paid_amount = models.DecimalField(**MONEY)
    service_date = models.DateField(null=True, blank=True)
    received_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DenialQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(service_line__isnull=True),
                name="denial_one_per_claim",
            ),
            models.UniqueConstraint(
                fields=["service_line"],
                condition=models.Q(service_line__isnull=False),
                name="denial_one_per_line",
            ),
        ]
        indexes = [
            models.Index(fields=["payer", "category"]),
            models.Index(fields=["reason_code"]),
            models.Index(fields=["-created_at", "-id"]),
        ]

    def __str__(self):
        return f"Denial {self.group_code}-{self.reason_code} {self.denied_amount}"
