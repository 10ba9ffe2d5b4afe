from django.db import models

from .models import AuditEvent


def audit_record(
    *, actor, action: str, obj: models.Model, channel: str = "", detail: str = ""
) -> AuditEvent:
    """Append one audit event for ``obj``. ``detail`` must never contain patient data."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        channel=channel,
        detail=detail[:200],
    )
