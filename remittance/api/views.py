from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.access import ScopedReadOnlyViewSet
from accounts.permissions import StaffOrIntegration

from ..choices import RemittanceSource, RemittanceStatus
from ..filtersets import ClaimFilterSet, PostingExceptionFilterSet, RemittanceFilterSet
from ..models import Claim, PostingException, Remittance
from ..pipeline import remittance_enqueue
from ..services import PostingExceptionResolved, posting_exception_resolve, remittance_receive
from .parsers import RawX12Parser
from .serializers import (
    ClaimSerializer,
    PostingExceptionDetailSerializer,
    PostingExceptionResolveSerializer,
    PostingExceptionSerializer,
    RemittanceDetailSerializer,
    RemittanceSerializer,
    RemittanceUploadSerializer,
)

RETRY_AFTER_SECONDS = 60


class RemittanceViewSet(ScopedReadOnlyViewSet):
    """835 remittances. POST a file to book it; GET its status URL to follow it.
    Integration accounts may too (and see the files they posted)."""

    queryset_model = Remittance
    permission_classes = [StaffOrIntegration]
    filterset_class = RemittanceFilterSet
    parser_classes = [MultiPartParser, RawX12Parser]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RemittanceDetailSerializer
        return RemittanceSerializer

    @extend_schema(
        request={"application/edi-x12": bytes, "multipart/form-data": RemittanceUploadSerializer},
        responses={
            202: OpenApiResponse(RemittanceSerializer, "Stored and queued for booking."),
            200: OpenApiResponse(RemittanceSerializer, "The same file was received before."),
            503: OpenApiResponse(
                RemittanceSerializer,
                "Stored, but the task queue is unavailable: booked automatically later "
                "(Retry-After).",
            ),
            400: OpenApiResponse(description="Not an X12 file, or no file sent."),
            413: OpenApiResponse(description="Larger than REMITTANCE_MAX_UPLOAD_BYTES."),
        },
    )
    def create(self, request, *args, **kwargs):
        return with_upload(request, "the 835", remittance_receive_response)


def with_upload(request, what: str, respond) -> Response:
    """The uploaded file (a raw body or a multipart ``file``) handed to ``respond(request,
    upload)``; 413 above REMITTANCE_MAX_UPLOAD_BYTES, 400 when no file came. The spooled
    upload is deleted as soon as the answer is ready."""
    limit = settings.REMITTANCE_MAX_UPLOAD_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        return too_large(limit)
    upload = request.data.get("file") if hasattr(request.data, "get") else None
    if upload is None or not hasattr(upload, "read"):
        return Response(
            {
                "detail": f"No file: send {what} as the request body, or as a multipart "
                "field named 'file'."
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    try:
        if upload.size > limit:
            return too_large(limit)
        return respond(request, upload)
    finally:
        # A body spooled to a temporary file is deleted now, not whenever the garbage
        # collector gets to it: no copy of patient data is left behind.
        upload.close()


def remittance_receive_response(request, upload) -> Response:
    """Store an uploaded 835 and answer (see ``stored_file_response``)."""
    source = RemittanceSource.API if request.auth else RemittanceSource.UPLOAD
    received = remittance_receive(
        stream=upload, filename=upload.name, source=source, actor=request.user
    )
    return stored_file_response(
        request,
        upload,
        record=received.remittance,
        created=received.created,
        serializer=RemittanceSerializer,
        enqueue=remittance_enqueue,
        noun="remittance",
        work="booked",
    )


def stored_file_response(
    request, upload, *, record, created: bool, serializer, enqueue, noun: str, work: str
) -> Response:
    """The answer to a stored upload (a remittance or a claim file: both are received,
    processing, processed or failed): 202 queued, 200 seen before, 400 not X12 (kept as
    failed), 503 stored but the queue is down (the sweep takes it up later)."""
    body = serializer(record, context={"request": request}).data
    body["duplicate"] = not created
    if not created:
        # The response names this upload; the stored file keeps the first name it had.
        body["received_filename"] = upload.name[:255]
        body["detail"] = (
            f"{upload.name}: the same file was received before as {noun} "
            f"{record.pk} ({record.filename})."
        )
    if record.status == RemittanceStatus.FAILED:
        if created:
            return Response({**body, "detail": record.error}, status=400)
        return Response(body, status=status.HTTP_200_OK)
    if not created and record.status != RemittanceStatus.RECEIVED:
        return Response(body, status=status.HTTP_200_OK)
    # New, or received before but never processed: (re)queue it.
    headers = {"Location": str(body["status_url"])}
    if not enqueue(record):
        body["queued"] = False
        body["detail"] = (
            f"{upload.name}: stored as {noun} {record.pk}, but the task queue is "
            f"unavailable; it will be {work} automatically once the queue is back."
        )
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)
    body["queued"] = True
    return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)


def too_large(limit: int) -> Response:
    return Response(
        {"detail": f"File too large: the limit is {limit} bytes (REMITTANCE_MAX_UPLOAD_BYTES)."},
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


class ClaimViewSet(ScopedReadOnlyViewSet):
    queryset_model = Claim
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("payer")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PostingExceptionViewSet(ScopedReadOnlyViewSet):
    """Claims and transactions that could not be read, kept for posting staff to work by
    hand. POST ``resolve`` with an optional note once done."""

    queryset_model = PostingException
    filterset_class = PostingExceptionFilterSet

    def scope_queryset(self, queryset):
        return queryset.select_related("resolved_by")

    def get_serializer_class(self):
        if self.action == "list":
            return PostingExceptionSerializer
        return PostingExceptionDetailSerializer

    @extend_schema(
        request=PostingExceptionResolveSerializer,
        responses={
            200: PostingExceptionDetailSerializer,
            409: OpenApiResponse(description="Already resolved."),
        },
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        payload = PostingExceptionResolveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            exception = posting_exception_resolve(
                exception=self.get_object(),
                actor=request.user,
                note=payload.validated_data["note"],
                channel="api",
            )
        except PostingExceptionResolved as exc:
            raise Conflict(str(exc)) from exc
        return Response(PostingExceptionDetailSerializer(exception).data)
