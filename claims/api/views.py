from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.access import ScopedModelViewSet, ScopedReadOnlyViewSet
from accounts.permissions import ManagerOnly, StaffOnly, StaffOrIntegration
from remittance.api.parsers import RawX12Parser
from remittance.api.serializers import RemittanceSerializer, RemittanceUploadSerializer
from remittance.api.views import (
    remittance_receive_response,
    stored_file_response,
    with_upload,
)
from remittance.choices import RemittanceSource
from remittance.pipeline import remittance_enqueue

from ..choices import ClaimSource
from ..feed import MAX_ROWS, feed_parse
from ..filtersets import ClaimFileFilterSet, PayerAliasFilterSet, SubmittedClaimFilterSet
from ..models import ClaimFile, PayerAlias, SubmittedClaim
from ..selectors import claim_timeline, submitted_claims_for
from ..services import payer_alias_delete, payer_alias_save, submitted_claims_book
from ..services.files import inbound_receive, upload_kind
from ..tasks import claim_file_enqueue
from .serializers import (
    ClaimFileSerializer,
    FeedResultSerializer,
    FeedSerializer,
    PayerAliasSerializer,
    SubmittedClaimDetailSerializer,
    SubmittedClaimSerializer,
)


class SubmittedClaimViewSet(ScopedReadOnlyViewSet):
    """Claims as submitted, with their lines, adjudications (booked 835 claims),
    rejections and, on the detail, the timeline. POST a batch to add claims from a system
    that cannot send an 837 (integration accounts may too)."""

    queryset_model = SubmittedClaim
    filterset_class = SubmittedClaimFilterSet

    def get_permissions(self):
        return [StaffOrIntegration()] if self.action == "create" else [StaffOnly()]

    def scope_queryset(self, queryset):
        return submitted_claims_for(user=self.request.user, queryset=queryset)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return SubmittedClaimDetailSerializer
        if self.action == "create":
            return FeedSerializer
        return SubmittedClaimSerializer

    def retrieve(self, request, *args, **kwargs):
        claim = self.get_object()
        self.audit_read(claim)
        context = {**self.get_serializer_context(), "timeline": claim_timeline(claim=claim)}
        return Response(SubmittedClaimDetailSerializer(claim, context=context).data)

    @extend_schema(
        request=FeedSerializer,
        responses={
            201: OpenApiResponse(FeedResultSerializer, "At least one claim was added."),
            200: OpenApiResponse(
                FeedResultSerializer, "Nothing new: every good row was on file already."
            ),
            400: OpenApiResponse(
                description="The body is not an object with a list ``claims`` (of at most "
                f"{MAX_ROWS} rows). Bad rows are not a 400: they are listed in ``errors``."
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        rows = request.data.get("claims") if isinstance(request.data, dict) else None
        if not isinstance(rows, list):
            return Response(
                {"detail": 'Send a JSON object {"claims": [...]}.'},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if len(rows) > MAX_ROWS:
            return Response(
                {"detail": f"At most {MAX_ROWS} claims per request."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        parsed = feed_parse(rows)
        booked = submitted_claims_book(
            claims=parsed.claims, source=ClaimSource.FEED, actor=request.user
        )
        created = set(booked.created)
        claims = [
            {"row": row, "id": pk, "duplicate": pk not in created}
            for row, pk in zip(parsed.rows, booked.ids, strict=True)
        ]
        body = {
            "created": len(booked.created),
            "duplicates": len(booked.duplicates),
            "claims": claims,
            "errors": parsed.errors,
        }
        code = status.HTTP_201_CREATED if booked.created else status.HTTP_200_OK
        return Response(body, status=code)


class PayerAliasViewSet(ScopedModelViewSet):
    """Submitted payer ids (837) that name a payer booked from 835s under another id.
    Managers only; no patient data, so reads are not audited; every change is."""

    queryset_model = PayerAlias
    serializer_class = PayerAliasSerializer
    filterset_class = PayerAliasFilterSet
    permission_classes = [ManagerOnly]
    audit_reads = False

    def scope_queryset(self, queryset):
        return queryset.select_related("payer")

    def perform_create(self, serializer):
        serializer.instance = payer_alias_save(
            actor=self.request.user, channel="api", **self._fields(serializer)
        )

    def perform_update(self, serializer):
        serializer.instance = payer_alias_save(
            alias=serializer.instance,
            actor=self.request.user,
            channel="api",
            **self._fields(serializer),
        )

    def perform_destroy(self, instance):
        payer_alias_delete(alias=instance, actor=self.request.user, channel="api")

    @staticmethod
    def _fields(serializer) -> dict:
        data, instance = serializer.validated_data, serializer.instance
        return {
            "identifier": data.get("identifier", getattr(instance, "identifier", "")),
            "payer": data.get("payer", getattr(instance, "payer", None)),
            "note": data.get("note", getattr(instance, "note", "")),
        }


class ClaimFileViewSet(ScopedReadOnlyViewSet):
    """X12 files of the submitted side: 837 claims, 277CA and 999 acknowledgments. POST any
    X12 file this product reads (an 835 too: it is booked as a remittance, and the answer
    is the remittance's); GET the status URL to follow it."""

    queryset_model = ClaimFile
    serializer_class = ClaimFileSerializer
    filterset_class = ClaimFileFilterSet
    permission_classes = [StaffOrIntegration]
    parser_classes = [MultiPartParser, RawX12Parser]

    @extend_schema(
        request={"application/edi-x12": bytes, "multipart/form-data": RemittanceUploadSerializer},
        responses={
            202: OpenApiResponse(ClaimFileSerializer, "Stored and queued for reading."),
            200: OpenApiResponse(ClaimFileSerializer, "The same file was received before."),
            503: OpenApiResponse(
                ClaimFileSerializer,
                "Stored, but the task queue is unavailable: read automatically later "
                "(Retry-After).",
            ),
            400: OpenApiResponse(description="Not X12, or a transaction set not read here."),
            413: OpenApiResponse(description="Larger than REMITTANCE_MAX_UPLOAD_BYTES."),
        },
    )
    def create(self, request, *args, **kwargs):
        return with_upload(request, "the X12 file", self._answer)

    def _answer(self, request, upload) -> Response:
        if upload_kind(upload) == "835":
            return remittance_receive_response(request, upload)
        return self._receive(request, upload)

    def _receive(self, request, upload) -> Response:
        source = RemittanceSource.API if request.auth else RemittanceSource.UPLOAD
        inbound = inbound_receive(
            stream=upload, filename=upload.name, source=source, actor=request.user
        )
        if inbound.remittance is not None:  # the same bytes came in as a remittance before
            return stored_file_response(
                request, upload, record=inbound.remittance, created=False,
                serializer=RemittanceSerializer, enqueue=remittance_enqueue,
                noun="remittance", work="booked",
            )  # fmt: skip
        return stored_file_response(
            request,
            upload,
            record=inbound.claim_file,
            created=inbound.created,
            serializer=ClaimFileSerializer,
            enqueue=claim_file_enqueue,
            noun="claim file",
            work="read",
        )
