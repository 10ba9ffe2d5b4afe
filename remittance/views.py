from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, TemplateView

from accounts.permissions import StaffPageMixin
from audit.models import AuditAction
from audit.services import audit_record

from .filtersets import PostingExceptionFilterSet, RemittanceFilterSet
from .forms import PostingExceptionResolveForm
from .models import PostingException, Remittance
from .selectors import remittance_claims
from .services import PostingExceptionResolved, posting_exception_resolve


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
            open_posting_exceptions=remittance.posting_exceptions.open().count(),
            **kwargs,
        )


class RemittanceUploadView(StaffPageMixin, TemplateView):
    template_name = "remittance/remittance_upload.html"


class PostingExceptionListView(StaffPageMixin, ListView):
    template_name = "remittance/posting_exception_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = PostingExceptionFilterSet(
            self.request.GET or None,
            queryset=PostingException.objects.for_user(self.request.user).select_related(
                "remittance", "resolved_by"
            ),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


class PostingExceptionDetailView(StaffPageMixin, TemplateView):
    """One posting exception with its raw segments (patient data: every view is audited),
    and the form that resolves it."""

    template_name = "remittance/posting_exception_detail.html"

    def get_object(self) -> PostingException:
        return get_object_or_404(
            PostingException.objects.for_user(self.request.user).select_related(
                "remittance", "resolved_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        exception = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=exception, channel="page")
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
