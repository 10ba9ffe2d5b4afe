"""Teams, routing and payer rules, and the worklist: one item per denial until it reaches
a final disposition. (Grain: one item per denial record. A denial is already per claim
when the claim is denied as a whole, and per line otherwise; a repeat denial of the same
claim on a later remittance joins the open item instead of opening a second one.)"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from denials.choices import ControlPoint, DenialCategory, NextAction
from denials.models import Denial
from remittance.choices import PayerType
from remittance.models import BOOKED, MONEY, Claim, Payer, Remittance

from .choices import (
    OPEN_STATUSES,
    QUEUE_ORDER,
    ActivityKind,
    DeadlineState,
    ItemKind,
    ItemStatus,
    Resolution,
    RuleBasis,
    RuleKind,
)
from .querysets import ManagersOnlyQuerySet, TeamQuerySet, WorklistItemQuerySet

# Managers edit deadline rules; bound them so no rule can push a date out of range.
MAX_RULE_DAYS = 3660  # ten years
MAX_RULE_MONTHS = 120


class Team(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    is_default = models.BooleanField(
        default=False, help_text="Receives every item no routing rule matches."
    )

    EDITABLE_FIELDS = ["name", "slug", "description", "is_default", "members"]

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_team",
            )
        ]

    def __str__(self):
        return self.name


GROUP_CODES = {"CO", "PR", "OA", "PI", "CR"}


def normalize_reason_code(text: str) -> tuple[str, str]:
    """A routing rule's reason code, tidied ("co 252" -> "CO-252"), and what is wrong with
    it ("" if nothing): it must be a CARC or RARC in the catalog, with a known group."""
    from denials.models import ReasonCode, RemarkCode

    code = text.strip().upper().replace(" ", "-")
    group, _, carc = code.rpartition("-")
    if group:
        if group not in GROUP_CODES:
            return code, f"Unknown adjustment group {group!r}: use CO, PR, OA, PI or CR."
        if not ReasonCode.objects.filter(code=carc).exists():
            return code, f"{carc} is not a reason code (CARC) in the catalog."
        return f"{group}-{carc}", ""
    if ReasonCode.objects.filter(code=code).exists():
        return code, ""
    if RemarkCode.objects.filter(code=code).exists():
        return code, ""
    return code, f"{code} is neither a reason code (CARC) nor a remark code (RARC) in the catalog."


class RoutingRule(models.Model):
    """First matching rule (lowest order) names the team. Empty conditions match all."""

    order = models.PositiveIntegerField(default=100, validators=[MaxValueValidator(1_000_000)])
    name = models.CharField(max_length=120)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="routing_rules")
    active = models.BooleanField(default=True)
    payer = models.ForeignKey(Payer, null=True, blank=True, on_delete=models.CASCADE)
    payer_type = models.CharField(max_length=20, choices=PayerType.choices, blank=True)
    category = models.CharField(max_length=30, choices=DenialCategory.choices, blank=True)
    reason_code = models.CharField(
        max_length=12,
        blank=True,
        help_text="A CARC (16: any group), a group and CARC (CO-252) or a RARC (N211).",
    )
    min_amount = models.DecimalField(**MONEY, null=True, blank=True)
    max_amount = models.DecimalField(**MONEY, null=True, blank=True)
    rendering_provider_id = models.CharField(max_length=80, blank=True)
    procedure_code = models.CharField(max_length=48, blank=True)
    revenue_code = models.CharField(max_length=48, blank=True)

    # What a manager edits, in the editor page and the API alike.
    EDITABLE_FIELDS = [
        "order",
        "name",
        "team",
        "active",
        "payer",
        "payer_type",
        "category",
        "reason_code",
        "min_amount",
        "max_amount",
        "rendering_provider_id",
        "procedure_code",
        "revenue_code",
    ]

    objects = ManagersOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.order}. {self.name} → {self.team}"

    def clean(self):
        errors = {}
        for name in ("min_amount", "max_amount"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                errors[name] = "Must not be negative."
        if self.reason_code:
            self.reason_code, problem = normalize_reason_code(self.reason_code)
            if problem:
                errors["reason_code"] = problem
        low, high = self.min_amount, self.max_amount
        if low is not None and high is not None and low > high and "max_amount" not in errors:
            errors["max_amount"] = "Must be at least the minimum amount."
        if errors:
            raise ValidationError(errors)


class PayerRule(models.Model):
    """A deadline rule: for one payer, or (payer empty) the default for a payer type.
    Rules are data with effective dates, so a change applies from its date on."""

    payer = models.ForeignKey(
        Payer, null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    payer_type = models.CharField(max_length=20, choices=PayerType.choices, blank=True)
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    months = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_RULE_MONTHS)],
        help_text="Calendar months, then days (at most ten years in all).",
    )
    days = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(MAX_RULE_DAYS)])
    basis = models.CharField(max_length=10, choices=RuleBasis.choices)
    receipt_grace_days = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(365)],
        help_text="Days after the remittance date it is presumed received.",
    )
    min_amount_in_controversy = models.DecimalField(**MONEY, null=True, blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    # What a manager edits: the editor page, the API and the admin list all use this.
    EDITABLE_FIELDS = [
        "payer",
        "payer_type",
        "kind",
        "months",
        "days",
        "basis",
        "receipt_grace_days",
        "min_amount_in_controversy",
        "effective_from",
        "effective_to",
        "note",
    ]

    objects = ManagersOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["payer_type", "payer_id", "kind", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(payer__isnull=False) | ~models.Q(payer_type=""),
                name="payer_rule_has_scope",
            )
        ]

    def __str__(self):
        scope = self.payer or self.get_payer_type_display()
        span = f"{self.months} months" if self.months else f"{self.days} days"
        return f"{scope}: {self.get_kind_display()} {span}"

    def clean(self):
        errors = {}
        if self.payer_id is None and not self.payer_type:  # the check constraint, in words
            errors["payer"] = (
                "Name a payer, or a payer type for a rule that applies to all its payers."
            )
        start, end = self.effective_from, self.effective_to
        if start is not None and end is not None and end < start:
            errors["effective_to"] = "Must not be before the effective-from date."
        amount = self.min_amount_in_controversy
        if amount is not None and amount < 0:
            errors["min_amount_in_controversy"] = "Must not be negative."
        span = (self.months or 0) * 31 + (self.days or 0)
        if span > MAX_RULE_DAYS and "months" not in errors:
            errors["days"] = "A deadline rule spans at most ten years (months and days together)."
        if errors:
            raise ValidationError(errors)


class CategoryPolicy(models.Model):
    """Per denial category: the recovery rate assumed before this installation has its own
    outcomes, how much weight that prior carries, and what working an item costs."""

    category = models.CharField(max_length=30, choices=DenialCategory.choices, unique=True)
    prior_recovery_rate = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    prior_weight = models.PositiveIntegerField(
        default=10,
        validators=[MaxValueValidator(100_000)],
        help_text="Outcomes' worth of confidence in the prior rate.",
    )
    work_cost = models.DecimalField(
        **MONEY,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100_000))],
        help_text="Expected cost to work one item.",
    )

    EDITABLE_FIELDS = ["category", "prior_recovery_rate", "prior_weight", "work_cost"]

    objects = ManagersOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["category"]
        verbose_name_plural = "category policies"

    def __str__(self):
        return self.get_category_display()


class WorklistItem(models.Model):
    """One piece of work: a denial of a booked 835 claim (``claim``), or a rejection of a
    submitted claim before adjudication (``kind`` rejection: ``submitted_claim``, no
    ``claim``). A rejection item's payer is empty while the submitted payer id maps to no
    payer (it says so in ``problem``)."""

    kind = models.CharField(
        max_length=10,
        choices=ItemKind.choices,
        default=ItemKind.DENIAL,
        db_default=ItemKind.DENIAL,
    )
    claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worklist_items",
        # PROTECT: a remittance whose claims carry work cannot be deleted under it.
        help_text="The booked 835 claim of a denial; empty for a rejection.",
        **BOOKED,
    )
    submitted_claim = models.ForeignKey(
        "claims.SubmittedClaim",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="worklist_items",
        help_text="The submitted claim a rejection refused; empty for a denial.",
    )
    payer = models.ForeignKey(
        Payer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worklist_items",
        **BOOKED,
    )
    denials = models.ManyToManyField(Denial, through="ItemDenial", related_name="items")
    rejections = models.ManyToManyField(
        "claims.ClaimRejection", through="ItemRejection", related_name="items"
    )
    patient_control_number = models.CharField(max_length=50)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="items")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worklist_items",
    )
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.NEW)
    resolution = models.CharField(max_length=25, choices=Resolution.choices, blank=True)
    category = models.CharField(max_length=30, choices=DenialCategory.choices)
    reason_code = models.CharField(max_length=5, blank=True)
    guardrail = models.CharField(
        max_length=200, blank=True, help_text="The guardrail that fired, if any."
    )
    routing_rule = models.CharField(max_length=200, help_text="Why the item went to its team.")
    suggested_action = models.CharField(max_length=30, choices=NextAction.choices, blank=True)
    appealable = models.BooleanField(default=True)
    open_amount = models.DecimalField(**MONEY)
    recovered_amount = models.DecimalField(**MONEY, default=0)
    procedure_code = models.CharField(max_length=48, blank=True)
    institutional = models.BooleanField(default=False)
    service_date = models.DateField(null=True, blank=True)
    through_date = models.DateField(null=True, blank=True)
    received_date = models.DateField(null=True, blank=True)
    appeal_deadline = models.DateField(null=True, blank=True)
    refile_deadline = models.DateField(null=True, blank=True)
    next_level_deadline = models.DateField(
        null=True,
        blank=True,
        help_text="Set when an appeal is upheld and a further level is open: the item's "
        "appeal deadline is then that level's (appeals app).",
    )
    deadline = models.DateField(null=True, blank=True, help_text="The nearest one that applies.")
    deadline_state = models.CharField(
        max_length=10, choices=DeadlineState.choices, default=DeadlineState.NONE
    )
    follow_up_on = models.DateField(null=True, blank=True)
    follow_up_due = models.BooleanField(
        default=False, help_text="Awaiting the payer past its follow-up date: top of the queue."
    )
    control_point = models.CharField(
        max_length=30,
        choices=ControlPoint.choices,
        blank=True,
        help_text="Root cause: where such denials start (prefilled from the reason code).",
    )
    root_cause = models.CharField(
        max_length=200, blank=True, help_text="Root cause in words; required to close."
    )
    resubmitted_on = models.DateField(null=True, blank=True)
    new_claim_reference = models.CharField(max_length=50, blank=True)
    write_off_requested = models.BooleanField(default=False)
    write_off_reason = models.CharField(max_length=200, blank=True)
    recovery_probability = models.DecimalField(max_digits=4, decimal_places=3, default=0)
    expected_net_recovery = models.DecimalField(**MONEY, default=0)
    priority = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    priority_explanation = models.TextField(blank=True)
    problem = models.CharField(
        max_length=300,
        blank=True,
        help_text="A rule could not be applied to this item (e.g. a deadline out of range): "
        "it has no deadline until the rule is fixed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = WorklistItemQuerySet.as_manager()

    class Meta:
        ordering = QUEUE_ORDER
        indexes = [
            # Queues read open items in queue order, a page at a time (keyset).
            models.Index(
                fields=["team", "-follow_up_due", "-priority", "-id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="item_team_queue",
            ),
            models.Index(
                fields=["assignee", "-follow_up_due", "-priority", "-id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="item_assignee_queue",
            ),
            models.Index(  # next item: a team's free items, best first
                fields=["team", "-follow_up_due", "-priority", "-id"],
                condition=models.Q(status="new", assignee__isnull=True),
                name="item_team_free",
            ),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["payer", "patient_control_number"]),
            models.Index(fields=["deadline_state", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=ItemKind.REJECTION, submitted_claim__isnull=False)
                | models.Q(kind=ItemKind.DENIAL, claim__isnull=False),
                name="item_kind_has_its_claim",
            )
        ]

    def __str__(self):
        return f"Item {self.pk} ({self.get_status_display()})"

    @property
    def is_rejection(self) -> bool:
        return self.kind == ItemKind.REJECTION


class ItemDenial(models.Model):
    """Intake's decision for one denial: the item that covers it (the one it opened, or
    the open item a repeat denial joined), or no item, with the guardrail that said there
    is nothing to work (``note``). Every denial gets exactly one, so a denial without one
    has not been through intake yet (``worklist.integrity``)."""

    item = models.ForeignKey(
        WorklistItem, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    denial = models.OneToOneField(
        Denial, on_delete=models.CASCADE, related_name="item_link", **BOOKED
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why no item was opened.")

    def __str__(self):
        if self.item_id is None:
            return f"Denial {self.denial_id}: no item ({self.note})"
        return f"Denial {self.denial_id} in item {self.item_id}"


class ItemRejection(models.Model):
    """The item that works a rejection (the one it opened, or the open item of the same
    submitted claim it joined). One per rejection, so intake never opens two; a rejection
    still open without one has not been through intake yet (``worklist.integrity``)."""

    item = models.ForeignKey(WorklistItem, on_delete=models.CASCADE, related_name="rejection_links")
    rejection = models.OneToOneField(
        "claims.ClaimRejection", on_delete=models.CASCADE, related_name="item_link"
    )

    def __str__(self):
        return f"Rejection {self.rejection_id} in item {self.item_id}"


class Activity(models.Model):
    item = models.ForeignKey(WorklistItem, on_delete=models.CASCADE, related_name="activities")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Empty when the system acted.",
    )
    kind = models.CharField(max_length=10, choices=ActivityKind.choices)
    remittance = models.ForeignKey(
        Remittance,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The payer's remittance that caused this change, if any.",
        **BOOKED,
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "activities"

    def __str__(self):
        return f"{self.get_kind_display()} on item {self.item_id}"
