"""Managers edit the published industry references shown beside the figures."""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse_lazy
from django.views.generic import CreateView, ListView, UpdateView

from ..forms import IndustryReferenceForm
from ..models import IndustryReference
from .base import ManagerDashboardMixin


class ReferenceMixin(ManagerDashboardMixin):
    model = IndustryReference
    audit_reads = False  # no patient data

    def get_queryset(self):
        return IndustryReference.objects.all()


class ReferenceListView(ReferenceMixin, ListView):
    template_name = "analytics/reference_list.html"


class ReferenceEditMixin(ReferenceMixin):
    form_class = IndustryReferenceForm
    template_name = "analytics/reference_form.html"
    success_url = reverse_lazy("analytics:reference_list")

    def form_valid(self, form):
        messages.success(self.request, "Reference saved.")
        return super().form_valid(form)


class ReferenceCreateView(ReferenceEditMixin, CreateView):
    pass


class ReferenceUpdateView(ReferenceEditMixin, UpdateView):
    pass
