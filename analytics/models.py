"""Rollups: the per-claim facts of ``analytics.facts`` stored, so the claim-based metrics
are aggregates over one row per claim identity instead of the raw 835, submission and
rejection rows. Derived data only: ``analytics.rollups`` writes them (incrementally after
each change, or all at once with ``manage.py analytics_rebuild``); nothing else does."""

from django.db import models

MONEY = {"max_digits": 16, "decimal_places": 2}
# Facts point at raw rows without a database constraint: raw rows are deleted (a file
# rolled back, a claim merged) before the refresh that follows catches up.
LOOSE = {"null": True, "blank": True, "on_delete": models.DO_NOTHING, "db_constraint": False}


class ClaimFact(models.Model):
    """One claim identity (docs/metrics.md, "Claim identity"): its submission facts when
    its root is an original the provider submitted, and its first adjudication's facts
    when it has one. The cuts of each side are stored as the metrics read them
    (``analytics.filters``): submission cuts on the root, adjudication cuts on the 835
    claim and the submission it is linked to."""

    key = models.CharField(max_length=80, unique=True, help_text="s:<root> or u:<payer>:<CLP01>")
    root = models.ForeignKey("claims.SubmittedClaim", related_name="+", **LOOSE)
    patient_control_number = models.CharField(
        max_length=50, blank=True, help_text="CLP01 of an identity with no submission."
    )
    # Submission: an original (frequency 1, 837 or feed) with a date, else all empty.
    submitted_on = models.DateField(null=True, blank=True)
    charge = models.DecimalField(**MONEY, null=True, blank=True)
    payer = models.ForeignKey("remittance.Payer", related_name="+", db_index=False, **LOOSE)
    provider = models.CharField(max_length=10, blank=True)
    facility_code = models.CharField(max_length=3, blank=True)
    place_of_service = models.CharField(max_length=2, blank=True)
    rejected = models.BooleanField(default=False, help_text="A 277CA/999 rejection, ever.")
    # First adjudication: empty until the payer decides the claim.
    first_claim = models.ForeignKey("remittance.Claim", related_name="+", db_index=False, **LOOSE)
    adjudicated_on = models.DateField(null=True, blank=True)
    adjudicated_charge = models.DecimalField(**MONEY, null=True, blank=True)
    adjudicated_payer = models.ForeignKey(
        "remittance.Payer", related_name="+", db_index=False, **LOOSE
    )
    adjudicated_provider = models.CharField(max_length=80, blank=True)
    adjudicated_location = models.CharField(max_length=3, blank=True)
    adjudicated_place = models.CharField(max_length=2, blank=True)
    denied = models.BooleanField(default=False)
    paid = models.BooleanField(default=False)
    rejected_before = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["submitted_on", "payer"], name="fact_submitted"),
            models.Index(fields=["adjudicated_on", "adjudicated_payer"], name="fact_adjudicated"),
            models.Index(fields=["patient_control_number"], name="fact_pcn"),
        ]

    def __str__(self) -> str:
        return self.key


class FactCode(models.Model):
    """A procedure or revenue code on a claim identity's lines, for the code cuts: on the
    root's submitted lines (side ``s``), or on the first adjudication's service lines and
    its submission's lines (side ``a``)."""

    fact = models.ForeignKey(ClaimFact, on_delete=models.DO_NOTHING, related_name="codes")
    side = models.CharField(max_length=1)
    field = models.CharField(max_length=1, help_text="p: procedure, r: revenue")
    code = models.CharField(max_length=48)

    class Meta:
        indexes = [models.Index(fields=["side", "field", "code"], name="factcode_code")]

    def __str__(self) -> str:
        return f"{self.side}{self.field}:{self.code}"


