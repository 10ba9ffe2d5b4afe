from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from accounts.permissions import StaffPageMixin
from accounts.roles import is_manager

from .filtersets import AuditEventFilterSet
from .models import AuditEvent


class AuditEventListView(StaffPageMixin, ListView):
    """Who viewed or changed what: managers only."""

    template_name = "audit/event_list.html"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_manager(request.user):
            raise PermissionDenied("Only managers may read the audit trail.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = AuditEventFilterSet(
            self.request.GET or None, queryset=AuditEvent.objects.select_related("actor")
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)
