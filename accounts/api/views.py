from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from knox.models import AuthToken
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ..selectors import api_tokens_for_user
from ..services import api_token_create, api_token_revoke
from .serializers import ApiTokenCreatedSerializer, ApiTokenCreateSerializer, ApiTokenSerializer


@extend_schema_view(
    list=extend_schema(summary="Your API tokens (never the tokens themselves)"),
    create=extend_schema(
        summary="Make an API token (rotate: make the new one, then revoke the old)",
        request=ApiTokenCreateSerializer,
        responses={201: ApiTokenCreatedSerializer},
    ),
    destroy=extend_schema(
        summary="Revoke one of your API tokens",
        responses={204: None, 404: OpenApiResponse(description="None of yours has this key")},
    ),
)
class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in account's own API tokens, integration accounts included."""

    permission_classes = [IsAuthenticated]
    serializer_class = ApiTokenSerializer
    pagination_class = None  # an account holds a handful (services.MAX_TOKENS_PER_USER)
    lookup_field = "token_key"
    lookup_value_regex = "[0-9A-Za-z_-]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return api_tokens_for_user(user=self.request.user)

    def create(self, request):
        form = ApiTokenCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            new = api_token_create(user=request.user, channel="api", **form.validated_data)
        except DjangoValidationError as error:
            raise ValidationError({"detail": " ".join(error.messages)}) from error
        body = {**ApiTokenSerializer(new.token).data, "token": new.secret}
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request, token_key: str):
        if not api_token_revoke(user=request.user, token_key=token_key, channel="api"):
            raise NotFound("You have no API token with this key.")
        return Response(status=status.HTTP_204_NO_CONTENT)
