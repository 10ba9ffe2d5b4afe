from django.db import models

from .models import AuditEvent

LIST = "list"


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def audit_record(
    *, actor, action: str, obj: models.Model, channel: str = "", detail: str = ""
) -> AuditEvent:
    """Append one audit event for ``obj``. ``detail`` must never contain patient data."""
    return AuditEvent.objects.create(
        actor=_actor(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        channel=channel,
        detail=detail[:200],
    )


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())


def audit_list_read(
    *, actor, model: type[models.Model], channel: str, rows: int, params=None
) -> AuditEvent:
    """One "view" event for a read of a list of ``model`` (a page of a list, a queue, an
    export): object id "list", and in ``detail`` the number of rows and the names of the
    filters used. Filter *values* are left out: a search for a patient account number is
    itself patient data. Unprintable characters in a name (a NUL, which no text column
    takes) are dropped."""
    names = sorted({_printable(key) for key in (params or {})} - {""})
    detail = f"list: {rows} row{'' if rows == 1 else 's'}"
    if names:
        detail += "; filters: " + ", ".join(names)
    return AuditEvent.objects.create(
        actor=_actor(actor),
        action="view",
        object_type=model._meta.label_lower,
        object_id=LIST,
        channel=channel,
        detail=detail[:200],
    )
