import django_filters
from django.db.models import Q
from django.db.models.functions import Coalesce

from claims.models import SubmittedLine
from remittance.choices import PayerType
from remittance.filtersets import amount_filter, id_filter
from remittance.models import Payer, ServiceLine

from .choices import ControlPoint, DenialCategory, DenialLevel, Severity
from .models import Denial, ReasonCode
from .querysets import code_condition


class DenialFilterSet(django_filters.FilterSet):
    """Shared by the denial list page and the denial API."""

    q = django_filters.CharFilter(method="search", label="Patient account / claim number")
    payer = django_filters.ModelChoiceFilter(queryset=Payer.objects.all())
    category = django_filters.ChoiceFilter(choices=DenialCategory.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    level = django_filters.ChoiceFilter(choices=DenialLevel.choices)
    reason_code = django_filters.CharFilter(
        method="filter_code", label="Reason or remark code (16, CO-16, N211)"
    )
    group_code = django_filters.CharFilter(label="Group code")
    appealable = django_filters.BooleanFilter()
    remittance = id_filter(field_name="remittance_id")
    min_amount = amount_filter(
        field_name="denied_amount", lookup_expr="gte", label="Denied at least ($)"
    )
    max_amount = amount_filter(
        field_name="denied_amount", lookup_expr="lte", label="Denied at most ($)"
    )
    service_after = django_filters.DateFilter(
        field_name="service_date", lookup_expr="gte", label="Served on or after"
    )
    service_before = django_filters.DateFilter(
        field_name="service_date", lookup_expr="lte", label="Served on or before"
    )
    # The 835 claim's date (payment date, else production date): the analytics' figures
    # link here with the period they count.
    adjudicated_after = django_filters.DateFilter(
        method="filter_adjudicated", label="Adjudicated on or after"
    )
    adjudicated_before = django_filters.DateFilter(
        method="filter_adjudicated", label="Adjudicated on or before"
    )
    control_point = django_filters.ChoiceFilter(
        choices=ControlPoint.choices, method="filter_control_point"
    )
    team = id_filter(field_name="item_link__item__team_id", label="Team (of its item)")
    # The claim-side cuts of the analytics (analytics.filters.claim_condition, read on the
    # denial's 835 claim and the submission it is linked to), so a figure cut by them links
    # to the denials it counts.
    payer_type = django_filters.ChoiceFilter(
        choices=PayerType.choices, field_name="payer__payer_type", label="Payer type"
    )
    provider = django_filters.CharFilter(
        method="filter_provider", max_length=80, label="Rendering provider (NPI)"
    )
    location = django_filters.CharFilter(
        method="filter_location", max_length=3, label="Facility code or place of service"
    )
    procedure_code = django_filters.CharFilter(
        method="filter_line_code", max_length=48, label="Procedure code (on the claim)"
    )
    revenue_code = django_filters.CharFilter(
        method="filter_line_code", max_length=48, label="Revenue code (on the claim)"
    )

    class Meta:
        model = Denial
        fields = ["payer", "category", "severity", "level", "reason_code", "remittance"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(claim__patient_control_number=value) | queryset.filter(
            claim__payer_claim_control_number=value
        )

    def filter_code(self, queryset, name, value):
        return queryset.filter(code_condition(value))

    def filter_adjudicated(self, queryset, name, value):
        lookup = "gte" if name == "adjudicated_after" else "lte"
        on = Coalesce("era__payment_date", "era__production_date")
        return queryset.alias(adjudicated_on=on).filter(**{f"adjudicated_on__{lookup}": value})

    def filter_control_point(self, queryset, name, value):
        """The control point of the denial's item, else (no item yet) the catalog's for
        its CARC, as the analytics count it."""
        catalog = ReasonCode.objects.filter(control_point=value).values("code")
        return queryset.filter(
            Q(item_link__item__control_point=value)
            | Q(item_link__item__isnull=True, reason_code__in=catalog)
        )

    def filter_provider(self, queryset, name, value):
        """The rendering NPI of the submission the 835 claim is linked to; for an 835 claim
        linked to none, its own rendering provider id (NM1*82)."""
        return queryset.filter(
            Q(claim__submitted_claim__rendering_npi=value)
            | Q(claim__submitted_claim__isnull=True, claim__rendering_provider_id=value)
        )

    def filter_location(self, queryset, name, value):
        """The linked submission's facility code or place of service; for an 835 claim
        linked to none, its facility type (CLP08)."""
        return queryset.filter(
            Q(claim__submitted_claim__facility_code=value)
            | Q(claim__submitted_claim__place_of_service=value)
            | Q(claim__submitted_claim__isnull=True, claim__facility_type=value)
        )

    def filter_line_code(self, queryset, name, value):
        """Denials on a claim with a line carrying the code: a service line of the 835
        claim or a line of its submission. Every denial of such a claim matches, the
        claim's own and those of its other lines, as the analytics count the claim."""
        lines = ServiceLine.objects.filter(**{name: value}).values("claim_id")
        submitted = SubmittedLine.objects.filter(**{name: value}).values("claim_id")
        return queryset.filter(Q(claim_id__in=lines) | Q(claim__submitted_claim_id__in=submitted))
