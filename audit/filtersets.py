import django_filters

from .models import AuditAction, AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor__username", label="User")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    object_type = django_filters.ChoiceFilter(
        choices=[
            ("remittance.remittance", "Remittance"),
            ("remittance.claim", "Claim"),
            ("remittance.postingexception", "Posting exception"),
            ("denials.denial", "Denial"),
            ("worklist.worklistitem", "Worklist item"),
            ("worklist.team", "Team"),
            ("worklist.routingrule", "Routing rule"),
            ("worklist.payerrule", "Payer rule"),
            ("worklist.categorypolicy", "Category policy"),
        ]
    )
    object_id = django_filters.CharFilter(max_length=40)
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "object_id"]
