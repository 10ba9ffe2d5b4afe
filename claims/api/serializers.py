from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from remittance.models import Payer

from ..choices import FileKind
from ..feed import ClaimRowSerializer
from ..models import ClaimEvent, ClaimFile, PayerAlias, SubmittedClaim, SubmittedLine


class PayerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payer
        fields = ["id", "name"]


class SubmittedLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubmittedLine
        fields = [
            "line_number",
            "procedure_code",
            "revenue_code",
            "modifiers",
            "charge",
            "units",
            "service_date_from",
            "service_date_to",
        ]


class SubmittedClaimSerializer(serializers.ModelSerializer):
    """A submitted claim, without patient names or member ids."""

    payer = PayerRefSerializer(allow_null=True)
    payer_id = serializers.CharField(source="payer_identifier")
    lines = SubmittedLineSerializer(many=True)
    adjudications = serializers.SerializerMethodField()
    rejections = serializers.SerializerMethodField()

    class Meta:
        model = SubmittedClaim
        fields = [
            "id",
            "patient_control_number",
            "status",
            "charge",
            "submitted_on",
            "source",
            "kind",
            "payer",
            "payer_id",
            "frequency_code",
            "payer_claim_control_number",
            "service_date_from",
            "service_date_to",
            "statement_from",
            "statement_to",
            "place_of_service",
            "facility_code",
            "lines",
            "adjudications",
            "rejections",
            "original",
            "primary_claim",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_adjudications(self, obj) -> list[int]:
        """Ids of the booked 835 claims (``/api/v1/claims/``) linked to this claim."""
        return [claim.pk for claim in obj.visible_adjudications]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_rejections(self, obj) -> list[int]:
        return [rejection.pk for rejection in obj.rejection_list]


class ClaimEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimEvent
        fields = ["id", "kind", "occurred_on", "detail", "remittance_claim", "rejection"]


class SubmittedClaimDetailSerializer(SubmittedClaimSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(SubmittedClaimSerializer.Meta):
        fields = [*SubmittedClaimSerializer.Meta.fields, "timeline"]

    @extend_schema_field(ClaimEventSerializer(many=True))
    def get_timeline(self, obj) -> list:
        return ClaimEventSerializer(self.context["timeline"], many=True).data


class FeedSerializer(serializers.Serializer):
    """The feed's body (documents it; rows are validated one by one)."""

    claims = ClaimRowSerializer(many=True)


class FeedErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="0-based index into ``claims``.")
    field = serializers.CharField(help_text="e.g. ``charge`` or ``lines[0].charge``.")
    message = serializers.CharField()


class FeedClaimSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    id = serializers.IntegerField()
    duplicate = serializers.BooleanField()


class FeedResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    claims = FeedClaimSerializer(many=True)
    errors = FeedErrorSerializer(many=True)


class PayerAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayerAlias
        fields = ["id", *PayerAlias.EDITABLE_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_identifier(self, value: str) -> str:
        value = value.strip().upper()
        if not value:
            raise serializers.ValidationError("Required.")
        taken = PayerAlias.objects.filter(identifier=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("An alias for this payer id exists already.")
        return value


class ClaimFileSerializer(serializers.ModelSerializer):
    """A received 837, 277CA or 999 file and what reading it found."""

    status_url = serializers.HyperlinkedIdentityField(view_name="claims-api:claim-file-detail")
    # Empty for a file that is not X12 this product reads (kept, failed).
    kind = serializers.ChoiceField(choices=FileKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ClaimFile
        fields = [
            "id",
            "kind",
            "status",
            "status_url",
            "filename",
            "size",
            "source",
            "received_at",
            "processed_at",
            "counts",
            "warnings",
            "error",
            "error_detail",
        ]
        read_only_fields = fields
