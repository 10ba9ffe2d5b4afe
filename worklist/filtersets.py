from datetime import timedelta

import django_filters
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from denials.choices import DenialCategory
from denials.querysets import code_condition
from remittance.filtersets import amount_filter
from remittance.models import Payer

from .choices import DeadlineState, ItemKind, ItemStatus
from .models import ItemDenial, Team, WorklistItem


class WorklistItemFilterSet(django_filters.FilterSet):
    """Shared by the queue pages and the worklist API."""

    kind = django_filters.ChoiceFilter(
        choices=ItemKind.choices, label="Denials or rejections (before adjudication)"
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all())
    assignee = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all())
    unassigned = django_filters.BooleanFilter(
        field_name="assignee", lookup_expr="isnull", label="Unassigned only"
    )
    status = django_filters.MultipleChoiceFilter(choices=ItemStatus.choices)
    payer = django_filters.ModelChoiceFilter(queryset=Payer.objects.all())
    category = django_filters.ChoiceFilter(choices=DenialCategory.choices)
    reason_code = django_filters.CharFilter(
        method="filter_code", label="Reason or remark code (16, CO-16, N211)"
    )
    deadline_state = django_filters.ChoiceFilter(choices=DeadlineState.choices)
    age_days = django_filters.NumberFilter(
        method="filter_age",
        label="Older than (days)",
        validators=[MinValueValidator(0), MaxValueValidator(36_500)],
    )
    due_within_days = django_filters.NumberFilter(
        method="filter_due_within",
        label="Due within (days)",
        validators=[MinValueValidator(0), MaxValueValidator(36_500)],
    )
    open = django_filters.BooleanFilter(method="filter_open", label="Open")
    past_every_deadline = django_filters.BooleanFilter(
        method="filter_past_every_deadline", label="Past every deadline (write-off review)"
    )
    min_priority = amount_filter(
        field_name="priority", lookup_expr="gte", label="Priority at least"
    )
    max_priority = amount_filter(field_name="priority", lookup_expr="lte", label="Priority at most")
    min_amount = amount_filter(
        field_name="open_amount", lookup_expr="gte", label="Open at least ($)"
    )
    max_amount = amount_filter(
        field_name="open_amount", lookup_expr="lte", label="Open at most ($)"
    )

    class Meta:
        model = WorklistItem
        fields = ["kind", "team", "assignee", "status", "payer", "category", "reason_code"]

    def filter_age(self, queryset, name, value):
        """Items whose denial arrived at least ``value`` days ago."""
        cutoff = timezone.localdate() - timedelta(days=max(0, min(int(value), 36_500)))
        return queryset.filter(
            Q(received_date__lte=cutoff)
            | Q(received_date__isnull=True, created_at__date__lte=cutoff)
        )

    def filter_due_within(self, queryset, name, value):
        today = timezone.localdate()
        days = max(0, min(int(value), 36_500))  # a century is "any deadline"
        return queryset.filter(deadline__gte=today, deadline__lte=today + timedelta(days=days))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.filter(status=ItemStatus.RESOLVED)

    def filter_past_every_deadline(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.past_every_deadline(timezone.localdate())

    def filter_code(self, queryset, name, value):
        """Items whose own reason code matches, or any of whose denials carries the code
        (group and code, or a remark code)."""
        if not value.strip():
            return queryset
        denials = ItemDenial.objects.filter(code_condition(value, prefix="denial__"))
        return queryset.filter(
            Q(reason_code=value.strip().upper()) | Exists(denials.filter(item_id=OuterRef("pk")))
        )
