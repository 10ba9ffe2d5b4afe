"""Worklist pages: the queues billers work, the item page and its actions, and the
manager's overview, bulk changes and rule editors.

Every page needs a signed-in staff user (``StaffPageMixin``); items are always read
through ``WorklistItem.objects.for_user``, so another team's item is a 404. htmx requests
(``HX-Request``) get the fragment they swap in: the queue table, or the item's actions
and timeline. Without JavaScript the same URLs answer plain GET and POST + redirect."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from accounts.permissions import StaffPageMixin
from accounts.roles import is_manager
from audit.models import AuditAction
from audit.services import audit_record
from denials.models import Denial
from denials.selectors import code_descriptions
from remittance.models import Claim

from . import forms
from .choices import OPEN_STATUSES, DeadlineState, ItemStatus, Resolution
from .filtersets import WorklistItemFilterSet
from .models import PayerRule, RoutingRule, Team, WorklistItem
from .selectors import SORTS, queue_page, queue_queryset, team_overview
from .services import (
    AssignmentRefused,
    InvalidAssignment,
    InvalidTransition,
    item_approve_write_off,
    item_assign,
    item_mark_resubmitted,
    item_next,
    item_note,
    item_resolve,
    item_set_follow_up,
    item_start_appeal,
    items_bulk_update,
)

WORKABLE = {ItemStatus.NEW, ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.AWAITING_PAYER}


def is_htmx(request) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


def render_page(request, full: str, partial: str, context: dict, status: int = 200):
    response = render(request, partial if is_htmx(request) else full, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


class ManagerPageMixin(StaffPageMixin):
    """Managers only: everyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_manager(request.user):
            raise PermissionDenied("Only managers may open this page.")
        return super().dispatch(request, *args, **kwargs)


def teams_for(user):
    return Team.objects.all() if is_manager(user) else user.teams.all()


def item_for(user, pk: int) -> WorklistItem:
    qs = WorklistItem.objects.for_user(user).select_related("payer", "team", "assignee")
    return get_object_or_404(qs, pk=pk)


@dataclass(frozen=True)
class Countdown:
    text: str
    tone: str  # overdue, at-risk, ok or none: the colour


def countdown(deadline: date | None, state: str, today: date) -> Countdown:
    if deadline is None:
        return Countdown("—", "none")
    days = (deadline - today).days
    plural = "" if abs(days) == 1 else "s"
    if days < 0:
        return Countdown(f"overdue {-days} day{plural}", "overdue")
    text = "due today" if days == 0 else f"due in {days} day{plural}"
    tone = {DeadlineState.MISSED: "overdue", DeadlineState.AT_RISK: "at-risk"}.get(state, "ok")
    return Countdown(text, tone)


# ---- Queues ---------------------------------------------------------------------------


