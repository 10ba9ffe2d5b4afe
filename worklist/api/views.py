from django.db.models import Case, Count, Prefetch, ProtectedError, Value, When
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from accounts.access import ScopedModelViewSet, ScopedReadOnlyViewSet

from ..choices import QUEUE_ORDER, DeadlineState, ItemStatus
from ..filtersets import WorklistItemFilterSet
from ..models import Activity, CategoryPolicy, PayerRule, RoutingRule, Team, WorklistItem
from ..services import (
    AssignmentRefused,
    InvalidAssignment,
    InvalidTransition,
    item_assign,
    item_change_status,
    items_reroute,
    items_rerouted_by,
)
from .permissions import IsManager, WorklistAccess
from .serializers import (
    AssignSerializer,
    CategoryPolicySerializer,
    DeadlineReportSerializer,
    PayerRuleSerializer,
    RerouteResultSerializer,
    RerouteSerializer,
    RoutingRuleSerializer,
    TeamSerializer,
    TransitionSerializer,
    WorklistItemDetailSerializer,
    WorklistItemSerializer,
)

REFUSED = OpenApiResponse(description="The move or the input is not allowed; see detail.")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Still in use."
    default_code = "conflict"


# Open items first (in queue order), then closed ones.
OPEN_FIRST = Case(When(status=ItemStatus.RESOLVED, then=Value(1)), default=Value(0))


class WorklistItemViewSet(ScopedReadOnlyViewSet):
    """Worklist items the user may see: every team's for managers, their own teams'
    for everyone else. Change them through the ``transition`` and ``assign`` actions."""

    queryset_model = WorklistItem
    filterset_class = WorklistItemFilterSet
    permission_classes = [WorklistAccess]

    def scope_queryset(self, queryset):
        qs = (
            queryset.select_related("payer", "team", "assignee", "claim")
            .prefetch_related("rejections")
            # By the selected alias, not the expression again: a parameter bound apart from
            # the SQL would make the ORDER BY differ from the SELECT DISTINCT list.
            .annotate(closed_last=OPEN_FIRST)
            .order_by("closed_last", *QUEUE_ORDER)
        )
        if self.action == "retrieve":
            qs = _with_history(qs)
        return qs

    def get_serializer_class(self):
        return {
            "list": WorklistItemSerializer,
            "transition": TransitionSerializer,
            "assign": AssignSerializer,
            "deadline_report": DeadlineReportSerializer,
        }.get(self.action, WorklistItemDetailSerializer)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: WorklistItemDetailSerializer, 400: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = self.get_object()
        data = _validated(self, request)
        try:
            item_change_status(item=item, actor=request.user, **data)
        except AssignmentRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        except InvalidTransition as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return self._detail(item.pk)

    @extend_schema(
        request=AssignSerializer,
        responses={
            200: WorklistItemDetailSerializer,
            400: REFUSED,
            403: OpenApiResponse(description="Only managers assign other people."),
        },
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        item = self.get_object()
        data = _validated(self, request)
        try:
            item_assign(item=item, assignee=data["assignee"], actor=request.user)
        except AssignmentRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        except InvalidAssignment as exc:
            raise ValidationError({"assignee": [str(exc)]}) from exc
        return self._detail(item.pk)

    @extend_schema(responses=DeadlineReportSerializer, filters=True)
    @action(detail=False, methods=["get"])
    def deadline_report(self, request):
        """Open items per deadline state, among the items the user can see (and the
        filters select)."""
        qs = self.filter_queryset(self.get_queryset()).open().order_by()
        rows = dict(qs.values_list("deadline_state").annotate(n=Count("id")))
        counts = {state: rows.get(state, 0) for state in DeadlineState.values}
        return Response({**counts, "total": sum(counts.values())})

    def _detail(self, pk: int) -> Response:
        item = _with_history(self.get_queryset()).get(pk=pk)
        return Response(
            WorklistItemDetailSerializer(item, context=self.get_serializer_context()).data
        )


def _with_history(qs):
    return qs.prefetch_related(
        "links", Prefetch("activities", queryset=Activity.objects.select_related("actor"))
    )


def _validated(view, request) -> dict:
    serializer = view.get_serializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TeamViewSet(ScopedModelViewSet):
    """Teams: a biller reads the teams they are on, a manager every team; only managers
    change them (membership included, audited)."""

    queryset_model = Team
    serializer_class = TeamSerializer
    audit_reads = False  # names and members, no patient data

    def scope_queryset(self, queryset):
        return queryset.prefetch_related("members")

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [WorklistAccess()]
        return [IsManager()]

    @extend_schema(responses={204: None, 409: OpenApiResponse(description="Still in use.")})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def delete_object(self, instance):
        try:
            instance.delete()
        except ProtectedError as exc:
            raise Conflict(
                f"{instance.name} still has worklist items or routing rules; "
                "move them to another team first."
            ) from exc


class RuleViewSet(ScopedModelViewSet):
    """Managers' rules: no patient data, so reads are not audited; changes are."""

    permission_classes = [IsManager]
    audit_reads = False


class RoutingRuleViewSet(RuleViewSet):
    queryset_model = RoutingRule
    serializer_class = RoutingRuleSerializer

    def get_serializer_class(self):
        return RerouteSerializer if self.action == "reroute" else RoutingRuleSerializer

    @extend_schema(request=RerouteSerializer, responses={200: RerouteResultSerializer})
    @action(detail=True, methods=["post"])
    def reroute(self, request, pk=None):
        """How many open items in other teams this rule now routes to its team (``matching``);
        with ``confirm: true``, move them (unassigned, each with a timeline line)."""
        rule = self.get_object()
        data = _validated(self, request)
        matching = len(items_rerouted_by(rule=rule))
        moved = items_reroute(rule=rule, actor=request.user) if data["confirm"] else 0
        return Response({"matching": matching, "moved": moved})


class PayerRuleViewSet(RuleViewSet):
    queryset_model = PayerRule
    serializer_class = PayerRuleSerializer


class CategoryPolicyViewSet(RuleViewSet):
    queryset_model = CategoryPolicy
    serializer_class = CategoryPolicySerializer