class ArSegment(models.Model):
    """A claim identity's insurance A/R balance (docs/metrics.md, "Days in A/R") over the
    days ``starts_on`` .. ``ends_on`` (excluded; open-ended when empty) in which it is
    in A/R and not zero: A/R at E is the sum of the segments that hold E. The root's
    submission date and payer are copied for the aging and payer cuts."""

    fact = models.ForeignKey(ClaimFact, on_delete=models.DO_NOTHING, related_name="segments")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    balance = models.DecimalField(**MONEY)
    submitted_on = models.DateField()
    payer = models.ForeignKey("remittance.Payer", related_name="+", db_index=False, **LOOSE)

    class Meta:
        # A/R at a day sums the segments holding it from these indexes alone (the
        # columns the sums and cuts read are included): the open segments, and those
        # closed later.
        indexes = [
            models.Index(
                fields=["ends_on", "starts_on"],
                include=["balance", "submitted_on", "payer"],
                name="arsegment_closed",
            ),
            models.Index(
                fields=["starts_on"],
                include=["balance", "submitted_on", "payer"],
                condition=models.Q(ends_on=None),
                name="arsegment_open_sums",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact_id}: {self.balance} from {self.starts_on}"


class RollupState(models.Model):
    """The refresh's bookkeeping: changes up to ``watermark`` are in the facts; the last
    failure is kept until a run succeeds (never silent)."""

    name = models.CharField(max_length=40, unique=True)
    watermark = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    identities = models.PositiveIntegerField(default=0, help_text="Refreshed by the last run.")
    seconds = models.FloatField(default=0)
    failures = models.PositiveIntegerField(default=0, help_text="Failed runs since a success.")
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


OPEN_ITEM_COLUMNS = [
    "open_amount", "recovered_amount", "deadline", "team", "payer", "category", "control_point",
    "procedure_code",
]  # fmt: skip


class ItemFact(models.Model):
    """A denial worklist item's figures (``analytics.facts.denial_items``), with the
    first action by a person stored rather than looked up among its activities. The
    cut columns keep the item's names, so ``analytics.filters.item_condition`` applies."""

    item = models.OneToOneField(
        "worklist.WorklistItem", primary_key=True, related_name="+", on_delete=models.DO_NOTHING,
        db_constraint=False,
    )  # fmt: skip
    claim = models.ForeignKey("remittance.Claim", related_name="+", db_index=False, **LOOSE)
    payer = models.ForeignKey("remittance.Payer", related_name="+", db_index=False, **LOOSE)
    team = models.ForeignKey("worklist.Team", related_name="+", db_index=False, **LOOSE)
    category = models.CharField(max_length=30)
    control_point = models.CharField(max_length=30, blank=True)
    procedure_code = models.CharField(max_length=48, blank=True)
    resolution = models.CharField(max_length=25, blank=True)
    open_amount = models.DecimalField(**MONEY)
    recovered_amount = models.DecimalField(**MONEY)
    deadline = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    first_action_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Items open at a day's end are read from the index alone (the columns the sums
        # and cuts read are included): those still open, and those resolved later.
        indexes = [
            models.Index(fields=["created_at"], name="itemfact_created"),
            models.Index(fields=["resolved_at"], name="itemfact_resolved"),
            models.Index(
                fields=["created_at"],
                include=OPEN_ITEM_COLUMNS,
                condition=models.Q(resolved_at=None),
                name="itemfact_open_sums",
            ),
        ]

    def __str__(self) -> str:
        return f"item {self.item_id}"


class SubmissionDay(models.Model):
    """Original claims submitted on a day to a payer (``ClaimFact`` summed): the
    submission figures without a provider, location or code cut read these."""

    day = models.DateField(db_index=True)
    payer = models.ForeignKey("remittance.Payer", related_name="+", db_index=False, **LOOSE)
    claims = models.PositiveIntegerField()
    clean = models.PositiveIntegerField(help_text="Never rejected.")
    charges = models.DecimalField(**MONEY)

    def __str__(self) -> str:
        return f"{self.day} {self.payer_id}: {self.claims}"


class AdjudicationDay(models.Model):
    """Claim identities first adjudicated on a day by a payer (``ClaimFact`` summed)."""

    day = models.DateField(db_index=True)
    payer = models.ForeignKey("remittance.Payer", related_name="+", db_index=False, **LOOSE)
    claims = models.PositiveIntegerField()
    denied = models.PositiveIntegerField()
    denied_charges = models.DecimalField(**MONEY)
    first_pass = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.day} {self.payer_id}: {self.claims}"


