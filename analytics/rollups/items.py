"""The stored figures of denial worklist items (``analytics.models.ItemFact``)."""

from __future__ import annotations

from datetime import datetime

from worklist.models import Activity, WorklistItem

from .. import facts
from ..models import ItemFact
from .writes import among, insert

ITEM_FIELDS = (
    "item_id", "claim_id", "payer_id", "team_id", "category", "control_point",
    "procedure_code", "resolution", "open_amount", "recovered_amount", "deadline",
    "created_at", "resolved_at", "first_action_at",
)  # fmt: skip
SOURCE_FIELDS = ("pk", *ITEM_FIELDS[1:])
BATCH = 50_000


def refresh_items(item_ids) -> int:
    """Recompute the facts of these items (a deleted or no longer denial item loses
    its row). Idempotent. ``None``: every item."""
    rows = facts.denial_items().values_list(*SOURCE_FIELDS)
    if item_ids is None:
        ItemFact.objects.all().delete()
        written = 0
        batch = []
        for row in rows.order_by("pk").iterator(chunk_size=5000):
            batch.append(row)
            if len(batch) == BATCH:
                insert(ItemFact, ITEM_FIELDS, batch)
                written, batch = written + len(batch), []
        insert(ItemFact, ITEM_FIELDS, batch)
        return written + len(batch)
    ids = sorted(set(item_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        ItemFact.objects.filter(among("item_id", chunk)).delete()
        fresh = list(rows.filter(among("pk", chunk)))
        insert(ItemFact, ITEM_FIELDS, fresh)
        written += len(fresh)
    return written


def items_changed_since(since: datetime) -> set[int]:
    """Items saved since then, and items someone acted on since (a note may not save
    its item)."""
    changed = set(
        WorklistItem.objects.filter(updated_at__gte=since).order_by().values_list("pk", flat=True)
    )
    acted = Activity.objects.filter(at__gte=since, actor__isnull=False)
    return changed | set(acted.values_list("item_id", flat=True))
