from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import StaffOnly
from accounts.roles import is_manager
from audit.services import audit_list_read
from config.schema import VALIDATION_ERRORS
from remittance.models import Claim
from worklist.models import Team

from ..metrics import all_metrics
from .serializers import MetricsQuerySerializer, MetricsSerializer


class MetricsView(APIView):
    """Every metric (docs/metrics.md) for a month or a period, cut by any filter. Staff
    only; a biller's item-based figures count their teams' items only."""

    permission_classes = [StaffOnly]

    @extend_schema(
        parameters=[MetricsQuerySerializer],
        responses={200: MetricsSerializer, 400: VALIDATION_ERRORS},
    )
    def get(self, request):
        query = MetricsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request.user
        scope = None
        if not is_manager(user):
            scope = tuple(Team.objects.for_user(user).values_list("pk", flat=True))
        metrics = all_metrics(query.filters(scope))
        audit_list_read(
            actor=user, model=Claim, channel="api", rows=len(metrics), params=request.query_params
        )
        data = {"metrics": {name: vars(metric) for name, metric in metrics.items()}}
        return Response(MetricsSerializer(data).data)
