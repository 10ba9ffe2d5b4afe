"""Who viewed or changed what. Records carry object ids, never patient data."""

from django.conf import settings
from django.db import models

from accounts.roles import is_manager


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user):
        """The audit trail is for managers (and superusers) only."""
        return self if is_manager(user) else self.none()


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(
        max_length=40, help_text='The object\'s id, or "list" for a read of a list.'
    )
    channel = models.CharField(max_length=10, blank=True, help_text="page, api or command")
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.actor} {self.action} {self.object_type} {self.object_id}"
