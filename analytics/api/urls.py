from django.urls import path

from .views import MetricsView

app_name = "analytics-api"

urlpatterns = [path("metrics/", MetricsView.as_view(), name="metrics")]
