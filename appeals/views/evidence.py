"""An appeal's evidence pages: the list with its upload form (a page of its own, and a
partial the appeal page includes and htmx re-renders), the download and the removal.
Each reads the appeal through ``Appeal.objects.for_user``: outside it, a 404."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from accounts.access import ScopedPageMixin
from worklist.services import AssignmentRefused
from worklist.views.common import is_htmx

from ..evidence import ACCEPTED, download_name
from ..evidence_services import (
    REMOVABLE,
    EvidenceRefused,
    EvidenceTooLarge,
    evidence_add,
    evidence_remove,
    max_bytes,
)
from ..models import Appeal, Evidence

logger = logging.getLogger(__name__)

PARTIAL = "appeals/partials/evidence.html"
PAGE = "appeals/evidence_page.html"
# Room for the multipart framing and the description around the file itself.
MULTIPART_SLACK = 64 * 1024


class EvidenceForm(forms.Form):
    # An empty file is refused by the service, in words naming it.
    file = forms.FileField(
        allow_empty_file=True,
        error_messages={"required": f"Choose a file to attach ({ACCEPTED})."},
    )
    description = forms.CharField(max_length=200, required=False)


def evidence_context(appeal: Appeal, **extra) -> dict:
    """What the evidence partial shows: the appeal page passes this into its context."""
    return {
        "appeal": appeal,
        "evidence": list(appeal.evidence.select_related("uploaded_by")),
        "evidence_removable": appeal.status in REMOVABLE,
        "evidence_limit": filesizeformat(max_bytes()),
        "evidence_accepted": ACCEPTED,
        **extra,
    }


def _next(request) -> str:
    """The page a plain (non-htmx) form came from, when it is one of ours."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


class AppealEvidenceMixin(ScopedPageMixin):
    model = Appeal
    pk_url_kwarg = "appeal_pk"

    def scope_queryset(self, queryset):
        return queryset.select_related("item", "item__assignee", "payer")

    def respond(self, request, appeal, *, status=200, notice="", error="", form=None):
        """The partial for htmx, else the page."""
        context = evidence_context(
            appeal,
            evidence_form=form,
            evidence_notice=notice,
            evidence_error=error,
            evidence_next=_next(request),
        )
        htmx = is_htmx(request)
        if htmx and status >= 400 and status != 403:
            status = 400  # htmx swaps only 400 and 403 answers in place
        self.shown = len(context["evidence"])
        response = render(request, PARTIAL if htmx else PAGE, context, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def done(self, request, appeal, notice: str):
        if is_htmx(request):
            return self.respond(request, appeal, notice=notice)
        messages.success(request, notice)
        return redirect(_next(request) or reverse("appeals:evidence", args=[appeal.pk]))


class EvidenceView(AppealEvidenceMixin, View):
    """GET: the appeal's evidence and the upload form. POST: attach a file."""

    def get(self, request, appeal_pk: int):
        appeal = self.get_object()
        response = self.respond(request, appeal)
        self.audit_list(self.shown, model=Evidence)
        return response

    def post(self, request, appeal_pk: int):
        appeal = self.get_object()
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > max_bytes() + MULTIPART_SLACK:
            error = f"The file is larger than {filesizeformat(max_bytes())}, the limit."
            return self.respond(request, appeal, status=413, error=error)
        try:
            form = EvidenceForm(request.POST, request.FILES)
            valid = form.is_valid()
        except MultiPartParserError:
            return self.respond(request, appeal, status=400, error="The upload was malformed.")
        if not valid:
            return self.respond(request, appeal, status=400, form=form)
        upload = form.cleaned_data["file"]
        try:
            evidence = evidence_add(
                appeal=appeal,
                actor=request.user,
                upload=upload,
                description=form.cleaned_data["description"],
            )
        except AssignmentRefused as exc:
            return self.respond(request, appeal, status=403, error=str(exc))
        except EvidenceRefused as exc:
            form.add_error("file", str(exc))
            status = 413 if isinstance(exc, EvidenceTooLarge) else 400
            return self.respond(request, appeal, status=status, form=form)
        finally:
            upload.close()  # a spooled copy is deleted now, not whenever collected
        return self.done(request, appeal, f"Attached {evidence.name}.")


class EvidenceDownloadView(AppealEvidenceMixin, View):
    def get(self, request, appeal_pk: int, pk: int):
        appeal = self.get_object()
        evidence = get_object_or_404(appeal.evidence, pk=pk)
        try:
            stream = evidence.file.open("rb")
        except FileNotFoundError:
            logger.error("evidence %s: stored file %s is missing", evidence.pk, evidence.file.name)
            raise Http404("The stored file is missing.") from None
        self.audit_object(evidence, detail=f"download; appeal {appeal.pk}")
        response = FileResponse(
            stream,
            as_attachment=True,
            filename=download_name(evidence.name, evidence.content_type),
            content_type=evidence.content_type,
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class EvidenceRemoveView(AppealEvidenceMixin, View):
    def post(self, request, appeal_pk: int, pk: int):
        appeal = self.get_object()
        evidence = get_object_or_404(appeal.evidence, pk=pk)
        try:
            evidence_remove(evidence=evidence, actor=request.user)
        except AssignmentRefused as exc:
            return self.respond(request, appeal, status=403, error=str(exc))
        except EvidenceRefused as exc:
            return self.respond(request, appeal, status=400, error=str(exc))
        appeal.refresh_from_db()
        return self.done(request, appeal, f"Removed {evidence.name}.")
