from django.views.generic import ListView

from accounts.permissions import StaffPageMixin

from .filtersets import DenialFilterSet
from .models import Denial


class DenialListView(StaffPageMixin, ListView):
    template_name = "denials/denial_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = Denial.objects.for_user(self.request.user).select_related(
            "payer", "claim", "service_line"
        )
        self.filterset = DenialFilterSet(self.request.GET or None, queryset=qs)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)
