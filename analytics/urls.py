from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("payer/", views.PayerView.as_view(), name="payer"),
    path("root-cause/", views.RootCauseView.as_view(), name="root_cause"),
    path("deadlines/", views.DeadlinesView.as_view(), name="deadlines"),
    path("productivity/", views.ProductivityView.as_view(), name="productivity"),
    path("scorecards/", views.ScorecardView.as_view(), name="scorecards"),
    path("references/", views.ReferenceListView.as_view(), name="reference_list"),
    path("references/new/", views.ReferenceCreateView.as_view(), name="reference_create"),
    path("references/<int:pk>/", views.ReferenceUpdateView.as_view(), name="reference_edit"),
]