class DenialDay(models.Model):
    """Claim identities first adjudicated on a day by a payer with a denial in a category
    (``DenialFact`` counted): the payer behaviour alerts' weekly counts read these when
    no other denial-side cut applies."""

    day = models.DateField(db_index=True)
    payer = models.ForeignKey("remittance.Payer", related_name="+", db_index=False, **LOOSE)
    category = models.CharField(max_length=30)
    claims = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.day} {self.payer_id} {self.category}: {self.claims}"


class DenialFact(models.Model):
    """A denial on a claim identity's first adjudication, with what the denial-side cuts
    of the denial rates read: its category and codes, the control point (its item's, else
    the catalog's for its CARC) and its item's team; its denied dollars, which the
    root-cause and scorecard cuts sum; and its claim's payer and provider. Codes are the
    JSON text of the denial's lists, matched as ``denials.querysets.code_condition``
    matches them."""

    fact = models.ForeignKey(ClaimFact, on_delete=models.DO_NOTHING, related_name="denials")
    denial = models.ForeignKey("denials.Denial", related_name="+", db_index=False, **LOOSE)
    adjudicated_on = models.DateField()
    category = models.CharField(max_length=30)
    group_code = models.CharField(max_length=2, blank=True)
    reason_code = models.CharField(max_length=5, blank=True)
    denied_amount = models.DecimalField(**MONEY, default=0)
    # The claim fact's adjudication cuts, copied: the payer and provider cuts and
    # groupings read them without joining the claim facts.
    payer = models.ForeignKey("remittance.Payer", related_name="+", db_index=False, **LOOSE)
    provider = models.CharField(max_length=80, blank=True)
    adjustment_codes = models.TextField(blank=True)
    remark_codes = models.TextField(blank=True)
    control_point = models.CharField(max_length=30, blank=True)
    team = models.ForeignKey("worklist.Team", related_name="+", db_index=False, **LOOSE)

    class Meta:
        indexes = [models.Index(fields=["adjudicated_on"], name="denialfact_adjudicated")]

    def __str__(self) -> str:
        return f"{self.fact_id}: {self.category}"


# ---- Industry references ----------------------------------------------------------
# Published figures shown beside the dashboards' own. They are data, not code: managers
# edit them on a page as new studies come out.


class Comparison(models.TextChoices):
    AVERAGE = "average", "average"
    MEDIAN = "median", "median"
    TARGET_AT_MOST = "target_at_most", "target ≤"
    TARGET_BELOW = "target_below", "target <"
    TARGET_AT_LEAST = "target_at_least", "target ≥"
    TOP_DECILE = "top_decile", "best tenth"
    RANGE = "range", "range"


class Unit(models.TextChoices):
    RATE = "rate", "Rate (fraction: 0.118 is 11.8 %)"
    DAYS = "days", "Days"


class IndustryReference(models.Model):
    """One published figure for a metric (``metric`` is a name from docs/metrics.md):
    ``value`` (and ``value_high`` for a range) with what kind of figure it is, its source
    and year."""

    metric = models.CharField(max_length=60, db_index=True)
    label = models.CharField(max_length=120)
    value = models.DecimalField(max_digits=10, decimal_places=4)
    value_high = models.DecimalField(
        max_digits=10, decimal_places=4, null=True, blank=True, help_text="Top of a range."
    )
    unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.RATE)
    comparison = models.CharField(max_length=20, choices=Comparison.choices)
    source = models.CharField(max_length=300)
    url = models.URLField(blank=True, max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["metric", "id"]

    def __str__(self):
        return f"{self.metric}: {self.label}"

    @property
    def display(self) -> str:
        """ "11.8 %", "54–63 %", "57 days"."""

        def fmt(v):
            if self.unit == Unit.RATE:
                return f"{float(v) * 100:.1f}".rstrip("0").rstrip(".")
            return f"{float(v):.1f}".rstrip("0").rstrip(".")

        text = fmt(self.value)
        if self.value_high is not None:
            text += f"–{fmt(self.value_high)}"
        return text + (" %" if self.unit == Unit.RATE else " days")
