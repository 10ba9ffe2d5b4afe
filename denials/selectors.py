"""Reads for denials and the CARC/RARC catalog."""

from __future__ import annotations

from .models import ReasonCode, RemarkCode
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
