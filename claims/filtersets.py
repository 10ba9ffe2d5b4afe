import django_filters
from django.db.models import Q

from remittance.models import Payer

from .choices import ClaimSource, FileKind, FileStatus, FrequencyCode, SubmittedStatus
from .models import ClaimFile, PayerAlias, SubmittedClaim


class SubmittedClaimFilterSet(django_filters.FilterSet):
    """Shared by the submitted-claims page and the submitted-claims API."""

    q = django_filters.CharFilter(
        method="search", max_length=50, label="Patient account / payer claim number"
    )
    patient_control_number = django_filters.CharFilter(max_length=50)
    file = django_filters.NumberFilter(field_name="file_id", label="Claim file", min_value=1)
    payer = django_filters.ModelChoiceFilter(queryset=Payer.objects.all())
    payer_id = django_filters.CharFilter(
        field_name="payer_identifier",
        method="filter_payer_id",
        max_length=80,
        label="Payer id as submitted",
    )
    status = django_filters.ChoiceFilter(choices=SubmittedStatus.choices)
    source = django_filters.ChoiceFilter(choices=ClaimSource.choices)
    frequency_code = django_filters.ChoiceFilter(choices=FrequencyCode.choices)
    submitted_after = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="gte", label="Submitted on or after"
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="lte", label="Submitted on or before"
    )

    class Meta:
        model = SubmittedClaim
        fields = ["patient_control_number", "payer", "status", "source", "frequency_code"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(patient_control_number=value) | Q(payer_claim_control_number=value)
        )

    def filter_payer_id(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(payer_identifier=value) if value else queryset


class PayerAliasFilterSet(django_filters.FilterSet):
    identifier = django_filters.CharFilter(lookup_expr="icontains", max_length=80)
    payer = django_filters.ModelChoiceFilter(queryset=Payer.objects.all())

    class Meta:
        model = PayerAlias
        fields = ["identifier", "payer"]


class ClaimFileFilterSet(django_filters.FilterSet):
    """Shared by the claim-files API (and any page listing them)."""

    kind = django_filters.ChoiceFilter(choices=FileKind.choices)
    status = django_filters.ChoiceFilter(choices=FileStatus.choices)

    class Meta:
        model = ClaimFile
        fields = ["kind", "status"]
