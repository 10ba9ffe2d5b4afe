from django.core.exceptions import PermissionDenied

from accounts.access import ScopedListView
from accounts.roles import is_manager

from .filtersets import AuditEventFilterSet
from .models import AuditEvent


class AuditEventListView(ScopedListView):
    """Who viewed or changed what: managers only."""

    model = AuditEvent
    filterset_class = AuditEventFilterSet
    audit_reads = False  # ids and names only; reading it would only log itself
    template_name = "audit/event_list.html"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_manager(request.user):
            raise PermissionDenied("Only managers may read the audit trail.")
        return super().dispatch(request, *args, **kwargs)

    def scope_queryset(self, queryset):
        return queryset.select_related("actor")
