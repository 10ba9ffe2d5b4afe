from rest_framework.routers import DefaultRouter

from .views import ClaimFileViewSet, PayerAliasViewSet, SubmittedClaimViewSet

app_name = "claims-api"

router = DefaultRouter()
router.register("submitted-claims", SubmittedClaimViewSet, basename="submitted-claim")
router.register("claim-files", ClaimFileViewSet, basename="claim-file")
router.register("payer-aliases", PayerAliasViewSet, basename="payer-alias")
urlpatterns = router.urls
