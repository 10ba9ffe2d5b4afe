"""OpenAPI (drf-spectacular): our token authentication is knox's, so it is described the
same way (``Authorization: Token <key>``)."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class TokenScheme(KnoxTokenScheme):
    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"
