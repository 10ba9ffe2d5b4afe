from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from claims.models import ClaimRejection
from denials.choices import ControlPoint, NextAction

from ..choices import DeadlineState, ItemStatus, Resolution
from ..models import Activity, CategoryPolicy, PayerRule, RoutingRule, Team, WorklistItem
from ..rejections import rejection_words

MONEY = {"max_digits": 14, "decimal_places": 2}


class TeamBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "slug", "name"]


class ItemRejectionSerializer(serializers.ModelSerializer):
    """A rejection before adjudication that a rejection item works, its codes in words."""

    status_codes = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text='e.g. ["A7:562:85"]'
    )
    codes_in_words = serializers.SerializerMethodField()

    class Meta:
        model = ClaimRejection
        fields = [
            "id",
            "source",
            "category_code",
            "status_code",
            "entity_code",
            "status_codes",
            "codes_in_words",
            "rejected_on",
            "resolved_at",
            "resolved_by_kind",
        ]
        read_only_fields = fields

    def get_codes_in_words(self, obj) -> list[str]:
        return rejection_words(obj)


class WorklistItemSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer(read_only=True)
    assignee = serializers.CharField(
        source="assignee.username", read_only=True, allow_null=True, default=None
    )
    payer = serializers.CharField(
        source="payer.name",
        read_only=True,
        allow_null=True,
        help_text="Empty for a rejection whose submitted payer id maps to no payer yet.",
    )
    rejections = ItemRejectionSerializer(
        many=True, read_only=True, help_text="A rejection item's rejections; empty for a denial."
    )
    # Declared: a read-only model field loses allow_blank, and these are blank until set.
    resolution = serializers.ChoiceField(
        choices=Resolution.choices, allow_blank=True, read_only=True
    )
    suggested_action = serializers.ChoiceField(
        choices=NextAction.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = WorklistItem
        fields = [
            "id",
            "kind",
            "status",
            "resolution",
            "team",
            "assignee",
            "payer",
            "patient_control_number",
            "submitted_claim",
            "rejections",
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
            "problem",
            "write_off_requested",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        """A closed item reads as closed: no live deadline or priority."""
        data = super().to_representation(instance)
        if instance.status == ItemStatus.RESOLVED:
            data.update(deadline=None, deadline_state=DeadlineState.NONE, priority="0.00")
        return data


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
    control_point = serializers.ChoiceField(
        choices=ControlPoint.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Root cause when closing; the item's prefilled one if empty.",
    )
    cause = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Root cause in words when closing; the item's prefilled one if empty.",
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
        fields = ["id", *Team.EDITABLE_FIELDS]
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
        fields = ["id", *RoutingRule.EDITABLE_FIELDS]
        extra_kwargs = {
            "min_amount": {"min_value": Decimal(0)},
            "max_amount": {"min_value": Decimal(0)},
        }

    def validate(self, attrs):
        return _model_clean(self, attrs)


class RerouteSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        default=False, help_text="false: only count the items; true: move them."
    )


class RerouteResultSerializer(serializers.Serializer):
    matching = serializers.IntegerField(help_text="Open items this rule now routes elsewhere.")
    moved = serializers.IntegerField()


class PayerRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayerRule
        fields = ["id", *PayerRule.EDITABLE_FIELDS]
        extra_kwargs = {"min_amount_in_controversy": {"min_value": Decimal(0)}}

    def validate(self, attrs):
        return _model_clean(self, attrs)


class CategoryPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = CategoryPolicy
        fields = ["id", *CategoryPolicy.EDITABLE_FIELDS]
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


def _model_clean(serializer: serializers.ModelSerializer, attrs: dict) -> dict:
    """Run the model's own ``clean()`` (shared with the editor forms) on the instance as
    it would be saved, and answer its errors as a 400."""
    model = serializer.Meta.model
    values = {
        field.name: _merged(serializer, attrs, field.name)
        for field in model._meta.concrete_fields
        if field.name in serializer.Meta.fields
    }
    instance = model(**values)
    try:
        instance.clean()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from exc
    # clean() may tidy values (a reason code's spelling): save what it settled on.
    return {name: getattr(instance, name) for name in attrs}
