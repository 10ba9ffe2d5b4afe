import django_filters
from django.db.models import Q

from remittance.choices import PayerType
from remittance.models import Payer

from .choices import ClaimSource, FileKind, FileStatus, FrequencyCode, SubmittedStatus
from .models import ClaimFile, PayerAlias, SubmittedClaim, SubmittedLine


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
    # The submission-side cuts of the analytics (analytics.filters.submitted_condition),
    # so a figure cut by them links to the claims it counts.
    payer_type = django_filters.ChoiceFilter(
        choices=PayerType.choices, field_name="payer__payer_type", label="Payer type"
    )
    provider = django_filters.CharFilter(
        field_name="rendering_npi", max_length=10, label="Rendering provider (NPI)"
    )
    location = django_filters.CharFilter(
        method="filter_location", max_length=3, label="Facility code or place of service"
    )
    procedure_code = django_filters.CharFilter(
        method="filter_line_code", max_length=48, label="Procedure code (on a line)"
    )
    revenue_code = django_filters.CharFilter(
        method="filter_line_code", max_length=48, label="Revenue code (on a line)"
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

    def filter_location(self, queryset, name, value):
        return queryset.filter(Q(facility_code=value) | Q(place_of_service=value))

    def filter_line_code(self, queryset, name, value):
        """Claims with a submitted line carrying the code."""
        lines = SubmittedLine.objects.filter(**{name: value}).values("claim_id")
        return queryset.filter(pk__in=lines)


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
