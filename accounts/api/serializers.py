from rest_framework import serializers

from ..services import MAX_EXPIRY_DAYS


class ApiTokenSerializer(serializers.Serializer):
    """A token as listed: its key (the first characters of the token, enough to tell tokens
    apart and to revoke one), never the token itself."""

    token_key = serializers.CharField(read_only=True)
    name = serializers.CharField(source="label.name", default="", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)
    last_used = serializers.DateTimeField(
        source="label.last_used", allow_null=True, default=None, read_only=True
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The token itself: shown in this answer only, never again."
    )


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    expiry_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        required=False,
        allow_null=True,
        default=None,
        help_text="Days until the token expires; by default API_TOKEN_TTL_DAYS (90).",
    )
