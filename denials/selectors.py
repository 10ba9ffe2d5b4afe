"""Reads for denials and the CARC/RARC catalog."""

from __future__ import annotations

from django.db.models import CharField, Value

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
    """Descriptions in words for the given CARC and RARC codes (for display), in one query
    (the item page shows them on every view)."""
    parts = [
        model.objects.filter(code__in=codes)
        .order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "code", "description")
        for kind, model, codes in (("carc", ReasonCode, carcs), ("rarc", RemarkCode, rarcs))
        if codes
    ]
    found: dict[str, dict] = {"carc": {}, "rarc": {}}
    if parts:
        for kind, code, description in parts[0].union(*parts[1:], all=True):
            found[kind][code] = description
    return found["carc"], found["rarc"]
