"""API token authentication: knox's, remembering when each token was last used."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from .models import TokenLabel

# A busy integration would otherwise write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>`` against knox's hashed tokens. A wrong, expired or
    revoked token, or one whose owner is inactive, fails with 401 (this is the first
    authentication class, so its ``WWW-Authenticate: Token`` challenge is sent)."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        user, auth_token = super().authenticate_credentials(token)
        now = timezone.now()
        TokenLabel.objects.filter(token=auth_token).filter(
            Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used=now)
        return user, auth_token
