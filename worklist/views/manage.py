"""Manager pages: team overview, bulk changes, editors for teams and rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from audit.models import AuditAction
from audit.services import audit_record

from .. import forms
from ..integrity import integrity_checks
from ..models import PayerRule, RoutingRule, Team
from ..selectors import team_overview
from ..services import (
    InvalidAssignment,
    items_bulk_update,
    items_reroute,
    items_rerouted_by,
)
from .common import ManagerPageMixin, filtered_queue


class OverviewView(ManagerPageMixin, TemplateView):
    template_name = "worklist/overview.html"

    def get_context_data(self, **kwargs):
        teams = team_overview()
        keys = ("open", "dollars", "at_risk", "missed", "rejections", "rejection_dollars")
        totals = {key: sum(t[key] for t in teams) for key in keys}
        return super().get_context_data(teams=teams, totals=totals, **kwargs)


class HealthView(ManagerPageMixin, TemplateView):
    """System health: the integrity checks ``check_integrity`` runs, for managers."""

    template_name = "worklist/health.html"

    def get_context_data(self, **kwargs):
        checks = integrity_checks()
        return super().get_context_data(checks=checks, healthy=all(c.ok for c in checks), **kwargs)


class BulkUpdateView(ManagerPageMixin, View):
    """Apply a change to every open item a team queue's filters (the query string)
    select: first a confirmation with the count, then the change."""

    def post(self, request, slug: str):
        team = get_object_or_404(Team.objects.for_user(request.user), slug=slug)
        params = request.GET
        items = filtered_queue(user=request.user, scope=team.slug, params=params)
        form = forms.BulkForm(request.POST, team=team, prefix="bulk")
        back = reverse("worklist:team_queue", args=[team.slug]) + "?" + params.urlencode()
        context = {"team": team, "form": form, "back": back, "filter_query": params.urlencode()}
        if not form.is_valid() or "confirm" not in request.POST:
            context["count"] = items.count()
            status = 200 if form.is_valid() else 400
            return render(request, "worklist/bulk_confirm.html", context, status=status)
        try:
            changed = items_bulk_update(items=items, actor=request.user, **form.changes())
        except InvalidAssignment as exc:
            context.update(count=items.count(), error=str(exc))
            return render(request, "worklist/bulk_confirm.html", context, status=400)
        messages.success(request, f"Changed {changed} item{'s' if changed != 1 else ''}.")
        return redirect(back)


@dataclass(frozen=True)
class Editor:
    """One kind of rule a manager edits: its model, form, list columns and rows."""

    model: type
    form_class: type
    title: str
    singular: str
    columns: list[tuple[str, str]]  # (label, attribute or get_<field>_display)
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()


EDITORS = {
    "teams": Editor(
        Team,
        forms.TeamForm,
        "Teams",
        "team",
        [("Name", "name"), ("Slug", "slug"), ("Description", "description"),
         ("Members", "member_names"), ("Default", "is_default")],
        prefetch=("members",),
    ),
    "routing-rules": Editor(
        RoutingRule,
        forms.RoutingRuleForm,
        "Routing rules",
        "routing rule",
        [("Order", "order"), ("Name", "name"), ("Team", "team"), ("Active", "active"),
         ("Payer", "payer"), ("Payer type", "get_payer_type_display"),
         ("Category", "get_category_display"), ("Reason", "reason_code"),
         ("Min $", "min_amount"), ("Max $", "max_amount")],
        related=("team", "payer"),
    ),
    "payer-rules": Editor(
        PayerRule,
        forms.PayerRuleForm,
        "Payer rules",
        "payer rule",
        [("Payer", "payer"), ("Payer type", "get_payer_type_display"),
         ("Kind", "get_kind_display"), ("Months", "months"), ("Days", "days"),
         ("Basis", "get_basis_display"), ("From", "effective_from"),
         ("To", "effective_to"), ("Note", "note")],
        related=("payer",),
    ),
}  # fmt: skip


def cell(obj, attribute: str):
    if attribute == "member_names":
        return ", ".join(sorted(m.get_username() for m in obj.members.all()))
    value = getattr(obj, attribute)
    value = value() if callable(value) else value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "—" if value in (None, "") else value


class EditorMixin(ManagerPageMixin):
    """Rules and teams, read through ``for_user`` like everything else. They hold no
    patient data, so reads are not audited; every save is."""

    audit_reads = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in EDITORS:
            raise Http404("No such editor.")
        self.editor = EDITORS[kwargs["kind"]]
        self.model, self.form_class = self.editor.model, self.editor.form_class

    def scope_queryset(self, queryset):
        return queryset.select_related(*self.editor.related).prefetch_related(*self.editor.prefetch)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            editor=self.editor, kind=self.kwargs["kind"], editors=EDITORS, **kwargs
        )


class EditorListView(EditorMixin, ListView):
    template_name = "worklist/manage_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (obj, [cell(obj, attr) for _, attr in self.editor.columns])
            for obj in context["object_list"]
        ]
        return context


class EditorFormMixin(EditorMixin):
    template_name = "worklist/manage_form.html"

    def form_valid(self, form) -> HttpResponse:
        action = AuditAction.CHANGE if form.instance.pk else AuditAction.CREATE
        changed = ", ".join(form.changed_data)
        with transaction.atomic():
            self.object = form.save()
            audit_record(
                actor=self.request.user,
                action=action,
                obj=self.object,
                channel="page",
                detail=f"fields: {changed}" if changed else "",
            )
        messages.success(self.request, f"Saved {self.editor.singular} “{self.object}”.")
        if isinstance(self.object, RoutingRule) and items_rerouted_by(rule=self.object):
            return redirect("worklist:reroute", pk=self.object.pk)  # a count first
        return redirect("worklist:manage_list", kind=self.kwargs["kind"])


class EditorCreateView(EditorFormMixin, CreateView):
    pass


class EditorUpdateView(EditorFormMixin, UpdateView):
    pass


class RerouteView(ManagerPageMixin, View):
    """After a routing rule changes: how many open items it now sends elsewhere, and,
    on confirmation, move them."""

    def get(self, request, pk: int):
        rule = get_object_or_404(
            RoutingRule.objects.for_user(request.user).select_related("team"), pk=pk
        )
        count = len(items_rerouted_by(rule=rule))
        return render(request, "worklist/reroute_confirm.html", {"rule": rule, "count": count})

    def post(self, request, pk: int):
        rule = get_object_or_404(
            RoutingRule.objects.for_user(request.user).select_related("team"), pk=pk
        )
        moved = items_reroute(rule=rule, actor=request.user)
        messages.success(request, f"Moved {moved} item{'s' if moved != 1 else ''} to {rule.team}.")
        return redirect("worklist:manage_list", kind="routing-rules")


class ManageIndexView(ManagerPageMixin, TemplateView):
    template_name = "worklist/manage_index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        editors = [(kind, e, e.model.objects.for_user(user).count()) for kind, e in EDITORS.items()]
        return super().get_context_data(editors=editors, **kwargs)
