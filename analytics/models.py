"""Published industry references shown beside the dashboards' figures. They are data, not
code: managers edit them on a page as new studies come out."""

from django.db import models


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
