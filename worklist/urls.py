from django.urls import path

from . import views

app_name = "worklist"

urlpatterns = [
    path("", views.QueueView.as_view(), name="my_queue"),
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("team/<slug:slug>/", views.TeamQueueView.as_view(), name="team_queue"),
    path("team/<slug:slug>/bulk/", views.BulkUpdateView.as_view(), name="team_bulk"),
    path("next/", views.NextItemView.as_view(), name="next_item"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/timeline/", views.ItemTimelineView.as_view(), name="item_timeline"),
    path("items/<int:pk>/<slug:action>/", views.ItemActionView.as_view(), name="item_action"),
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("health/", views.HealthView.as_view(), name="health"),
    path("manage/", views.ManageIndexView.as_view(), name="manage"),
    path("manage/routing-rules/<int:pk>/reroute/", views.RerouteView.as_view(), name="reroute"),
    path("manage/<slug:kind>/", views.EditorListView.as_view(), name="manage_list"),
    path("manage/<slug:kind>/new/", views.EditorCreateView.as_view(), name="manage_create"),
    path("manage/<slug:kind>/<int:pk>/", views.EditorUpdateView.as_view(), name="manage_edit"),
]
