"""The dashboards' filter form: one form for every dashboard, mirroring ``MetricFilters``
and validating as the metrics API does (analytics/api/serializers.py), so a bad value is
a form error, never a 500."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from denials.choices import ControlPoint, DenialCategory
from remittance.choices import PayerType
from remittance.models import Payer
from worklist.models import Team

from .api.serializers import FIRST_DAY, LAST_DAY, MONTH
from .filters import MetricFilters
from .models import IndustryReference


def _blank(choices) -> list:
    return [("", "Any"), *choices]


class DashboardFilterForm(forms.Form):
    month = forms.CharField(required=False, max_length=7, help_text="YYYY-MM")
    vars()["from"] = forms.DateField(required=False, label="From")
    to = forms.DateField(required=False, label="To")
    payer = forms.ModelChoiceField(Payer.objects.order_by("name"), required=False)
    payer_type = forms.ChoiceField(choices=_blank(PayerType.choices), required=False)
    category = forms.ChoiceField(choices=_blank(DenialCategory.choices), required=False)
    reason_code = forms.CharField(required=False, max_length=12, label="Reason code")
    control_point = forms.ChoiceField(choices=_blank(ControlPoint.choices), required=False)
    provider = forms.CharField(required=False, max_length=10, label="Provider NPI")
    location = forms.CharField(required=False, max_length=3)
    procedure_code = forms.CharField(required=False, max_length=48, label="Procedure")
    revenue_code = forms.CharField(required=False, max_length=48, label="Revenue code")
    team = forms.ModelChoiceField(Team.objects.order_by("name"), required=False)

    PERIOD = ("month", "from", "to")

    def __init__(self, data=None, *, today: date | None = None, **kwargs):
        """With no period in ``data``, the month so far (first of the month to today)."""
        data = data.copy() if data is not None else {}
        if hasattr(data, "setlist"):
            data = {k: data.get(k) for k in data}
        if not any(data.get(name) for name in self.PERIOD):
            today = today or timezone.localdate()
            data["from"], data["to"] = today.replace(day=1).isoformat(), today.isoformat()
        super().__init__(data, **kwargs)

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError("Give a month as YYYY-MM, e.g. 2025-06.")
        year, month = int(match[1]), int(match[2])
        if not (FIRST_DAY.year, FIRST_DAY.month) <= (year, month) <= (LAST_DAY.year, 12):
            raise forms.ValidationError(f"Must be between {FIRST_DAY:%Y-%m} and {LAST_DAY:%Y-%m}.")
        return year, month

    def clean(self):
        data = super().clean()
        month, start, end = data.get("month"), data.get("from"), data.get("to")
        if self.errors:
            return data
        if month and (start or end):
            self.add_error("month", "Give a month, or from and to, not both.")
        elif not month and (start is None or end is None):
            self.add_error("to" if start else "from", "Give both from and to (YYYY-MM-DD).")
        elif not month:
            for name, day in (("from", start), ("to", end)):
                if not FIRST_DAY <= day <= LAST_DAY:
                    self.add_error(name, f"Must be between {FIRST_DAY} and {LAST_DAY}.")
            if not self.errors and start > end:
                self.add_error("from", "Must not be after to.")
        return data

    def filters(self) -> MetricFilters:
        """The validated cuts (call after ``is_valid()``)."""
        d = self.cleaned_data
        cuts = {
            "payer": d["payer"].pk if d.get("payer") else None,
            "team": d["team"].pk if d.get("team") else None,
            **{
                name: (d.get(name) or "").strip()
                for name in (
                    "payer_type", "category", "reason_code", "control_point", "provider",
                    "location", "procedure_code", "revenue_code",
                )
            },
        }  # fmt: skip
        if d.get("month"):
            return MetricFilters.for_month(*d["month"], **cuts)
        return MetricFilters(d["from"], d["to"], **cuts)


class IndustryReferenceForm(forms.ModelForm):
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = IndustryReference
        fields = [
            "metric", "label", "value", "value_high", "unit", "comparison", "source", "url",
            "year",
        ]  # fmt: skip
