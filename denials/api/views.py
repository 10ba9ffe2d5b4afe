from rest_framework import viewsets

from accounts.permissions import StaffOnly

from ..filtersets import DenialFilterSet
from ..models import Denial
from .serializers import DenialSerializer


class DenialViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DenialSerializer
    permission_classes = [StaffOnly]
    filterset_class = DenialFilterSet

    def get_queryset(self):
        return Denial.objects.for_user(self.request.user).select_related(
            "payer", "claim", "service_line"
        )
