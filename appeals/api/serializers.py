from decimal import Decimal

from rest_framework import serializers

from ..choices import AppealKind, AppealLevel, Outcome, SubmissionMethod
from ..models import Appeal, AppealEvent, Evidence

MAX_MONEY = Decimal("999999999999.99")


def recovered_field() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_MONEY,
        required=False,
        allow_null=True,
    )


class AppealSerializer(serializers.ModelSerializer):
    decided_by = serializers.SerializerMethodField(
        help_text='"remittance" when the payer\'s 835 decided it, else the username.'
    )
    level_name = serializers.CharField(read_only=True)
    payer_name = serializers.CharField(source="payer.name", read_only=True)
    days_overdue = serializers.SerializerMethodField()
    method = serializers.ChoiceField(
        choices=SubmissionMethod.choices, read_only=True, allow_blank=True
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, read_only=True, allow_null=True, help_text="Null until decided."
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "item",
            "previous",
            "submitted_claim",
            "kind",
            "level",
            "level_name",
            "status",
            "payer",
            "payer_name",
            "patient_control_number",
            "payer_claim_control_number",
            "category",
            "reason_codes",
            "amount_appealed",
            "deadline",
            "deadline_explanation",
            "min_amount_in_controversy",
            "expected_decision_on",
            "expected_explanation",
            "days_overdue",
            "method",
            "submitted_on",
            "reference",
            "outcome",
            "decided_on",
            "recovered_amount",
            "decided_by",
            "decided_by_remittance",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_decided_by(self, appeal) -> str | None:
        if appeal.decision_source == "remittance":
            return "remittance"
        return appeal.decided_by.get_username() if appeal.decided_by_id else None

    def get_days_overdue(self, appeal) -> int | None:
        today = self.context.get("today")
        due = appeal.expected_decision_on
        if today is None or due is None or appeal.status not in ("submitted", "awaiting_decision"):
            return None
        return max((today - due).days, 0)

    def to_representation(self, appeal):
        data = super().to_representation(appeal)
        data["outcome"] = appeal.outcome or None
        return data


class AppealEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AppealEvent
        fields = ["at", "actor", "kind", "from_status", "to_status", "remittance", "note"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "name", "content_type", "size", "description", "uploaded_at"]
        read_only_fields = fields


class AppealDetailSerializer(AppealSerializer):
    argument = serializers.CharField(read_only=True)
    events = AppealEventSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "argument", "events", "evidence"]
        read_only_fields = fields


class AppealStartSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**62)
    level = serializers.ChoiceField(choices=AppealLevel.choices, required=False)
    kind = serializers.ChoiceField(choices=AppealKind.choices, default=AppealKind.APPEAL)
    argument = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    clerical_error = serializers.BooleanField(default=False)
    timely_filing_proof = serializers.BooleanField(
        default=False, help_text="Proof of timely filing is attached (a timely-filing denial)."
    )


class AppealUpdateSerializer(serializers.Serializer):
    argument = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    ready = serializers.BooleanField(required=False, allow_null=True, default=None)


class AppealSubmitSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=SubmissionMethod.choices)
    submitted_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, max_length=80, default="")


class AppealDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    recovered_amount = recovered_field()
    decided_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AppealCorrectSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    recovered_amount = recovered_field()
    reason = serializers.CharField(max_length=2000)


class AppealWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, PNG, JPEG or TIFF (read from the content).")
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default=""
    )
