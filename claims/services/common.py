"""Helpers the claims services share."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from ..models import ClaimRejection
from ..signals import claim_rejection_resolved, send_on_commit

CHUNK = 500  # ids per IN (...) list: well inside SQLite's variable limit


def chunks(values: Sequence, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def rejections_resolve(*, rejection_ids: list[int], by: str) -> int:
    """Mark open rejections resolved (``by``: accepted, adjudicated, resubmitted) and send
    ``claim_rejection_resolved`` with their ids once the transaction commits."""
    if not rejection_ids:
        return 0
    open_ids = []
    for part in chunks(sorted(set(rejection_ids))):
        open_ids.extend(
            ClaimRejection.objects.open().filter(pk__in=part).values_list("pk", flat=True)
        )
        ClaimRejection.objects.open().filter(pk__in=part).update(
            resolved_at=timezone.now(), resolved_by_kind=by
        )
    send_on_commit(claim_rejection_resolved, open_ids)
    return len(open_ids)
