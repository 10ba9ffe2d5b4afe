import django_filters

from .models import AuditAction, AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor__username", label="User")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    object_type = django_filters.ChoiceFilter(
        choices=[
            ("remittance.remittance", "Remittance"),
            ("remittance.claim", "Claim"),
            ("worklist.worklistitem", "Worklist item"),
        ]
    )
    object_id = django_filters.CharFilter()
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "object_id"]
