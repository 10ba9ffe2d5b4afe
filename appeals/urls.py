from django.urls import path

from . import evidence_views, export_views

app_name = "appeals"

urlpatterns = [
    path("export/", export_views.AppealExportView.as_view(), name="export"),
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
