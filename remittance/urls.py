from django.urls import path

from . import views

app_name = "remittance"

urlpatterns = [
    path("", views.RemittanceListView.as_view(), name="remittance_list"),
    path("upload/", views.RemittanceUploadView.as_view(), name="remittance_upload"),
    path("<int:pk>/", views.RemittanceDetailView.as_view(), name="remittance_detail"),
    path(
        "exceptions/",
        views.PostingExceptionListView.as_view(),
        name="posting_exception_list",
    ),
    path(
        "exceptions/<int:pk>/",
        views.PostingExceptionDetailView.as_view(),
        name="posting_exception_detail",
    ),
]
