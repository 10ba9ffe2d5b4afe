import django_filters
from django.db.models import Q
from django.utils import timezone
from django_filters.widgets import BooleanWidget

from remittance.choices import PayerType
from remittance.models import Payer
from worklist.models import Team

from .choices import AppealKind, AppealLevel, AppealStatus, Outcome
from .models import Appeal


class AnyYesNo(BooleanWidget):
    """A yes/no filter that reads "Any" when unset (not "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "Any"), ("true", "Yes"), ("false", "No"))


class AppealFilterSet(django_filters.FilterSet):
    """Shared by the appeals page and the appeals API."""

    q = django_filters.CharFilter(
        method="search", max_length=50, label="Patient account / payer claim number / reference"
    )
    status = django_filters.ChoiceFilter(choices=AppealStatus.choices)
    open = django_filters.BooleanFilter(
        method="filter_open", label="Open (not decided)", widget=AnyYesNo
    )
    kind = django_filters.ChoiceFilter(choices=AppealKind.choices)
    level = django_filters.ChoiceFilter(choices=AppealLevel.choices)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    payer = django_filters.ModelChoiceFilter(queryset=Payer.objects.all())
    payer_type = django_filters.ChoiceFilter(choices=PayerType.choices, label="Payer type")
    team = django_filters.ModelChoiceFilter(
        field_name="item__team", queryset=Team.objects.all(), label="Team"
    )
    item = django_filters.NumberFilter(field_name="item_id", min_value=1, max_value=2**62)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Past the expected decision date", widget=AnyYesNo
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label="Deadline on or before"
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="gte", label="Submitted on or after"
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_on", lookup_expr="lte", label="Submitted on or before"
    )
    decided_after = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label="Decided on or after"
    )
    decided_before = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label="Decided on or before"
    )

    class Meta:
        model = Appeal
        fields = ["status", "kind", "level", "outcome", "payer"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(patient_control_number=value)
            | Q(payer_claim_control_number=value)
            | Q(reference=value)
        )

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
