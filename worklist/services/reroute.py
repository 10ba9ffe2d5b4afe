"""Re-route the open items a changed routing rule now sends elsewhere (with a count first)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from .. import routing
from ..choices import ItemKind
from ..models import ItemDenial, RoutingRule, WorklistItem
from ..querysets import is_manager
from ..selectors import routing_table
from .items import AssignmentRefused, items_bulk_update


def items_rerouted_by(*, rule: RoutingRule, limit: int = 200_000) -> list[int]:
    """Open items in another team that the routing table, as it stands, now sends to this
    rule: it is the first rule that matches them. Reads only. Rejection items are not
    routed by rules (``worklist.rejections``), so never moved by one."""
    if not rule.active:
        return []
    rules, default = routing_table()
    candidates = (
        WorklistItem.objects.open()
        .filter(kind=ItemKind.DENIAL)
        .exclude(team_id=rule.team_id)
        .select_related("payer", "claim")
        .only(
            "id",
            "payer_id",
            "payer__payer_type",
            "category",
            "reason_code",
            "open_amount",
            "procedure_code",
            "claim__rendering_provider_id",
        )
    )
    if rule.payer_id:
        candidates = candidates.filter(payer_id=rule.payer_id)
    if rule.category:
        candidates = candidates.filter(category=rule.category)
    if rule.payer_type:
        candidates = candidates.filter(payer__payer_type=rule.payer_type)
    items = list(candidates.order_by("id")[:limit])
    codes = _denial_codes([i.pk for i in items])
    moved = []
    for item in items:
        adjustments, remarks, revenue = codes.get(item.pk, ((), (), ""))
        facts = routing.RouteFacts(
            payer_id=item.payer_id,
            payer_type=item.payer.payer_type,
            category=item.category,
            reason_code=item.reason_code,
            amount=item.open_amount,
            rendering_provider_id=item.claim.rendering_provider_id,
            procedure_code=item.procedure_code,
            revenue_code=revenue,
            adjustment_codes=adjustments,
            remark_codes=remarks,
        )
        team, why = routing.route(facts, rules, default)
        if team == rule.team_id and why.startswith(f"routing rule {rule.pk} "):
            moved.append(item.pk)
    return moved


def _denial_codes(item_ids: list[int]) -> dict[int, tuple[tuple, tuple, str]]:
    """Per item: the adjustment and remark codes of its denials, and a revenue code."""
    found: dict[int, list] = defaultdict(lambda: [set(), set(), ""])
    rows = ItemDenial.objects.filter(item_id__in=item_ids).values_list(
        "item_id",
        "denial__adjustment_codes",
        "denial__remark_codes",
        "denial__service_line__revenue_code",
    )
    for item_id, adjustments, remarks, revenue in rows.iterator(chunk_size=5000):
        entry = found[item_id]
        entry[0].update(adjustments or ())
        entry[1].update(remarks or ())
        entry[2] = entry[2] or revenue or ""
    return {k: (tuple(sorted(a)), tuple(sorted(r)), rev) for k, (a, r, rev) in found.items()}


@transaction.atomic
def items_reroute(*, rule: RoutingRule, actor) -> int:
    """Move the open items this rule now routes to its team (unassigned, with a note and
    an audit row each, as a bulk change of team). Managers only."""
    if not is_manager(actor):
        raise AssignmentRefused("Only a manager can re-route items.")
    ids = items_rerouted_by(rule=rule)
    if not ids:
        return 0
    return items_bulk_update(
        items=WorklistItem.objects.filter(pk__in=ids), actor=actor, team=rule.team
    )
