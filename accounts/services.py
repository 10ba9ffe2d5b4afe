"""API tokens: made, listed and revoked here only, whichever door (page, API, command)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from audit.models import AuditAction
from audit.services import audit_record

from .models import TokenLabel

MAX_EXPIRY_DAYS = 365
MAX_TOKENS_PER_USER = 20


@dataclass(frozen=True)
class NewToken:
    """A token just made. ``secret`` exists only here: the database keeps its hash."""

    token: AuthToken
    secret: str

    @property
    def expiry(self) -> datetime:
        return self.token.expiry


@transaction.atomic
def api_token_create(
    *, user, name: str = "", expiry_days: int | None = None, actor=None, channel: str = ""
) -> NewToken:
    """Make an API token for ``user`` that expires after ``expiry_days`` (1 to 365; by
    default ``API_TOKEN_TTL_DAYS``). The secret is returned once and never stored."""
    days = settings.API_TOKEN_TTL_DAYS if expiry_days is None else expiry_days
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise ValidationError(f"A token expires after 1 to {MAX_EXPIRY_DAYS} days.")
    if AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).count() >= (
        MAX_TOKENS_PER_USER
    ):
        raise ValidationError(
            f"An account may hold at most {MAX_TOKENS_PER_USER} tokens; revoke one first."
        )
    token, secret = AuthToken.objects.create(user=user, expiry=timedelta(days=days))
    TokenLabel.objects.create(token=token, name=name.strip())
    audit_record(
        actor=actor or user,
        action=AuditAction.CREATE,
        obj=user,
        channel=channel,
        detail=f"API token {token.token_key} created, expires {token.expiry:%Y-%m-%d %H:%M} UTC",
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, user, token_key: str, actor=None, channel: str = "") -> int:
    """Revoke ``user``'s tokens with this key prefix (another user's are never touched).
    Returns how many were revoked (0: none of theirs has that key)."""
    return _revoke(
        AuthToken.objects.filter(user=user, token_key=token_key),
        user=user,
        actor=actor or user,
        channel=channel,
        reason="revoked",
    )


@transaction.atomic
def api_tokens_revoke_all(*, user, actor=None, channel: str = "", reason: str = "revoked") -> int:
    """Revoke every token of ``user``; returns how many there were."""
    return _revoke(
        AuthToken.objects.filter(user=user), user=user, actor=actor, channel=channel, reason=reason
    )


def _revoke(tokens, *, user, actor, channel: str, reason: str) -> int:
    keys = list(tokens.values_list("token_key", flat=True))
    if not keys:
        return 0
    tokens.delete()
    for key in keys:
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=user,
            channel=channel,
            detail=f"API token {key} {reason}",
        )
    return len(keys)
