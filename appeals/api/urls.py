from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import AppealViewSet

app_name = "appeals-api"

router = DefaultRouter()
router.register("appeals", AppealViewSet, basename="appeal")
urlpatterns = [
    # The exact path integrations use (no trailing slash): the letter as a PDF.
    path(
        "appeals/<int:pk>/letter.pdf",
        AppealViewSet.as_view({"get": "letter_pdf"}),
        name="appeal-letter-pdf",
    ),
    *router.urls,
]
