"""Writes for payer aliases (managers'): each change audited, and the submitted claims
carrying the alias's identifier mapped to its payer."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record

from ..models import PayerAlias, SubmittedClaim
from ..payers import normalize


@transaction.atomic
def payer_alias_save(
    *, alias: PayerAlias | None = None, identifier: str, payer, note: str = "", actor, channel: str
) -> PayerAlias:
    """Create or change a payer alias, audited, and map the submitted claims that carry
    its identifier and have no payer yet (or had the alias's earlier payer)."""
    creating = alias is None
    alias = alias or PayerAlias()
    previous_payer_id = alias.payer_id
    alias.identifier = normalize(identifier)[:80]
    alias.payer = payer
    alias.note = note.strip()[:200]
    alias.save()
    mapped = SubmittedClaim.objects.filter(payer_identifier=alias.identifier).filter(
        Q(payer__isnull=True) | Q(payer_id=previous_payer_id)
    )
    count = mapped.update(payer=payer, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.CHANGE,
        obj=alias,
        channel=channel,
        detail=f"fields: identifier, payer, note; {count} submitted claims mapped",
    )
    return alias


@transaction.atomic
def payer_alias_delete(*, alias: PayerAlias, actor, channel: str) -> None:
    """Delete an alias, audited. Claims already mapped keep their payer."""
    audit_record(actor=actor, action=AuditAction.DELETE, obj=alias, channel=channel)
    alias.delete()
