from django.urls import path

from . import views

app_name = "denials"

urlpatterns = [
    path("", views.DenialListView.as_view(), name="denial_list"),
]
