"""Helpers shared by the worklist pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from accounts.access import ScopedPageMixin
from accounts.roles import is_manager

from ..choices import DeadlineState, ItemStatus
from ..filtersets import WorklistItemFilterSet
from ..models import Team, WorklistItem
from ..selectors import queue_page, queue_queryset

WORKABLE = {ItemStatus.NEW, ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.AWAITING_PAYER}


def is_htmx(request) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


def render_page(request, full: str, partial: str, context: dict, status: int = 200):
    response = render(request, partial if is_htmx(request) else full, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


class ManagerPageMixin(ScopedPageMixin):
    """Managers only: everyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_manager(request.user):
            raise PermissionDenied("Only managers may open this page.")
        return super().dispatch(request, *args, **kwargs)


def teams_for(user):
    return Team.objects.for_user(user)


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


def filtered_queue(*, user, scope: str, params, filterset=None):
    """The queue selector's items, filtered by the fields that validate (an invalid one is
    shown on the form and ignored)."""
    filterset = filterset or WorklistItemFilterSet(
        params or None, queryset=WorklistItem.objects.none()
    )
    filterset.form.is_valid()
    valid = params.copy()
    for name in filterset.form.errors:
        valid.pop(name, None)
    return queue_queryset(user=user, scope=scope, filters=valid)


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
