"""Keeping the rollups current: the incremental refresh after changes and the full
rebuild. Both run in one database transaction holding the rollups' bookkeeping row, so
two never interleave and dashboards never read a half-written refresh. A failure is
recorded on that row (and logged) before it propagates: never silent."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import rollups
from .models import ArSegment, ClaimFact, FactCode, ItemFact, RollupState

logger = logging.getLogger(__name__)
STATE = "claims"


@dataclass(frozen=True)
class RollupRun:
    identities: int
    facts: int
    seconds: float
    rebuilt: bool


def rollups_refresh() -> RollupRun:
    """Refresh the facts of every identity changed since the last run (with an overlap
    for transactions still open then); rebuild when the rollups were never built."""
    return _run(rebuild=False)


def rollups_rebuild() -> RollupRun:
    """Recompute every fact from the raw rows; the numbers equal an incremental refresh's."""
    return _run(rebuild=True)


def _run(*, rebuild: bool) -> RollupRun:
    RollupState.objects.get_or_create(name=STATE)
    started, clock = timezone.now(), time.perf_counter()
    try:
        with transaction.atomic():
            state = RollupState.objects.select_for_update().get(name=STATE)
            rebuild = rebuild or state.watermark is None
            if rebuild:
                identities = written = rollups.rebuild()
            else:
                overlap = timedelta(seconds=settings.ANALYTICS_REFRESH_OVERLAP_SECONDS)
                since = state.watermark - overlap
                scope = rollups.changed_since(since)
                identities, written = len(scope), rollups.refresh(scope)
                rollups.refresh_items(rollups.items_changed_since(since))
            state.watermark, state.started_at, state.finished_at = started, started, timezone.now()
            state.identities, state.seconds = identities, time.perf_counter() - clock
            state.failures, state.last_error = 0, ""
            state.save()
    except Exception as exc:
        _record_failure(exc)
        raise
    if rebuild:
        rollups.vacuum()
    run = RollupRun(identities, written, round(time.perf_counter() - clock, 3), rebuild)
    logger.info("analytics rollups: %s", run)
    return run


def _record_failure(exc: Exception) -> None:
    logger.error("analytics rollups refresh failed: %s: %s", type(exc).__name__, exc)
    try:
        with transaction.atomic():
            state = RollupState.objects.select_for_update().get(name=STATE)
            state.failures += 1
            state.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            state.failed_at = timezone.now()
            state.save(update_fields=["failures", "last_error", "failed_at"])
    except Exception:  # noqa: BLE001 - the database itself is down: the log has it
        logger.exception("could not record the rollups failure")


def rollups_counts() -> dict:
    """Rows in each rollup table."""
    return {
        "claim_facts": ClaimFact.objects.count(),
        "codes": FactCode.objects.count(),
        "ar_segments": ArSegment.objects.count(),
        "items": ItemFact.objects.count(),
    }
