from rest_framework import serializers
from rest_framework.reverse import reverse

from ..models import Claim, Era, PostingException, Remittance


class EraSerializer(serializers.ModelSerializer):
    payer = serializers.CharField(source="payer.name")

    class Meta:
        model = Era
        fields = [
            "id",
            "position",
            "payer",
            "payee_name",
            "payee_npi",
            "st_control_number",
            "version",
            "trace_number",
            "payment_amount",
            "credit_debit",
            "payment_method",
            "payment_date",
            "production_date",
            "claim_count",
            "warnings",
        ]


class RemittanceSerializer(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Remittance
        fields = [
            "id",
            "status",
            "status_url",
            "filename",
            "source",
            "size",
            "sha256",
            "received_at",
            "processed_at",
            "isa_control_number",
            "gs_control_number",
            "counts",
            "payment_total",
            "claim_paid_total",
            "warnings",
            "error",
            "error_detail",
        ]

    def get_status_url(self, obj) -> str:
        return reverse(
            "remittance-api:remittance-detail", args=[obj.pk], request=self.context.get("request")
        )

    def get_counts(self, obj) -> dict:
        return {
            "transactions": obj.transaction_count,
            "duplicate_transactions": obj.duplicate_transaction_count,
            "claims": obj.claim_count,
            "posting_exceptions": obj.posting_exception_count,
            "denied_claims": obj.denied_claim_count,
            "service_lines": obj.service_line_count,
            "denials": obj.denial_count,
        }


class RemittanceDetailSerializer(RemittanceSerializer):
    eras = EraSerializer(many=True, read_only=True)

    class Meta(RemittanceSerializer.Meta):
        fields = [*RemittanceSerializer.Meta.fields, "eras"]


class ClaimSerializer(serializers.ModelSerializer):
    payer = serializers.CharField(source="payer.name")

    class Meta:
        model = Claim
        fields = [
            "id",
            "remittance",
            "era",
            "payer",
            "patient_control_number",
            "status_code",
            "charge",
            "paid",
            "patient_responsibility",
            "filing_indicator",
            "payer_claim_control_number",
            "facility_type",
            "statement_from",
            "statement_to",
            "previous",
            "reversal_of",
            "corrected_by",
        ]


class RemittanceUploadSerializer(serializers.Serializer):
    """Documents the upload: a raw 835 body, or a multipart field named ``file``."""

    file = serializers.FileField()


class PostingExceptionSerializer(serializers.ModelSerializer):
    resolved_by = serializers.CharField(source="resolved_by.get_username", default=None)

    class Meta:
        model = PostingException
        fields = [
            "id",
            "remittance",
            "era",
            "level",
            "transaction_position",
            "transaction_control_number",
            "claim_position",
            "segment_number",
            "segment_id",
            "element",
            "message",
            "status",
            "resolved_by",
            "resolved_at",
            "resolution_note",
            "created_at",
        ]


class PostingExceptionDetailSerializer(PostingExceptionSerializer):
    """With the patient control number and raw segments (patient data)."""

    class Meta(PostingExceptionSerializer.Meta):
        fields = [*PostingExceptionSerializer.Meta.fields, "patient_control_number", "raw_segments"]


class PostingExceptionResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
