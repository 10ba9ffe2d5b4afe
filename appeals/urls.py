from django.urls import path

from . import evidence_views

app_name = "appeals"

urlpatterns = [
    path("<int:appeal_pk>/evidence/", evidence_views.EvidenceView.as_view(), name="evidence"),
    path(
        "<int:appeal_pk>/evidence/<int:pk>/",
        evidence_views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(
        "<int:appeal_pk>/evidence/<int:pk>/remove/",
        evidence_views.EvidenceRemoveView.as_view(),
        name="evidence_remove",
    ),
]
