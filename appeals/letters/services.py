"""Writes for letter templates: a manager saves one (checked first, whatever the door) or
retires it. Each write is one transaction with its audit row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.roles import is_manager
from audit.models import AuditAction
from audit.services import audit_record

from ..models import Appeal, LetterTemplate
from .checks import template_errors


def _check_manager(actor) -> None:
    if not is_manager(actor):
        raise PermissionDenied("Only managers edit letter templates.")


@transaction.atomic
def letter_template_save(
    *, template: LetterTemplate, actor, changed: list[str] | None = None, channel: str = "page"
) -> LetterTemplate:
    """Save a new or edited template after its checks (``ValidationError`` by field
    otherwise), recording who changed it and which fields (never their text)."""
    _check_manager(actor)
    errors = {field: template_errors(getattr(template, field)) for field in ("subject", "body")}
    errors = {field: found for field, found in errors.items() if found}
    if errors:
        raise ValidationError(errors)
    action = AuditAction.CHANGE if template.pk else AuditAction.CREATE
    template.updated_by = actor
    template.save()
    detail = f"fields: {', '.join(changed)}" if changed else ""
    audit_record(actor=actor, action=action, obj=template, channel=channel, detail=detail)
    return template


@transaction.atomic
def letter_template_retire(*, template: LetterTemplate, actor, channel: str = "page") -> str:
    """Delete a template no appeal has used; deactivate one that an appeal has (it stays
    on record, and is no longer proposed). Returns "deleted" or "deactivated"."""
    _check_manager(actor)
    if Appeal.objects.filter(template=template).exists():
        template.active = False
        template.updated_by = actor
        template.save(update_fields=["active", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=template,
            channel=channel,
            detail="deactivated",
        )
        return "deactivated"
    audit_record(actor=actor, action=AuditAction.DELETE, obj=template, channel=channel)
    template.delete()
    return "deleted"
