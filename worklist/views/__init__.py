"""Worklist pages: the queues billers work, the item page and its actions, and the
manager's overview, bulk changes and rule editors.

Every page needs a signed-in user with a role and reads through ``for_user``
(``accounts.access.ScopedPageMixin``), so another team's item is a 404. htmx requests
(``HX-Request``) get the fragment they swap in: the queue table, or the item's actions
and timeline. Without JavaScript the same URLs answer plain GET and POST + redirect."""

from .items import ItemActionView, ItemDetailView, ItemTimelineView
from .manage import (
    BulkUpdateView,
    EditorCreateView,
    EditorListView,
    EditorUpdateView,
    HealthView,
    ManageIndexView,
    OverviewView,
    RerouteView,
)
from .queues import NextItemView, QueueView, TeamListView, TeamQueueView

__all__ = [
    "BulkUpdateView",
    "EditorCreateView",
    "EditorListView",
    "EditorUpdateView",
    "HealthView",
    "ItemActionView",
    "ItemDetailView",
    "ItemTimelineView",
    "ManageIndexView",
    "NextItemView",
    "OverviewView",
    "QueueView",
    "RerouteView",
    "TeamListView",
    "TeamQueueView",
]
