from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.access import ScopedReadOnlyViewSet
from accounts.permissions import StaffOnly
from audit.models import AuditAction
from audit.services import audit_record
from worklist.models import WorklistItem
from worklist.services import AssignmentRefused, InvalidTransition

from .. import pdf
from ..evidence_services import EvidenceTooLarge, evidence_add
from ..filtersets import AppealFilterSet
from ..models import Appeal
from ..services import (
    AppealRefused,
    appeal_correct_outcome,
    appeal_decide,
    appeal_start,
    appeal_submit,
    appeal_update,
    appeal_withdraw,
)
from .serializers import (
    AppealCorrectSerializer,
    AppealDecideSerializer,
    AppealDetailSerializer,
    AppealSerializer,
    AppealStartSerializer,
    AppealSubmitSerializer,
    AppealUpdateSerializer,
    AppealWithdrawSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
)

REFUSED = OpenApiResponse(description="Not allowed now; ``detail`` (and ``reasons``) say why.")


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class AppealViewSet(ScopedReadOnlyViewSet):
    """Appeals (and reopenings and corrected claims) of the items the user may see:
    another team's appeal is a 404. Start one with POST (``item``, ``level``); move it
    with the ``submit``, ``decide``, ``withdraw`` and ``correct`` actions."""

    queryset_model = Appeal
    filterset_class = AppealFilterSet
    permission_classes = [StaffOnly]

    def scope_queryset(self, queryset):
        qs = queryset.select_related("payer", "decided_by")
        if self.action == "retrieve":
            qs = qs.prefetch_related("events__actor", "evidence")
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_serializer_class(self):
        return {
            "list": AppealSerializer,
            "create": AppealStartSerializer,
            "partial_update": AppealUpdateSerializer,
            "submit": AppealSubmitSerializer,
            "decide": AppealDecideSerializer,
            "correct": AppealCorrectSerializer,
            "withdraw": AppealWithdrawSerializer,
            "evidence": EvidenceUploadSerializer,
        }.get(self.action, AppealDetailSerializer)

    def _input(self, request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _run(self, change, status_code=status.HTTP_200_OK) -> Response:
        try:
            appeal = change()
        except AssignmentRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        except AppealRefused as exc:
            body = {"detail": str(exc), "reasons": exc.reasons}
            if exc.suggested_kind:
                body["suggested_kind"] = exc.suggested_kind
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except InvalidTransition as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        fresh = self.get_queryset().prefetch_related("events__actor", "evidence").get(pk=appeal.pk)
        return Response(
            AppealDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(
        request=AppealStartSerializer,
        responses={201: AppealDetailSerializer, 400: REFUSED, 404: OpenApiResponse()},
    )
    def create(self, request, *args, **kwargs):
        """Start an appeal of an item: level and deadline from the payer's rules, after
        the route check (a refusal says why, and which route to take instead)."""
        data = self._input(request)
        items = WorklistItem.objects.for_user(request.user).select_related("payer", "claim")
        item = get_object_or_404(items, pk=data.pop("item"))
        return self._run(
            lambda: appeal_start(item=item, actor=request.user, **data),
            status.HTTP_201_CREATED,
        )

    @extend_schema(request=AppealUpdateSerializer, responses={200: AppealDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Edit a draft's argument, or mark it ready (``ready``)."""
        appeal = self.get_object()
        data = self._input(request)
        return self._run(lambda: appeal_update(appeal=appeal, actor=request.user, **data))

    @extend_schema(
        request=AppealSubmitSerializer, responses={200: AppealDetailSerializer, 400: REFUSED}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        appeal = self.get_object()
        data = self._input(request)
        return self._run(lambda: appeal_submit(appeal=appeal, actor=request.user, **data))

    @extend_schema(
        request=AppealDecideSerializer, responses={200: AppealDetailSerializer, 400: REFUSED}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        appeal = self.get_object()
        data = self._input(request)
        return self._run(
            lambda: appeal_decide(
                appeal=appeal,
                actor=request.user,
                outcome=data["outcome"],
                recovered_amount=data.get("recovered_amount"),
                decided_on=data.get("decided_on"),
                note=data.get("note", ""),
            )
        )

    @extend_schema(
        request=AppealCorrectSerializer, responses={200: AppealDetailSerializer, 400: REFUSED}
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """A manager corrects a recorded outcome (logged with the one it replaces)."""
        appeal = self.get_object()
        data = self._input(request)
        return self._run(
            lambda: appeal_correct_outcome(
                appeal=appeal,
                actor=request.user,
                outcome=data["outcome"],
                recovered_amount=data.get("recovered_amount"),
                reason=data["reason"],
            )
        )

    @extend_schema(
        request=AppealWithdrawSerializer, responses={200: AppealDetailSerializer, 400: REFUSED}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        appeal = self.get_object()
        data = self._input(request)
        return self._run(
            lambda: appeal_withdraw(appeal=appeal, actor=request.user, reason=data["reason"])
        )

    @extend_schema(
        request=None,
        responses={(200, "application/pdf"): OpenApiResponse(description="The letter as a PDF.")},
    )
    @action(detail=True, methods=["get"], renderer_classes=[PDFRenderer, JSONRenderer])
    def letter_pdf(self, request, pk=None):
        """The appeal's letter as a PDF (as sent, once submitted)."""
        appeal = self.get_object()
        audit_record(
            actor=request.user, action=AuditAction.VIEW, obj=appeal, channel="api",
            detail="letter pdf",
        )  # fmt: skip
        response = HttpResponse(pdf.letter_pdf(appeal), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="appeal-{appeal.pk}-letter.pdf"'
        return response

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            201: EvidenceSerializer,
            400: REFUSED,
            413: OpenApiResponse(description="Larger than APPEALS_EVIDENCE_MAX_BYTES."),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        """Attach evidence (multipart field ``file``): its type is read from its content;
        the same file twice is kept once."""
        appeal = self.get_object()
        data = self._input(request)
        try:
            row = evidence_add(
                appeal=appeal,
                actor=request.user,
                upload=data["file"],
                description=data["description"],
            )
        except AssignmentRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        except EvidenceTooLarge as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        except AppealRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(EvidenceSerializer(row).data, status=status.HTTP_201_CREATED)
