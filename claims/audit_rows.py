"""Audit rows for batches: one per object written, in one insert."""

from __future__ import annotations

from collections.abc import Iterable

from audit.models import AuditEvent


def audit_many(
    *, actor, action: str, label: str, ids: Iterable[int], channel: str, detail: str = ""
) -> None:
    """Like ``audit.services.audit_record`` for many objects of one model (``label`` is
    ``app_label.modelname``). ``detail`` must never hold patient data."""
    who = actor if getattr(actor, "is_authenticated", False) else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=who,
                action=action,
                object_type=label,
                object_id=str(pk),
                channel=channel,
                detail=detail[:200],
            )
            for pk in ids
        ],
        batch_size=1000,
    )
