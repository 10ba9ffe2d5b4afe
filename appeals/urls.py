from django.urls import path

from .views import appeals, evidence, export, letters, templates

app_name = "appeals"

urlpatterns = [
    path("", appeals.AppealListView.as_view(), name="appeal_list"),
    path("export/", export.AppealExportView.as_view(), name="export"),
    path("start/<int:pk>/", appeals.AppealStartView.as_view(), name="appeal_start"),
    path("templates/", templates.LetterTemplateListView.as_view(), name="template_list"),
    path("templates/new/", templates.LetterTemplateCreateView.as_view(), name="template_create"),
    path(
        "templates/preview/",
        templates.LetterTemplatePreviewView.as_view(),
        name="template_preview",
    ),
    path("templates/<int:pk>/", templates.LetterTemplateUpdateView.as_view(), name="template_edit"),
    path(
        "templates/<int:pk>/delete/",
        templates.LetterTemplateDeleteView.as_view(),
        name="template_delete",
    ),
    path("<int:pk>/", appeals.AppealDetailView.as_view(), name="appeal_detail"),
    path("<int:pk>/preview/", appeals.AppealPreviewView.as_view(), name="appeal_preview"),
    path("<int:pk>/letter/", letters.LetterHtmlView.as_view(), name="letter_html"),
    path("<int:pk>/letter.pdf", letters.LetterPdfView.as_view(), name="letter_pdf"),
    path("<int:pk>/packet.pdf", letters.PacketPdfView.as_view(), name="packet_pdf"),
    path("<int:appeal_pk>/evidence/", evidence.EvidenceView.as_view(), name="evidence"),
    path(
        "<int:appeal_pk>/evidence/<int:pk>/",
        evidence.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(
        "<int:appeal_pk>/evidence/<int:pk>/remove/",
        evidence.EvidenceRemoveView.as_view(),
        name="evidence_remove",
    ),
    # Last: any other word after an appeal's id is one of its actions.
    path("<int:pk>/<slug:action>/", appeals.AppealActionView.as_view(), name="appeal_action"),
]
