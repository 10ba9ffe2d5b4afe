"""The OpenAPI schema documents the errors every operation can answer, not only its
successes, so that a client (and the schema test) knows every status it may receive:

- 400 where there is input to refuse: a request body, filters or a page number;
- 401 and 403 for every operation (all need a signed-in account with a role);
- 404 where the path names an object (missing and forbidden objects alike);
- 415 where a request body is parsed.

An operation that documents a code itself (``extend_schema(responses=...)``) keeps its
own description; an error documented without a body gets the body DRF sends."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """An error in words: ``{"detail": "..."}``."""

    detail = serializers.CharField()


VALIDATION_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    "Bad input: an object naming each field refused (or `non_field_errors`, or `detail`) "
    "with a list of messages.",
)
ERRORS = {
    "401": "Not signed in, or the token is missing, wrong, expired or revoked.",
    "403": "This account may not do this.",
    "404": "No such object, or not one this account may see.",
    "415": "The request body's content type is not accepted here.",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code == "400":
                default = self._get_response_for_code(VALIDATION_ERRORS, code)
            else:
                default = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, ERRORS[code]), code
                )
            documented = responses.get(code)
            if documented is None:
                responses[code] = default
            elif "content" not in documented:
                responses[code] = {**default, **documented, "content": default["content"]}
        return responses

    def _error_codes(self) -> list[str]:
        codes = []
        if (
            self.method in BODY_METHODS
            or self._get_filter_parameters()
            or self._get_pagination_parameters()
        ):
            codes.append("400")
        if not all(issubclass(p, AllowAny) for p in self.view.permission_classes):
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in BODY_METHODS:
            codes.append("415")
        return codes
