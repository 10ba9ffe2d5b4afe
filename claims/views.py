from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from accounts.access import ScopedListView, ScopedPageMixin
from accounts.permissions import StaffPageMixin
from accounts.roles import is_manager

from .catalog import describe_composite
from .choices import ClaimSource
from .feed import CSV_COLUMNS, MAX_ROWS, CsvError, csv_rows, feed_parse
from .filtersets import PayerAliasFilterSet, SubmittedClaimFilterSet
from .forms import FeedUploadForm, PayerAliasForm
from .models import PayerAlias, SubmittedClaim
from .selectors import claim_timeline, submitted_claims_for
from .services import payer_alias_save, submitted_claims_book


class SubmittedClaimListView(ScopedListView):
    model = SubmittedClaim
    filterset_class = SubmittedClaimFilterSet
    template_name = "claims/submittedclaim_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return submitted_claims_for(user=self.request.user, queryset=queryset)


class SubmittedClaimDetailView(ScopedPageMixin, TemplateView):
    """One claim as submitted, its one timeline, rejections in words and links to the
    remittances that adjudicated it."""

    model = SubmittedClaim
    template_name = "claims/submittedclaim_detail.html"

    def scope_queryset(self, queryset):
        return submitted_claims_for(user=self.request.user, queryset=queryset).select_related(
            "original", "primary_claim"
        )

    def get_context_data(self, **kwargs):
        claim = self.get_object()
        self.audit_object(claim)
        rejections = [
            (r, [describe_composite(code) for code in r.status_codes]) for r in claim.rejection_list
        ]
        return super().get_context_data(
            claim=claim,
            events=claim_timeline(claim=claim),
            rejections=rejections,
            replacements=claim.replacements.for_user(self.request.user),
            secondary_claims=claim.secondary_claims.for_user(self.request.user),
            **kwargs,
        )


class FeedUploadView(StaffPageMixin, FormView):
    """A CSV of claims (the feed's columns, one row per claim): good rows are kept, bad
    rows listed by their line in the file and field."""

    form_class = FeedUploadForm
    template_name = "claims/feed_upload.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=CSV_COLUMNS, max_rows=MAX_ROWS, **kwargs)

    def form_valid(self, form):
        try:
            rows = csv_rows(form.cleaned_data["file"])
        except CsvError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        if len(rows) > MAX_ROWS:
            form.add_error("file", f"At most {MAX_ROWS} claims per file; split it.")
            return self.form_invalid(form)
        parsed = feed_parse(rows, first_row=2)  # line 1 is the header
        booked = submitted_claims_book(
            claims=parsed.claims, source=ClaimSource.FEED, actor=self.request.user
        )
        context = self.get_context_data(
            form=FeedUploadForm(),
            result={
                "rows": len(rows),
                "created": len(booked.created),
                "duplicates": len(booked.duplicates),
                "errors": parsed.errors,
            },
        )
        status = 200 if not parsed.errors or parsed.claims else 400
        return self.render_to_response(context, status=status)


class ManagerOnlyMixin:
    """Managers only: everyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_manager(request.user):
            raise PermissionDenied("Only managers may open this page.")
        return super().dispatch(request, *args, **kwargs)


class PayerAliasListView(ManagerOnlyMixin, ScopedListView):
    model = PayerAlias
    filterset_class = PayerAliasFilterSet
    template_name = "claims/payeralias_list.html"
    paginate_by = 100
    audit_reads = False

    def scope_queryset(self, queryset):
        return queryset.select_related("payer")


class PayerAliasEditView(ManagerOnlyMixin, ScopedPageMixin, FormView):
    """Create (no pk) or change a payer alias, through the one service that audits it and
    maps the claims it names."""

    model = PayerAlias
    form_class = PayerAliasForm
    template_name = "claims/payeralias_form.html"
    audit_reads = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_object() if "pk" in self.kwargs else None
        return kwargs

    def form_valid(self, form):
        alias = payer_alias_save(
            alias=form.instance if form.instance.pk else None,
            identifier=form.cleaned_data["identifier"],
            payer=form.cleaned_data["payer"],
            note=form.cleaned_data["note"],
            actor=self.request.user,
            channel="page",
        )
        messages.success(self.request, f"Saved payer alias {alias.identifier}.")
        return redirect("claims:payer_alias_list")
