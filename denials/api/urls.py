from rest_framework.routers import DefaultRouter

from .views import DenialViewSet

app_name = "denials-api"

router = DefaultRouter()
router.register("denials", DenialViewSet, basename="denial")
urlpatterns = router.urls
