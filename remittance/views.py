from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from accounts.permissions import StaffPageMixin
from audit.models import AuditAction
from audit.services import audit_record

from .filtersets import RemittanceFilterSet
from .models import Remittance
from .selectors import remittance_claims


class RemittanceListView(StaffPageMixin, ListView):
    template_name = "remittance/remittance_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = RemittanceFilterSet(
            self.request.GET or None, queryset=Remittance.objects.for_user(self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


class RemittanceDetailView(StaffPageMixin, TemplateView):
    template_name = "remittance/remittance_detail.html"
    claims_per_page = 25

    def get_context_data(self, **kwargs):
        remittance = get_object_or_404(
            Remittance.objects.for_user(self.request.user), pk=kwargs["pk"]
        )
        audit_record(
            actor=self.request.user,
            action=AuditAction.VIEW,
            obj=remittance,
            channel="page",
            detail=f"claims page {self.request.GET.get('page', 1)}",
        )
        page = Paginator(
            remittance_claims(remittance=remittance, user=self.request.user), self.claims_per_page
        ).get_page(self.request.GET.get("page"))
        denials_by_claim = {}
        denials = remittance.denials.filter(claim__in=list(page.object_list))
        for denial in denials.select_related("service_line"):
            denials_by_claim.setdefault(denial.claim_id, []).append(denial)
        return super().get_context_data(
            remittance=remittance,
            eras=remittance.eras.select_related("payer"),
            page_obj=page,
            denials_by_claim=denials_by_claim,
            **kwargs,
        )


class RemittanceUploadView(StaffPageMixin, TemplateView):
    template_name = "remittance/remittance_upload.html"
