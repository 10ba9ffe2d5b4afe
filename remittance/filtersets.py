import django_filters
from django.db.models import Q

from .choices import (
    PostingExceptionLevel,
    PostingExceptionStatus,
    RemittanceSource,
    RemittanceStatus,
)
from .models import Payer, PostingException, Remittance


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
    remittance = django_filters.NumberFilter(field_name="remittance_id", label="Remittance")

    class Meta:
        model = PostingException
        fields = ["status", "level", "remittance"]
