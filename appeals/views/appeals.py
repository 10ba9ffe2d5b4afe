"""The appeals pages: the list per team, starting an appeal from an item, and one
appeal's page with its letter, evidence, history and actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from accounts.access import ScopedListView, ScopedPageMixin
from accounts.roles import is_manager
from worklist.models import WorklistItem
from worklist.services import AssignmentRefused, InvalidTransition

from .. import forms, letters
from ..choices import PENDING_STATUSES, AppealKind, AppealStatus
from ..filtersets import AppealFilterSet
from ..models import Appeal
from ..services import (
    AppealRefused,
    appeal_acknowledge,
    appeal_correct_outcome,
    appeal_decide,
    appeal_note,
    appeal_proposal,
    appeal_start,
    appeal_submit,
    appeal_update,
    appeal_withdraw,
)
from .evidence import evidence_context


def _is_htmx(request) -> bool:
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


class AppealListView(ScopedListView):
    model = Appeal
    filterset_class = AppealFilterSet
    template_name = "appeals/appeal_list.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        return queryset.select_related("payer", "item__team", "item__assignee").order_by(
            "deadline", "-id"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for appeal in context["object_list"]:
            due = appeal.expected_decision_on
            appeal.days_overdue = (
                (today - due).days
                if due and appeal.status in PENDING_STATUSES and due < today
                else None
            )
        return context


class AppealStartView(ScopedPageMixin, View):
    """Start an appeal from an item: the proposal (level, deadline, route check,
    template) first, refreshed as the choices change; then the appeal."""

    model = WorklistItem

    def scope_queryset(self, queryset):
        return queryset.select_related("payer", "claim", "team", "assignee")

    def _context(self, item, form, error_reasons=(), suggested=""):
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        try:
            plan = appeal_proposal(
                item,
                kind=data.get("kind", AppealKind.APPEAL),
                clerical_error=data.get("clerical_error", False),
                timely_filing_proof=data.get("timely_filing_proof", False),
            )
        except AppealRefused as exc:
            plan = {"refusals": exc.reasons}
        return {
            "item": item,
            "form": form,
            "plan": plan,
            "reasons": list(error_reasons),
            "suggested": suggested,
            "open_appeal": item.appeals.open().first(),
        }

    def get(self, request, pk: int):
        item = self.get_object()
        form = forms.AppealStartForm(request.GET or None)
        template = (
            "appeals/partials/proposal.html" if _is_htmx(request) else "appeals/appeal_start.html"
        )
        return render(request, template, self._context(item, form))

    def post(self, request, pk: int):
        item = self.get_object()
        form = forms.AppealStartForm(request.POST)
        if not form.is_valid():
            return render(
                request, "appeals/appeal_start.html", self._context(item, form), status=400
            )
        try:
            appeal = appeal_start(item=item, actor=request.user, **form.cleaned_data)
        except AssignmentRefused as exc:
            context = self._context(item, form, [str(exc)])
            return render(request, "appeals/appeal_start.html", context, status=403)
        except (AppealRefused, InvalidTransition) as exc:
            reasons = getattr(exc, "reasons", [str(exc)])
            context = self._context(item, form, reasons, getattr(exc, "suggested_kind", ""))
            return render(request, "appeals/appeal_start.html", context, status=400)
        messages.success(request, f"{appeal.level_name} started.")
        return redirect("appeals:appeal_detail", pk=appeal.pk)


class AppealPageMixin(ScopedPageMixin):
    model = Appeal

    def scope_queryset(self, queryset):
        return queryset.select_related(
            "payer", "item", "item__team", "item__assignee", "decided_by", "template",
            "submitted_claim", "previous",
        )  # fmt: skip


def detail_context(request, appeal: Appeal, bound=None, error="") -> dict:
    user, status = request.user, appeal.status
    editable = status in (AppealStatus.DRAFT, AppealStatus.READY)
    wanted = {
        **({"edit": forms.ArgumentForm} if editable else {}),
        **({"submit": forms.SubmitForm} if editable else {}),
        **({"decide": forms.DecideForm} if status in PENDING_STATUSES else {}),
        **({"withdraw": forms.WithdrawForm} if appeal.is_open else {}),
        **(
            {"correct": forms.CorrectForm}
            if status == AppealStatus.DECIDED and is_manager(user)
            else {}
        ),
        "note": forms.NoteForm,
    }
    initial = {"edit": {"argument": appeal.argument}}
    action_forms = {
        name: cls(prefix=name, initial=initial.get(name)) for name, cls in wanted.items()
    }
    if bound is not None and bound.prefix in action_forms:
        action_forms[bound.prefix] = bound
    today = timezone.localdate()
    due = appeal.expected_decision_on
    return {
        "appeal": appeal,
        "item": appeal.item,
        "forms": action_forms,
        "error": error,
        "events": list(appeal.events.select_related("actor").order_by("-at", "-id")),
        **evidence_context(appeal),
        "letter": letters.current_html(appeal),
        "days_overdue": (today - due).days
        if due and status in PENDING_STATUSES and due < today
        else None,
        "can_acknowledge": status == AppealStatus.SUBMITTED,
        "next_level": status == AppealStatus.DECIDED
        and appeal.outcome == "upheld"
        and appeal.item.next_level_deadline is not None
        and not appeal.item.appeals.open().exists(),
        "is_manager": is_manager(user),
    }


class AppealDetailView(AppealPageMixin, View):
    def get(self, request, pk: int):
        appeal = self.get_object()
        self.audit_object(appeal)
        return render(request, "appeals/appeal_detail.html", detail_context(request, appeal))


class AppealPreviewView(AppealPageMixin, View):
    """The letter with the argument as typed, not saved (the live preview)."""

    def post(self, request, pk: int):
        appeal = self.get_object()
        form = forms.ArgumentForm(request.POST, prefix="edit")
        if form.is_valid():
            appeal.argument = form.cleaned_data["argument"]
        html = letters.current_html(appeal)
        return render(request, "appeals/partials/letter.html", {"letter": html, "appeal": appeal})


# name: (form, service, fixed arguments, message) — posted to /appeals/<id>/<name>/
ACTIONS = {
    "edit": (forms.ArgumentForm, appeal_update, {}, "Saved."),
    "ready": (None, appeal_update, {"ready": True}, "Ready to send."),
    "draft": (None, appeal_update, {"ready": False}, "Back to draft."),
    "submit": (forms.SubmitForm, appeal_submit, {}, "Marked submitted."),
    "acknowledge": (None, appeal_acknowledge, {}, "Receipt confirmed."),
    "decide": (forms.DecideForm, appeal_decide, {}, "Decision recorded."),
    "withdraw": (forms.WithdrawForm, appeal_withdraw, {}, "Withdrawn."),
    "correct": (forms.CorrectForm, appeal_correct_outcome, {}, "Outcome corrected."),
    "note": (forms.NoteForm, appeal_note, {}, "Note added."),
}


class AppealActionView(AppealPageMixin, View):
    """One action on an appeal. Success: back to its page with a message. Refused: the
    page again with the reason, 400 (or 403 when the user may not)."""

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404("No such action.")
        form_class, service, fixed, notice = ACTIONS[action]
        appeal = self.get_object()
        form = form_class(request.POST, prefix=action) if form_class else None
        status, error = 400, ""
        if form is not None and not form.is_valid():
            error = "Please correct the fields marked below."
        else:
            try:
                data = form.cleaned_data if form else {}
                service(appeal=appeal, actor=request.user, **fixed, **data)
            except AssignmentRefused as exc:
                status, error = 403, str(exc)
            except (AppealRefused, InvalidTransition) as exc:
                error = str(exc)
            else:
                messages.success(request, notice)
                return redirect("appeals:appeal_detail", pk=pk)
        appeal = self.get_object()
        context = detail_context(request, appeal, bound=form, error=error)
        return render(request, "appeals/appeal_detail.html", context, status=status)
