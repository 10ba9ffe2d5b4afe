from rest_framework.routers import DefaultRouter

from .views import (
    CategoryPolicyViewSet,
    PayerRuleViewSet,
    RoutingRuleViewSet,
    TeamViewSet,
    WorklistItemViewSet,
)

app_name = "worklist-api"

router = DefaultRouter()
router.register("worklist/items", WorklistItemViewSet, basename="item")
router.register("worklist/teams", TeamViewSet, basename="team")
router.register("worklist/routing-rules", RoutingRuleViewSet, basename="routing-rule")
router.register("worklist/payer-rules", PayerRuleViewSet, basename="payer-rule")
router.register("worklist/category-policies", CategoryPolicyViewSet, basename="category-policy")
urlpatterns = router.urls
