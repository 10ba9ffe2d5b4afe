from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken


def api_tokens_for_user(*, user) -> QuerySet[AuthToken]:
    """``user``'s tokens that still work, newest first, with their labels. (Knox deletes an
    expired token when it is next presented; until then it is simply not listed.)"""
    return (
        AuthToken.objects.filter(user=user, expiry__gt=timezone.now())
        .select_related("label")
        .order_by("-created")
    )
