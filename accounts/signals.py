"""A password change or a deactivation revokes every API token of the user, whatever door
made it (password-change page, admin, ``changepassword``, a script): the check sits on the
user model's save, not on any one view.

(``QuerySet.update()`` sends no signals: a user deactivated that way keeps their token rows,
but knox refuses every token of an inactive user.)"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .services import api_tokens_revoke_all

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=get_user_model(), dispatch_uid="accounts.tokens_note_revocation")
def note_revocation(sender, instance, update_fields=None, raw=False, **kwargs):
    """Compare with the stored row, and note on the instance why its tokens must go."""
    instance._revoke_api_tokens = ""
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not WATCHED & set(update_fields))
    ):
        return
    stored = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if stored["password"] != instance.password and not _rehashed(instance, stored["password"]):
        instance._revoke_api_tokens = "revoked: password changed"
    elif stored["is_active"] and not instance.is_active:
        instance._revoke_api_tokens = "revoked: account deactivated"


def _rehashed(user, stored_hash: str) -> bool:
    """Django upgrades a stored hash at sign-in (a new hasher or more iterations): the same
    password, so the tokens stay. ``_password`` is the raw password ``set_password`` got."""
    raw = getattr(user, "_password", None)
    return raw is not None and check_password(raw, stored_hash)


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts.tokens_revoke")
def revoke_tokens(sender, instance, created=False, **kwargs):
    if reason := getattr(instance, "_revoke_api_tokens", ""):
        instance._revoke_api_tokens = ""
        api_tokens_revoke_all(user=instance, reason=reason)
