from accounts.access import ScopedReadOnlyViewSet

from ..filtersets import DenialFilterSet
from ..models import Denial
from .serializers import DenialSerializer


class DenialViewSet(ScopedReadOnlyViewSet):
    queryset_model = Denial
    serializer_class = DenialSerializer
    filterset_class = DenialFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("payer", "claim", "service_line")
