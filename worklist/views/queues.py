"""Queues: my queue, team queues, the team list and "next item"."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views import View
from django.views.generic import TemplateView

from accounts.access import ScopedPageMixin
from accounts.permissions import StaffPageMixin
from accounts.roles import is_manager
from denials.selectors import code_descriptions
from remittance.formatting import money

from .. import forms
from ..filtersets import WorklistItemFilterSet
from ..models import Team, WorklistItem
from ..selectors import SORTS, kind_counts
from ..services import (
    item_next,
)
from .common import (
    countdown,
    filtered_queue,
    query,
    render_page,
    safe_queue_page,
    teams_for,
)


class QueueView(ScopedPageMixin, TemplateView):
    """My queue: the open items assigned to me. Every queue page read writes one audit
    row (not one per item)."""

    model = WorklistItem
    template_name = "worklist/queue.html"
    partial_name = "partials/worklist_table.html"
    page_size = 25  # a laptop screen of rows; j/k and "Next page" go further
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
        filterset = WorklistItemFilterSet(params or None, queryset=WorklistItem.objects.none())
        qs = filtered_queue(user=user, scope=self.scope(), params=params, filterset=filterset)
        page = safe_queue_page(
            queryset=qs,
            sort=params.get("sort", ""),
            cursor=params.get("after"),
            size=self.page_size,
        )
        self.audit_list(len(page.items))
        carcs, _ = code_descriptions(carcs={i.reason_code for i in page.items}, rarcs=set())
        today = timezone.localdate()
        item_url = reverse("worklist:item_detail", args=[0]).replace("/0/", "/{}/")
        for item in page.items:  # formatted here once: template filters cost more per row
            item.countdown = countdown(item.deadline, item.deadline_state, today)
            item.reason_text = carcs.get(item.reason_code, "")
            item.reason_short = Truncator(item.reason_text).chars(90)
            item.url = item_url.format(item.pk)
            item.priority_text = f"{item.priority:,.0f}"
            item.amount_text = money(item.open_amount)
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
            # A sorted column's link turns it the other way round.
            sort_links={
                key: query(params, sort=f"-{key}" if page.sort == key else key, after=None)
                for key in SORTS
            },
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
        self.team = get_object_or_404(Team.objects.for_user(request.user), slug=kwargs["slug"])
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


class TeamListView(ScopedPageMixin, TemplateView):
    """My teams (every team, for a manager) with their open counts: no patient data."""

    model = Team
    audit_reads = False
    template_name = "worklist/team_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        teams = list(self.get_queryset().annotate(member_count=Count("members")))
        open_items = WorklistItem.objects.for_user(user).open()
        stats = {
            row["team_id"]: row
            for row in open_items.filter(team__in=teams)
            .values("team_id")
            .annotate(
                **kind_counts(),  # denials and rejections apart
                unassigned=Count("id", filter=Q(assignee__isnull=True)),
            )
        }
        rows = [(team, stats.get(team.pk, {})) for team in teams]
        mine = open_items.filter(assignee=user).count()
        return super().get_context_data(rows=rows, mine=mine, **kwargs)


class NextItemView(StaffPageMixin, View):
    """Take the most valuable free item of my teams and open it."""

    def post(self, request):
        slug = request.POST.get("team")
        team = Team.objects.filter(slug=slug).first() if slug else None
        item = item_next(user=request.user, team=team)
        if item is not None:
            return redirect("worklist:item_detail", pk=item.pk)
        messages.info(request, self.why_empty(request.user, team))
        back = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect("worklist:my_queue")

    @staticmethod
    def why_empty(user, team) -> str:
        if team is not None and not user.teams.filter(pk=team.pk).exists():
            return (
                f"You are not a member of {team.name}: next item takes only from your own "
                "teams. A manager can add you to the team."
            )
        if team is None and not user.teams.exists():
            return (
                "You are not on any team, so there is nothing for next item to take. "
                "Managers can open any team's queue, or join a team to work its items."
            )
        where = f"The {team.name} queue is" if team else "The queues of your teams are"
        return f"{where} empty: no unassigned item left to take."