class QueueFilterSet(WorklistItemFilterSet):
    """The shared FilterSet plus the item's age, which it lacks (asked of the lead)."""

    age_days = django_filters.NumberFilter(method="filter_age", label="Older than (days)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("age_days", "due_within_days"):  # a date can't be 10**12 days away
            self.form.fields[name].validators += [MinValueValidator(0), MaxValueValidator(36500)]

    def filter_age(self, queryset, name, value):
        cutoff = timezone.localdate() - timedelta(days=int(value))
        return queryset.filter(
            Q(received_date__lte=cutoff)
            | Q(received_date__isnull=True, created_at__date__lte=cutoff)
        )


def filtered_queue(*, user, scope: str, params, filterset=None):
    """The queue selector's items, filtered by the fields that validate (an invalid one is
    shown on the form and ignored) and by the age filter the shared FilterSet lacks."""
    filterset = filterset or QueueFilterSet(params or None, queryset=WorklistItem.objects.none())
    filterset.form.is_valid()
    valid = params.copy()
    for name in filterset.form.errors:
        valid.pop(name, None)
    qs = queue_queryset(user=user, scope=scope, filters=valid)
    age = getattr(filterset.form, "cleaned_data", {}).get("age_days")
    return qs if age is None else filterset.filter_age(qs, "age_days", age)


def safe_queue_page(*, queryset, sort: str, cursor: str | None, size: int):
    """A queue page; a cursor that does not decode to this sort's keys means page one."""
    try:
        return queue_page(queryset=queryset, sort=sort, cursor=cursor, size=size)
    except (ValueError, TypeError, ArithmeticError):
        return queue_page(queryset=queryset, sort=sort, cursor=None, size=size)


def query(params, **changes) -> str:
    """The query string with ``changes`` applied (a None value drops the key)."""
    q = params.copy()
    for key, value in changes.items():
        q.pop(key, None)
        if value is not None:
            q[key] = value
    return q.urlencode()


class QueueView(StaffPageMixin, TemplateView):
    """My queue: the open items assigned to me."""

    template_name = "worklist/queue.html"
    partial_name = "partials/worklist_table.html"
    page_size = 50
    team = None

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return render_page(request, self.template_name, self.partial_name, context)

    def scope(self) -> str:
        return "mine"

    def filter_form(self, filterset):
        return forms.queue_filter_form(
            filterset.form, drop=("assignee", "unassigned"), teams=teams_for(self.request.user)
        )

    def get_context_data(self, **kwargs):
        params, user = self.request.GET, self.request.user
        filterset = QueueFilterSet(params or None, queryset=WorklistItem.objects.none())
        qs = filtered_queue(user=user, scope=self.scope(), params=params, filterset=filterset)
        page = safe_queue_page(
            queryset=qs,
            sort=params.get("sort", ""),
            cursor=params.get("after"),
            size=self.page_size,
        )
        carcs, _ = code_descriptions(carcs={i.reason_code for i in page.items}, rarcs=set())
        today = timezone.localdate()
        item_url = reverse("worklist:item_detail", args=[0]).replace("/0/", "/{}/")
        for item in page.items:  # formatted here once: template filters cost more per row
            item.countdown = countdown(item.deadline, item.deadline_state, today)
            item.reason_text = carcs.get(item.reason_code, "")
            item.reason_short = Truncator(item.reason_text).chars(90)
            item.url = item_url.format(item.pk)
            item.priority_text = f"{item.priority:,.0f}"
            item.amount_text = f"${item.open_amount:,.2f}"
            item.service_text = item.service_date.isoformat() if item.service_date else "—"
            item.deadline_text = item.deadline.isoformat() if item.deadline else ""
        return super().get_context_data(
            team=self.team,
            # Built only when the template renders it (the rendered form is cached).
            filter_form=functools.cache(lambda: self.filter_form(filterset)),
            page=page,
            # Counting 200,000 open items costs more than the whole page: count up to a cap.
            total=min(total := qs[: COUNT_CAP + 1].count(), COUNT_CAP),
            total_more=total > COUNT_CAP,
            sort_links={key: query(params, sort=key, after=None) for key in SORTS},
            next_query=query(params, after=page.next_cursor) if page.next_cursor else "",
            first_query=query(params, after=None) if params.get("after") else None,
            filter_query=query(params, sort=None, after=None),
            **self.extra_context_data(),
            **kwargs,
        )

    def extra_context_data(self) -> dict:
        return {}


COUNT_CAP = 1_000


class TeamQueueView(QueueView):
    """A team's open items: a team I am on, or any team for a manager."""

    def get(self, request, *args, **kwargs):
        self.team = get_object_or_404(teams_for(request.user), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def scope(self) -> str:
        return self.team.slug

    def filter_form(self, filterset):
        members = self.team.members.order_by("username")
        return forms.queue_filter_form(filterset.form, drop=("team",), members=members)

    def extra_context_data(self) -> dict:
        if not is_manager(self.request.user):
            return {}
        return {"bulk_form": forms.BulkForm(team=self.team, prefix="bulk")}


class TeamListView(StaffPageMixin, TemplateView):
    template_name = "worklist/team_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        teams = list(teams_for(user).annotate(member_count=Count("members")))
        open_items = WorklistItem.objects.for_user(user).open()
        stats = {
            row["team_id"]: row
            for row in open_items.filter(team__in=teams)
            .values("team_id")
            .annotate(
                open=Count("id"),
                dollars=Sum("open_amount"),
                unassigned=Count("id", filter=Q(assignee__isnull=True)),
                at_risk=Count("id", filter=Q(deadline_state=DeadlineState.AT_RISK)),
                missed=Count("id", filter=Q(deadline_state=DeadlineState.MISSED)),
            )
        }
        rows = [(team, stats.get(team.pk, {})) for team in teams]
        mine = open_items.filter(assignee=user).count()
        return super().get_context_data(rows=rows, mine=mine, **kwargs)


class NextItemView(StaffPageMixin, View):
    """Take the most valuable free item of my teams and open it."""

    def post(self, request):
        item = item_next(user=request.user)
        if item is not None:
            return redirect("worklist:item_detail", pk=item.pk)
        messages.info(request, "Your queues are empty: nothing left to take.")
        back = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect("worklist:my_queue")


# ---- The item page and its actions ----------------------------------------------------


def claim_history(claim: Claim) -> list[Claim]:
    """The claim's remittance history, oldest first: every claim of the same payer and
    patient account (the original, reversals, later payments) and the claims its
    ``previous`` links reach (an earlier payer's, e.g. before a crossover)."""
    same_account = list(
        Claim.objects.filter(patient_control_number=claim.patient_control_number)
        .select_related("payer", "era")
        .prefetch_related("adjustments", "remarks")
        .order_by("id")[:200]
    )
    by_id = {c.pk: c for c in same_account}
    chain, link = set(), claim.previous_id
    while link in by_id and link not in chain:
        chain.add(link)
        link = by_id[link].previous_id
    return [c for c in same_account if c.payer_id == claim.payer_id or c.pk in chain]


def timeline(item: WorklistItem) -> list:
    """The item's activities, newest first, with status names in words."""
    labels = dict(ItemStatus.choices)
    activities = list(item.activities.select_related("actor").order_by("-at", "-id"))
    for a in activities:
        a.from_label, a.to_label = labels.get(a.from_status, ""), labels.get(a.to_status, "")
    return activities


def panel_context(request, item: WorklistItem, bound=None, error="", notice="") -> dict:
    """What the actions and timeline partial shows: a form per action the item's state
    allows, with ``bound`` (the one just posted, with its errors) in place of its blank."""
    user, is_open = request.user, item.status in OPEN_STATUSES
    members = list(item.team.members.order_by("username"))
    manager = is_manager(user)
    workable = item.status in WORKABLE
    wanted = {
        **({"assign": forms.AssignForm} if is_open and manager else {}),
        **({"resubmit": forms.ResubmitForm} if workable else {}),
        **({"appeal": forms.AppealForm} if workable and item.appealable else {}),
        **({"paid": forms.PaidForm, "patient": forms.CloseForm} if is_open else {}),
        **({"write_off": forms.WriteOffForm} if is_open and not item.write_off_requested else {}),
        **({"follow_up": forms.FollowUpForm} if is_open else {}),
        "note": forms.NoteForm,
    }
    action_forms = {name: cls(item=item, prefix=name) for name, cls in wanted.items()}
    if bound is not None and bound.prefix in action_forms:
        action_forms[bound.prefix] = bound
    return {
        "item": item,
        "forms": action_forms,
        "is_open": is_open,
        "is_manager": manager,
        "can_take": is_open and item.assignee_id != user.pk and user in members
        and (item.assignee_id is None or manager),
        "can_unassign": is_open and item.assignee_id is not None
        and (item.assignee_id == user.pk or manager),
        "activities": timeline(item),
        "error": error,
        "notice": notice,
    }  # fmt: skip


def item_page_context(request, item: WorklistItem, **panel) -> dict:
    claim = (
        Claim.objects.select_related("remittance", "era", "payer")
        .prefetch_related("service_lines", "adjustments", "remarks")
        .get(pk=item.claim_id)
    )
    today = timezone.localdate()
    deadlines = [
        ("Appeal", item.appeal_deadline),
        ("Corrected claim (timely filing)", item.refile_deadline),
    ]
    return {
        "claim": claim,
        "history": claim_history(claim),
        "denials": Denial.objects.filter(item_link__item=item).select_related(
            "service_line", "remittance"
        ),
        "deadlines": [(label, day, countdown(day, "", today)) for label, day in deadlines],
        "countdown": countdown(item.deadline, item.deadline_state, today),
        **panel_context(request, item, **panel),
    }


class ItemDetailView(StaffPageMixin, View):
    def get(self, request, pk: int):
        item = item_for(request.user, pk)
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=item, channel="page")
        return render(request, "worklist/item_detail.html", item_page_context(request, item))


def _take(*, item, actor, data):
    item_assign(item=item, assignee=actor, actor=actor)
    return "Assigned to you."


def _unassign(*, item, actor, data):
    item_assign(item=item, assignee=None, actor=actor)
    return "Unassigned."


def _assign(*, item, actor, data):
    item_assign(item=item, assignee=data["assignee"], actor=actor)
    return f"Assigned to {data['assignee'].get_username()}."


def _note(*, item, actor, data):
    item_note(item=item, actor=actor, text=data["text"])
    return "Note added."


def _follow_up(*, item, actor, data):
    item_set_follow_up(item=item, actor=actor, on=data["on"])
    return f"Follow-up set for {data['on']:%Y-%m-%d}."


def _resubmit(*, item, actor, data):
    item_mark_resubmitted(
        item=item, actor=actor, on=data["on"], new_claim_reference=data["new_claim_reference"]
    )
    return "Marked corrected and resubmitted: now awaiting the payer."


def _appeal(*, item, actor, data):
    item_start_appeal(item=item, actor=actor, note=data["note"])
    return "Appeal started."


def _close(resolution: str):
    def run(*, item, actor, data):
        partial = data.get("resolution") == Resolution.RECOVERED_PARTIAL
        item = item_resolve(
            item=item,
            actor=actor,
            resolution=data.get("resolution", resolution),
            control_point=data["control_point"],
            cause=data["cause"],
            recovered_amount=data.get("amount") if partial else None,
            reason=data.get("reason", ""),
        )
        if item.write_off_requested and item.status != ItemStatus.RESOLVED:
            return "Write-off requested: it waits for a manager's approval."
        return f"Closed: {item.get_resolution_display().lower()}."

    return run


def _approve(*, item, actor, data):
    item_approve_write_off(item=item, actor=actor)
    return "Write-off approved: the item is closed."


ACTIONS = {  # name: (form, what it does) — posted to /worklist/items/<id>/<name>/
    "take": (None, _take),
    "unassign": (None, _unassign),
    "assign": (forms.AssignForm, _assign),
    "note": (forms.NoteForm, _note),
    "follow_up": (forms.FollowUpForm, _follow_up),
    "resubmit": (forms.ResubmitForm, _resubmit),
    "appeal": (forms.AppealForm, _appeal),
    "patient": (forms.CloseForm, _close(Resolution.PATIENT_OR_SECONDARY)),
    "write_off": (forms.WriteOffForm, _close(Resolution.WRITTEN_OFF)),
    "paid": (forms.PaidForm, _close(Resolution.RECOVERED_FULL)),
    "approve_write_off": (None, _approve),
}


class ItemActionView(StaffPageMixin, View):
    """One action on an item. Success: the refreshed panel (htmx) or a redirect to the
    item page. Refused: the message inline, 400 (bad input or move) or 403 (not allowed)."""

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404("No such action.")
        form_class, run = ACTIONS[action]
        item = item_for(request.user, pk)
        form = form_class(request.POST, item=item, prefix=action) if form_class else None
        status, error, notice = 400, "", ""
        if form is not None and not form.is_valid():
            error = "Please correct the fields marked below."
        else:
            try:
                notice = run(item=item, actor=request.user, data=form and form.cleaned_data)
                status = 200
            except AssignmentRefused as exc:
                status, error = 403, str(exc)
            except (InvalidTransition, InvalidAssignment) as exc:
                error = str(exc)
        if status == 200 and not is_htmx(request):
            messages.success(request, notice)
            return redirect("worklist:item_detail", pk=pk)
        item = item_for(request.user, pk)
        bound = form if status != 200 else None
        if is_htmx(request):
            context = panel_context(request, item, bound=bound, error=error, notice=notice)
            return render_page(request, "", "partials/worklist_item_panel.html", context, status)
        context = item_page_context(request, item, bound=bound, error=error)
        return render(request, "worklist/item_detail.html", context, status=status)


# ---- Managers: overview, bulk changes, editors ----------------------------------------


class OverviewView(ManagerPageMixin, TemplateView):
    template_name = "worklist/overview.html"

    def get_context_data(self, **kwargs):
        teams = team_overview()
        totals = {
            key: sum(t[key] for t in teams) for key in ("open", "dollars", "at_risk", "missed")
        }
        return super().get_context_data(teams=teams, totals=totals, **kwargs)


class BulkUpdateView(ManagerPageMixin, View):
    """Apply a change to every open item a team queue's filters (the query string)
    select: first a confirmation with the count, then the change."""

    def post(self, request, slug: str):
        team = get_object_or_404(Team, slug=slug)
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
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in EDITORS:
            raise Http404("No such editor.")
        self.editor = EDITORS[kwargs["kind"]]
        self.model, self.form_class = self.editor.model, self.editor.form_class

    def get_queryset(self):
        return (
            self.model.objects.select_related(*self.editor.related)
            .prefetch_related(*self.editor.prefetch)
            .all()
        )

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
        with transaction.atomic():
            self.object = form.save()
            audit_record(actor=self.request.user, action=action, obj=self.object, channel="page")
        messages.success(self.request, f"Saved {self.editor.singular} “{self.object}”.")
        return redirect("worklist:manage_list", kind=self.kwargs["kind"])


class EditorCreateView(EditorFormMixin, CreateView):
    pass


class EditorUpdateView(EditorFormMixin, UpdateView):
    pass


class ManageIndexView(ManagerPageMixin, TemplateView):
    template_name = "worklist/manage_index.html"

    def get_context_data(self, **kwargs):
        editors = [(kind, e, e.model.objects.count()) for kind, e in EDITORS.items()]
        return super().get_context_data(editors=editors, **kwargs)
