from django.urls import path

from .views import appeals as views

app_name = "appeals"

urlpatterns = [
    path("", views.AppealListView.as_view(), name="appeal_list"),
    path("start/<int:pk>/", views.AppealStartView.as_view(), name="appeal_start"),
    path("<int:pk>/", views.AppealDetailView.as_view(), name="appeal_detail"),
    path("<int:pk>/preview/", views.AppealPreviewView.as_view(), name="appeal_preview"),
    path("<int:pk>/<slug:action>/", views.AppealActionView.as_view(), name="appeal_action"),
]
