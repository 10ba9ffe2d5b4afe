"""Coalescing bursts of requests for the same background task: the first request marks
the work pending in the shared cache (atomically) and queues the task a few seconds
out; later ones until the task starts (and clears the mark) add nothing."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def first_request(key: str, *, delay_seconds: int) -> bool:
    """Whether this is the first request for ``key`` since its task last started, so
    the caller queues the task. With the cache unreachable, True: a duplicate run is
    harmless, a lost one is not."""
    try:
        return bool(cache.add(key, 1, timeout=delay_seconds * 60))
    except Exception:  # noqa: BLE001 - the cache is an optimisation here, never a blocker
        logger.warning("task coalescing unavailable (cache error) for %s; queuing anyway", key)
        return True
