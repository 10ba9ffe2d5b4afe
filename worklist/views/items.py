"""The item page and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from accounts.access import ScopedPageMixin
from accounts.roles import is_manager
from claims.models import SubmittedClaim
from denials.models import Denial
from remittance.models import Claim

from .. import forms
from ..choices import OPEN_STATUSES, ItemKind, ItemStatus, Resolution
from ..models import WorklistItem
from ..rejections import rejection_words
from ..services import (
    AssignmentRefused,
    InvalidAssignment,
    InvalidTransition,
    item_approve_write_off,
    item_assign,
    item_mark_resubmitted,
    item_note,
    item_reject_write_off,
    item_resolve,
    item_set_follow_up,
)
from .common import WORKABLE, countdown, is_htmx, render_page


def claim_history(claim_id: int, account: str, *, user) -> tuple[Claim, list[Claim]]:
    """The item's claim and its remittance history the user may see, oldest first: every
    claim of the same identity (the claim from submission to payment: the original,
    reversals, later payments, a replacement's even under a new patient account) and,
    where the claim or another has no identity (booked before identities), every claim of
    the same payer and patient account (``ClaimQuerySet.same_claim_as``). Claims behind
    another team's items are left out (``Claim.objects.for_user``). The claim comes from
    the same rows, with its service lines."""
    rows = (
        Claim.objects.for_user(user)
        .select_related("payer", "era")
        .prefetch_related("adjustments", "remarks")
    )
    history = list(rows.same_claim_as(claim_id, account).order_by("id")[:200])
    claim = next((c for c in history if c.pk == claim_id), None)
    if claim is None:  # the claim has more than 200 payments and this is a late one
        claim = rows.get(pk=claim_id)
    prefetch_related_objects([claim], "service_lines")
    return claim, history


TIMELINE_LATEST = 20  # activities the item page shows; "show all" loads the rest


def timeline(item: WorklistItem, *, limit: int | None = TIMELINE_LATEST) -> tuple[list, bool]:
    """The item's activities, newest first, with status names in words: the latest
    ``limit`` (all with None), and whether there are more."""
    labels = dict(ItemStatus.choices)
    rows = item.activities.select_related("actor").order_by("-at", "-id")
    activities = list(rows if limit is None else rows[: limit + 1])
    more = limit is not None and len(activities) > limit
    for a in activities[:limit]:
        a.from_label, a.to_label = labels.get(a.from_status, ""), labels.get(a.to_status, "")
    return activities[:limit], more


def allowed_forms(user, item: WorklistItem) -> dict[str, type[forms.ItemForm]]:
    """The actions with a form that the item's state (and the user's role) allows, in the
    order the panel lists them."""
    is_open, workable = item.status in OPEN_STATUSES, item.status in WORKABLE
    paid_or_moved = is_open and item.kind == ItemKind.DENIAL  # a rejection was never paid
    return {
        **({"assign": forms.AssignForm} if is_open and is_manager(user) else {}),
        **({"resubmit": forms.ResubmitForm} if workable else {}),
        **({"paid": forms.PaidForm, "patient": forms.CloseForm} if paid_or_moved else {}),
        **({"write_off": forms.WriteOffForm} if is_open and not item.write_off_requested else {}),
        **({"follow_up": forms.FollowUpForm} if is_open else {}),
        "note": forms.NoteForm,
    }


def panel_context(
    request,
    item: WorklistItem,
    bound=None,
    error="",
    notice="",
    open_form="",
    all_activities=False,
) -> dict:
    """What the actions and timeline partial shows: a form per action the item's state
    allows, with ``bound`` (the one just posted, with its errors) in place of its blank.
    Only the note form, ``bound`` and ``open_form`` are rendered; the others are titles
    that fetch their form when opened (``ItemActionView.get``)."""
    user, is_open = request.user, item.status in OPEN_STATUSES
    manager = is_manager(user)
    workable = item.status in WORKABLE
    action_forms = {
        name: cls(item=item, prefix=name) for name, cls in allowed_forms(user, item).items()
    }
    appeals = list(item.appeals.all()) if item.kind == ItemKind.DENIAL else []
    if bound is not None and bound.prefix in action_forms:
        action_forms[bound.prefix] = bound
    activities, more = timeline(item, limit=None if all_activities else TIMELINE_LATEST)
    may_take = is_open and item.assignee_id != user.pk and (item.assignee_id is None or manager)
    return {
        "item": item,
        "forms": action_forms,
        "inline": {"note", open_form, bound.prefix if bound is not None else ""},
        "is_open": is_open,
        "is_manager": manager,
        # A team member's right; asked only when it matters (not of the item's holder),
        # and only of a manager: anyone else sees only their own teams' items.
        "can_take": may_take
        and (not manager or item.team.members.filter(pk=user.pk).exists()),
        "can_unassign": is_open and item.assignee_id is not None
        and (item.assignee_id == user.pk or manager),
        "activities": activities,
        "more_activities": more,
        # Appeals are their own records (appeals app): listed here, started on their page.
        "appeals": appeals,
        "can_appeal": workable and item.kind == ItemKind.DENIAL
        and not any(a.is_open for a in appeals),
        "error": error,
        "notice": notice,
    }  # fmt: skip


def item_page_context(request, item: WorklistItem, **panel) -> dict:
    if item.kind == ItemKind.REJECTION:
        return rejection_page_context(request, item, **panel)
    user = request.user
    claim, history = claim_history(item.claim_id, item.patient_control_number, user=user)
    today = timezone.localdate()
    service = item.through_date if item.institutional else item.service_date
    counted = "through date" if item.institutional else "date of service"
    deadlines = [
        ("Appeal", item.appeal_deadline, _since("remittance date", item.received_date)),
        (
            "Corrected claim (timely filing)",
            item.refile_deadline,
            _since(counted, service or item.service_date),
        ),
    ]
    if item.follow_up_on:
        deadlines.append(("Follow-up with the payer", item.follow_up_on, "set on the item"))
    return {
        "claim": claim,
        "history": history,
        "denials": Denial.objects.for_user(user)
        .filter(item_link__item=item)
        .select_related("service_line"),  # the remittance: its id is enough
        "deadlines": [
            (label, day, countdown(day, "", today), base) for label, day, base in deadlines
        ],
        "countdown": countdown(item.deadline, item.deadline_state, today),
        **panel_context(request, item, **panel),
    }


def rejection_page_context(request, item: WorklistItem, **panel) -> dict:
    """A rejection's item: the submitted claim (read through its own access filter) with
    its lines, the rejections with their codes in words, and the resubmission deadline.
    (The claims app has no submitted-claim page yet to link to.)"""
    submitted = (
        SubmittedClaim.objects.for_user(request.user)
        .select_related("payer")
        .prefetch_related("lines")
        .get(pk=item.submitted_claim_id)
    )
    rejections = list(item.rejections.order_by("rejected_on", "id"))
    for rejection in rejections:
        rejection.words = rejection_words(rejection)
    today = timezone.localdate()
    service = item.through_date if item.institutional else item.service_date
    counted = "through date" if item.institutional else "date of service"
    deadlines = [
        (
            "Resubmission (timely filing)",
            item.refile_deadline,
            _since(counted, service or item.service_date),
        )
    ]
    if item.follow_up_on:
        deadlines.append(("Follow-up with the payer", item.follow_up_on, "set on the item"))
    return {
        "submitted": submitted,
        "rejections": rejections,
        "deadlines": [
            (label, day, countdown(day, "", today), base) for label, day, base in deadlines
        ],
        "countdown": countdown(item.deadline, item.deadline_state, today),
        **panel_context(request, item, **panel),
    }


def _since(what: str, day) -> str:
    return f"counted from the {what}, {day:%Y-%m-%d}" if day else ""


class ItemPageMixin(ScopedPageMixin):
    model = WorklistItem

    def scope_queryset(self, queryset):
        return queryset.select_related("payer", "team", "assignee")


class ItemDetailView(ItemPageMixin, View):
    def get(self, request, pk: int):
        item = self.get_object()
        self.audit_object(item)
        return render(request, "worklist/item_detail.html", item_page_context(request, item))


class ItemTimelineView(ItemPageMixin, View):
    """Every activity of the item: the timeline fragment (htmx "show all") or the item
    page with its whole timeline."""

    def get(self, request, pk: int):
        item = self.get_object()
        self.audit_object(item, detail="timeline")
        if is_htmx(request):
            activities, _ = timeline(item, limit=None)
            context = {"item": item, "activities": activities}
        else:
            context = item_page_context(request, item, all_activities=True)
        return render_page(
            request, "worklist/item_detail.html", "partials/worklist_timeline.html", context
        )


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


def _reject(*, item, actor, data):
    item_reject_write_off(item=item, actor=actor, reason=data["reason"])
    return "Write-off rejected: the item stays open."


ACTIONS = {  # name: (form, what it does) — posted to /worklist/items/<id>/<name>/
    "take": (None, _take),
    "unassign": (None, _unassign),
    "assign": (forms.AssignForm, _assign),
    "note": (forms.NoteForm, _note),
    "follow_up": (forms.FollowUpForm, _follow_up),
    "resubmit": (forms.ResubmitForm, _resubmit),
    "patient": (forms.CloseForm, _close(Resolution.PATIENT_OR_SECONDARY)),
    "write_off": (forms.WriteOffForm, _close(Resolution.WRITTEN_OFF)),
    "paid": (forms.PaidForm, _close(Resolution.RECOVERED_FULL)),
    "approve_write_off": (None, _approve),
    "reject_write_off": (forms.RejectWriteOffForm, _reject),
}


class ItemActionView(ItemPageMixin, View):
    """One action on an item. GET: its blank form, as the fragment the panel fetches when
    the action is opened (htmx), or the item page with that form open. POST: success gives
    the refreshed panel (htmx) or a redirect to the item page; refused, the message inline,
    400 (bad input or move) or 403 (not allowed)."""

    def get(self, request, pk: int, action: str):
        item = self.get_object()
        form_class = allowed_forms(request.user, item).get(action)
        if form_class is None:  # no form, or one the item's state or the role does not allow
            raise Http404("No such form for this item.")
        self.audit_object(item, detail=f"form {action}")
        if not is_htmx(request):
            context = item_page_context(request, item, open_form=action)
            return render_page(request, "worklist/item_detail.html", "", context)
        context = {
            "item": item,
            "name": action,
            "form": form_class(item=item, prefix=action),
            "action_url": request.path,
        }
        return render_page(request, "", "partials/worklist_action_form.html", context)

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404("No such action.")
        form_class, run = ACTIONS[action]
        item = self.get_object()
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
        item = self.get_object()
        bound = form if status != 200 else None
        if is_htmx(request):
            context = panel_context(request, item, bound=bound, error=error, notice=notice)
            return render_page(request, "", "partials/worklist_item_panel.html", context, status)
        context = item_page_context(request, item, bound=bound, error=error)
        return render(request, "worklist/item_detail.html", context, status=status)


# ---- Managers: overview, bulk changes, editors ----------------------------------------
