from accounts.access import ScopedListView

from .filtersets import DenialFilterSet
from .models import Denial


class DenialListView(ScopedListView):
    model = Denial
    filterset_class = DenialFilterSet
    template_name = "denials/denial_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.select_related("payer", "claim", "service_line")
