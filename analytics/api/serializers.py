"""The metrics API's input (the period and the cuts, every one validated so bad input
is a 400 naming the field) and output."""

import calendar
import re
from datetime import date

from rest_framework import serializers

from denials.choices import ControlPoint, DenialCategory
from remittance.choices import PayerType

from ..filters import MetricFilters

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_DAY, LAST_DAY = date(1900, 4, 1), date(2999, 12, 31)  # room for the 3-month lookback
MAX_ID = 2**63 - 1


class MetricsQuerySerializer(serializers.Serializer):
    month = serializers.CharField(
        required=False, max_length=7, help_text="YYYY-MM; or give `from` and `to`."
    )
    vars()["from"] = serializers.DateField(
        required=False, help_text="First day of the period (YYYY-MM-DD), with `to`."
    )
    to = serializers.DateField(required=False, help_text="Last day of the period, included.")
    payer = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    payer_type = serializers.ChoiceField(choices=PayerType.choices, required=False)
    category = serializers.ChoiceField(choices=DenialCategory.choices, required=False)
    reason_code = serializers.CharField(
        required=False, max_length=12, help_text="A group and CARC (CO-50), a CARC or a RARC."
    )
    control_point = serializers.ChoiceField(choices=ControlPoint.choices, required=False)
    provider = serializers.CharField(
        required=False, max_length=10, help_text="Rendering provider NPI."
    )
    location = serializers.CharField(
        required=False, max_length=3, help_text="Facility code or place of service."
    )
    procedure_code = serializers.CharField(required=False, max_length=48)
    revenue_code = serializers.CharField(required=False, max_length=48)
    team = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def validate_month(self, value: str) -> tuple[date, date]:
        match = MONTH.match(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise serializers.ValidationError("Give a month as YYYY-MM, e.g. 2025-06.")
        year, month = int(match[1]), int(match[2])
        if not (FIRST_DAY.year, FIRST_DAY.month) <= (year, month) <= (LAST_DAY.year, 12):
            raise serializers.ValidationError(
                f"Must be between {FIRST_DAY:%Y-%m} and {LAST_DAY:%Y-%m}."
            )
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])

    def validate(self, attrs):
        month, start, end = attrs.pop("month", None), attrs.pop("from", None), attrs.get("to")
        attrs.pop("to", None)
        if month and (start or end):
            raise serializers.ValidationError({"month": ["Give month, or from and to, not both."]})
        if month:
            start, end = month
        elif start is None or end is None:
            missing = "to" if start else "from" if end else "month"
            raise serializers.ValidationError(
                {missing: ["Give month=YYYY-MM, or both from and to (YYYY-MM-DD)."]}
            )
        else:
            errors = {}
            for name, day in (("from", start), ("to", end)):
                if not FIRST_DAY <= day <= LAST_DAY:
                    errors[name] = [f"Must be between {FIRST_DAY} and {LAST_DAY}."]
            if errors:
                raise serializers.ValidationError(errors)
            if start > end:
                raise serializers.ValidationError({"from": ["Must not be after to."]})
        return {"date_from": start, "date_to": end, **attrs}

    def filters(self, scope_teams) -> MetricFilters:
        return MetricFilters(**self.validated_data, scope_teams=scope_teams)


class MetricSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Rates are fractions (0.15); null when there is no data."
    )
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    formula = serializers.CharField()


class MetricsSerializer(serializers.Serializer):
    metrics = serializers.DictField(child=MetricSerializer(), help_text="By metric name.")
