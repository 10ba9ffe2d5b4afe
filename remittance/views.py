from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.generic import TemplateView

from accounts.access import ScopedListView, ScopedPageMixin
from accounts.permissions import StaffPageMixin

from .filtersets import PostingExceptionFilterSet, RemittanceFilterSet
from .forms import PostingExceptionResolveForm
from .models import PostingException, Remittance
from .selectors import remittance_claims
from .services import PostingExceptionResolved, posting_exception_resolve


class RemittanceListView(ScopedListView):
    model = Remittance
    filterset_class = RemittanceFilterSet
    template_name = "remittance/remittance_list.html"
    paginate_by = 50


class RemittanceDetailView(ScopedPageMixin, TemplateView):
    model = Remittance
    template_name = "remittance/remittance_detail.html"
    claims_per_page = 25

    def get_context_data(self, **kwargs):
        remittance = self.get_object()
        self.audit_object(remittance, detail=f"claims page {self.request.GET.get('page', 1)}"[:40])
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
            open_posting_exceptions=remittance.posting_exceptions.open().count(),
            **kwargs,
        )


class RemittanceUploadView(StaffPageMixin, TemplateView):
    template_name = "remittance/remittance_upload.html"


class PostingExceptionListView(ScopedListView):
    model = PostingException
    filterset_class = PostingExceptionFilterSet
    template_name = "remittance/posting_exception_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.select_related("remittance", "resolved_by")


class PostingExceptionDetailView(ScopedPageMixin, TemplateView):
    """One posting exception with its raw segments (patient data: every view is audited),
    and the form that resolves it."""

    model = PostingException
    template_name = "remittance/posting_exception_detail.html"

    def scope_queryset(self, queryset):
        return queryset.select_related("remittance", "resolved_by")

    def get(self, request, *args, **kwargs):
        exception = self.get_object()
        self.audit_object(exception)
        form = PostingExceptionResolveForm()
        return self.render_to_response(self.get_context_data(exception=exception, form=form))

    def post(self, request, *args, **kwargs):
        exception = self.get_object()
        form = PostingExceptionResolveForm(request.POST)
        if form.is_valid():
            try:
                posting_exception_resolve(
                    exception=exception,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    channel="page",
                )
            except PostingExceptionResolved as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Posting exception {exception.pk} resolved.")
            return redirect("remittance:posting_exception_detail", pk=exception.pk)
        context = self.get_context_data(exception=exception, form=form)
        return self.render_to_response(context, status=400)
