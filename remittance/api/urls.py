from rest_framework.routers import DefaultRouter

from .views import ClaimViewSet, RemittanceViewSet

app_name = "remittance-api"

router = DefaultRouter()
router.register("remittances", RemittanceViewSet, basename="remittance")
router.register("claims", ClaimViewSet, basename="claim")
urlpatterns = router.urls
