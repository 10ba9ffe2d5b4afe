from rest_framework.routers import DefaultRouter

from .views import ClaimViewSet, PostingExceptionViewSet, RemittanceViewSet

app_name = "remittance-api"

router = DefaultRouter()
router.register("remittances", RemittanceViewSet, basename="remittance")
router.register("claims", ClaimViewSet, basename="claim")
router.register("posting-exceptions", PostingExceptionViewSet, basename="posting-exception")
urlpatterns = router.urls
