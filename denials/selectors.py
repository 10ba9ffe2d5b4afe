"""Reads for denials and the CARC/RARC catalog."""

from __future__ import annotations

from django.db.models import QuerySet

from .filtersets import DenialFilterSet
from .models import Denial, ReasonCode, RemarkCode
from .rules import Catalog, carc_rule_from_row, rarc_rule_from_row


def catalog_load() -> Catalog:
    """The CARC/RARC catalog as the admin left it, as plain rules."""
    carcs = {
        row["code"]: carc_rule_from_row(row)
        for row in ReasonCode.objects.values(
            "code",
            "description",
            "is_denial",
            "denial_groups",
            "category",
            "severity",
            "next_action",
        )
    }
    rarcs = {
        row["code"]: rarc_rule_from_row(row)
        for row in RemarkCode.objects.values(
            "code", "description", "effect", "category", "next_action"
        )
    }
    return Catalog(carcs, rarcs)


def code_descriptions(*, carcs: set[str], rarcs: set[str]) -> tuple[dict, dict]:
    """Descriptions in words for the given CARC and RARC codes (for display)."""
    return (
        dict(ReasonCode.objects.filter(code__in=carcs).values_list("code", "description")),
        dict(RemarkCode.objects.filter(code__in=rarcs).values_list("code", "description")),
    )


def denial_list(*, user, filters: dict | None = None) -> QuerySet[Denial]:
    """Denials the user may see, filtered, with what the list shows joined in."""
    qs = Denial.objects.for_user(user).select_related("payer", "claim", "service_line")
    return DenialFilterSet(filters, queryset=qs).qs
