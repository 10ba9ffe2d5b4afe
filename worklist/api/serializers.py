from decimal import Decimal

from django.contrib.auth import get_user_model
from rest_framework import serializers

from ..choices import ItemStatus, Resolution
from ..models import Activity, CategoryPolicy, PayerRule, RoutingRule, Team, WorklistItem

MONEY = {"max_digits": 14, "decimal_places": 2}


class TeamBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "slug", "name"]


class WorklistItemSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer(read_only=True)
    assignee = serializers.CharField(
        source="assignee.username", read_only=True, allow_null=True, default=None
    )
    payer = serializers.CharField(source="payer.name", read_only=True)

    class Meta:
        model = WorklistItem
        fields = [
            "id",
            "status",
            "resolution",
            "team",
            "assignee",
            "payer",
            "patient_control_number",
            "category",
            "reason_code",
            "suggested_action",
            "appealable",
            "open_amount",
            "recovered_amount",
            "service_date",
            "deadline",
            "deadline_state",
            "appeal_deadline",
            "refile_deadline",
            "follow_up_on",
            "priority",
            "recovery_probability",
            "expected_net_recovery",
            "routing_rule",
            "guardrail",
            "created_at",
        ]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Activity
        fields = ["kind", "at", "actor", "from_status", "to_status", "note"]
        read_only_fields = fields


class WorklistItemDetailSerializer(WorklistItemSerializer):
    denials = serializers.SerializerMethodField()
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta(WorklistItemSerializer.Meta):
        fields = [
            *WorklistItemSerializer.Meta.fields,
            "claim",
            "priority_explanation",
            "denials",
            "activities",
        ]
        read_only_fields = fields

    def get_denials(self, obj) -> list[int]:
        return sorted(link.denial_id for link in obj.links.all())


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ItemStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    resolution = serializers.ChoiceField(
        choices=Resolution.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when resolving.",
    )
    recovered_amount = serializers.DecimalField(
        **MONEY, required=False, allow_null=True, default=None, min_value=Decimal(0)
    )


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        allow_null=True,
        help_text="A user id, or null to unassign.",
    )


class DeadlineReportSerializer(serializers.Serializer):
    """Open items the user can see, per deadline state."""

    ok = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    missed = serializers.IntegerField()
    none = serializers.IntegerField()
    total = serializers.IntegerField()


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "slug", "name", "description", "is_default", "members"]
        # The one-default-team constraint is checked below, with a clearer message.
        extra_kwargs = {"members": {"required": False}, "is_default": {"validators": []}}

    def validate_is_default(self, value: bool) -> bool:
        others = Team.objects.filter(is_default=True)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if value and others.exists():
            raise serializers.ValidationError(
                f"{others.first().name} is already the default team; unset it first."
            )
        return value


class RoutingRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoutingRule
        fields = [
            "id",
            "order",
            "name",
            "team",
            "active",
            "payer",
            "payer_type",
            "category",
            "reason_code",
            "min_amount",
            "max_amount",
            "rendering_provider_id",
            "procedure_code",
            "revenue_code",
        ]
        extra_kwargs = {
            "min_amount": {"min_value": Decimal(0)},
            "max_amount": {"min_value": Decimal(0)},
        }

    def validate(self, attrs):
        low = _merged(self, attrs, "min_amount")
        high = _merged(self, attrs, "max_amount")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"max_amount": "Must be at least the minimum amount."}
            )
        return attrs


class PayerRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayerRule
        fields = [
            "id",
            "payer",
            "payer_type",
            "kind",
            "months",
            "days",
            "basis",
            "receipt_grace_days",
            "min_amount_in_controversy",
            "effective_from",
            "effective_to",
            "note",
        ]
        extra_kwargs = {"min_amount_in_controversy": {"min_value": Decimal(0)}}

    def validate(self, attrs):
        # The model's check constraint "payer_rule_has_scope", as a 400 rather than a 500.
        if _merged(self, attrs, "payer") is None and not _merged(self, attrs, "payer_type"):
            raise serializers.ValidationError(
                "Name a payer, or a payer type for a rule that applies to all its payers."
            )
        start = _merged(self, attrs, "effective_from")
        end = _merged(self, attrs, "effective_to")
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError(
                {"effective_to": "Must not be before effective_from."}
            )
        return attrs


class CategoryPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = CategoryPolicy
        fields = ["id", "category", "prior_recovery_rate", "prior_weight", "work_cost"]
        extra_kwargs = {
            "prior_recovery_rate": {"min_value": Decimal(0), "max_value": Decimal(1)},
            "work_cost": {"min_value": Decimal(0)},
        }


def _merged(serializer: serializers.Serializer, attrs: dict, name: str):
    """A field's value after this write: from the input, else (on a partial update) the
    instance's current value."""
    if name in attrs:
        return attrs[name]
    return getattr(serializer.instance, name, None)
