"""Failed sign-in throttling, kept in Django's cache so that every web process shares it.

After ``LOGIN_THROTTLE_FAILURES`` failures for one username or one client IP within
``LOGIN_THROTTLE_WINDOW`` seconds, sign-in for that username or IP is refused for
``LOGIN_THROTTLE_LOCKOUT`` seconds, whatever the password. Counting both stops one address
from guessing many accounts and many addresses from guessing one account. A successful
sign-in clears its username's counter (not the address's: many people may share one).

A counter's window starts at its first failure: ``cache.add`` creates it with the window as
its expiry and ``cache.incr`` (atomic in Redis, locked in LocMemCache, and keeping the
expiry in both) counts. Usernames and addresses are hashed into the keys, so the cache never
holds a username, and the log only ever gets counts and the address.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "login-throttle"


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or with ``LOGIN_THROTTLE_PROXY_COUNT`` = n
    trusted reverse proxies in front, the n-th address from the right in X-Forwarded-For
    (what the outermost proxy saw; the addresses left of it are the client's to invent)."""
    proxies = settings.LOGIN_THROTTLE_PROXY_COUNT
    if proxies > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _keys(*, username: str, ip: str) -> dict[str, str]:
    """Cache key stem per dimension; an empty username or address is not counted."""
    values = {
        "account": unicodedata.normalize("NFKC", username).strip().casefold(),
        "address": ip,
    }
    return {
        kind: f"{PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"
        for kind, value in values.items()
        if value
    }


def lockout_remaining(*, username: str, ip: str) -> int:
    """Seconds until sign-in is allowed again for this username and address; 0 if it is."""
    now = time.time()
    until = cache.get_many([f"{key}:locked" for key in _keys(username=username, ip=ip).values()])
    return max((math.ceil(end - now) for end in until.values()), default=0)


def record_failure(*, username: str, ip: str) -> int:
    """Count a failed sign-in; lock what reached the limit. Returns :func:`lockout_remaining`."""
    limit = settings.LOGIN_THROTTLE_FAILURES
    counts = {}
    for kind, key in _keys(username=username, ip=ip).items():
        cache.add(f"{key}:failures", 0, timeout=settings.LOGIN_THROTTLE_WINDOW)
        try:
            counts[kind] = cache.incr(f"{key}:failures")
        except ValueError:  # the window ended between add() and incr()
            cache.set(f"{key}:failures", 1, timeout=settings.LOGIN_THROTTLE_WINDOW)
            counts[kind] = 1
        if counts[kind] >= limit:
            lockout = settings.LOGIN_THROTTLE_LOCKOUT
            cache.set(f"{key}:locked", time.time() + lockout, timeout=lockout)
            cache.delete(f"{key}:failures")
            logger.warning(
                "Sign-in locked for %d s by %s after %d failures (address %s)",
                lockout,
                kind,
                counts[kind],
                ip,
            )
    logger.info(
        "Failed sign-in from %s: %d for the address, %d for the account",
        ip,
        counts.get("address", 0),
        counts.get("account", 0),
    )
    return lockout_remaining(username=username, ip=ip)


def clear_username(*, username: str) -> None:
    """Forget a username's failures (after it signed in)."""
    for key in _keys(username=username, ip="").values():
        cache.delete(f"{key}:failures")
