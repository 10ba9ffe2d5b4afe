from decimal import Decimal

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q

from .choices import (
    PostingExceptionLevel,
    PostingExceptionStatus,
    RemittanceSource,
    RemittanceStatus,
)
from .models import Claim, Payer, PostingException, Remittance

# Bounds for numbers in filters: beyond them the database would overflow (a 400 with a
# field error rather than a 500), and nothing real lies there.
MAX_ID = 2**63 - 1
MAX_AMOUNT = Decimal("999999999999.99")  # numeric(14, 2)


def id_filter(**kwargs) -> django_filters.NumberFilter:
    """A row id in a filter: a whole number from 1 to the largest id the database holds."""
    return django_filters.NumberFilter(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ID)],
        max_digits=19,
        decimal_places=0,
        **kwargs,
    )


def amount_filter(**kwargs) -> django_filters.NumberFilter:
    """An amount of money (or a score) in a filter: from 0 to what numeric(14, 2) holds."""
    return django_filters.NumberFilter(
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)], **kwargs
    )


class RemittanceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=RemittanceStatus.choices)
    source = django_filters.ChoiceFilter(choices=RemittanceSource.choices)
    payer = django_filters.ModelChoiceFilter(
        queryset=Payer.objects.all(), field_name="eras__payer", distinct=True, label="Payer"
    )
    trace_number = django_filters.CharFilter(
        field_name="eras__trace_number", distinct=True, label="Payment trace number"
    )
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label="Received on or after"
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label="Received on or before"
    )

    class Meta:
        model = Remittance
        fields = ["status", "source"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(filename__icontains=value) | Q(eras__trace_number=value) | Q(sha256=value.lower())
        ).distinct()


class PostingExceptionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PostingExceptionStatus.choices)
    level = django_filters.ChoiceFilter(choices=PostingExceptionLevel.choices)
    remittance = id_filter(field_name="remittance_id", label="Remittance")

    class Meta:
        model = PostingException
        fields = ["status", "level", "remittance"]


class ClaimFilterSet(django_filters.FilterSet):
    """The claims API's filters."""

    remittance = id_filter(field_name="remittance_id", label="Remittance")
    status_code = django_filters.CharFilter(max_length=2)
    patient_control_number = django_filters.CharFilter(max_length=50)
    payer = django_filters.ModelChoiceFilter(queryset=Payer.objects.all())

    class Meta:
        model = Claim
        fields = ["remittance", "status_code", "patient_control_number", "payer"]
