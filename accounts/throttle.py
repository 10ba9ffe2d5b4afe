"""Failed sign-in throttling, kept in Django's cache so that every web process shares it.

Two counters, each over ``LOGIN_THROTTLE_WINDOW`` seconds:

- **the pair** (username, client address): after ``LOGIN_THROTTLE_FAILURES`` failures that
  username is refused *from that address* for ``LOGIN_THROTTLE_LOCKOUT`` seconds, whatever
  the password. Colleagues behind the same office address, and the same person at home,
  are not affected; nor can anyone lock a user out by guessing their username elsewhere.
- **the address**: after ``LOGIN_THROTTLE_ADDRESS_FAILURES`` failures (any usernames) the
  whole address is refused for the lockout. The ceiling is far above what an office makes
  by mistyping, and stops one address spraying passwords across many usernames.

A successful sign-in clears its pair's counter (not the address's).

A counter's window starts at its first failure: ``cache.add`` creates it with the window as
its expiry and ``cache.incr`` (atomic in Redis, locked in LocMemCache, and keeping the
expiry in both) counts. Usernames and addresses are hashed into the keys, so the cache never
holds a username, and the log only ever gets counts and the address.

The throttle fails open: when the cache cannot be reached (Redis down), sign-in goes on
unthrottled and a warning is logged, rather than nobody being able to sign in.
"""

from __future__ import annotations

import functools
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


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _keys(*, username: str, ip: str) -> dict[str, str]:
    """Cache key stem per counter: "pair" (username and address) and "address"."""
    account = unicodedata.normalize("NFKC", username).strip().casefold()
    pair = f"{account}\n{ip}"  # a newline is in neither a username nor an address
    return {
        "pair": f"{PREFIX}:pair:{_hash(pair)}",
        "address": f"{PREFIX}:address:{_hash(ip)}",
    }


def _limits() -> dict[str, int]:
    return {
        "pair": settings.LOGIN_THROTTLE_FAILURES,
        "address": settings.LOGIN_THROTTLE_ADDRESS_FAILURES,
    }


def _fail_open(default):
    """Answer ``default`` (no lockout) when the cache raises, logging a warning with the
    error but never the username."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(**kwargs):
            try:
                return function(**kwargs)
            except Exception as error:  # any cache failure: let people in
                logger.warning(
                    "Sign-in throttle unavailable, not counting (%s): %s",
                    type(error).__name__,
                    error,
                )
                return default

        return wrapper

    return decorate


@_fail_open(0)
def lockout_remaining(*, username: str, ip: str) -> int:
    """Seconds until sign-in is allowed again for this username and address; 0 if it is."""
    now = time.time()
    until = cache.get_many([f"{key}:locked" for key in _keys(username=username, ip=ip).values()])
    return max((math.ceil(end - now) for end in until.values()), default=0)


def _count(key: str) -> int:
    cache.add(f"{key}:failures", 0, timeout=settings.LOGIN_THROTTLE_WINDOW)
    try:
        return cache.incr(f"{key}:failures")
    except ValueError:  # the window ended between add() and incr()
        cache.set(f"{key}:failures", 1, timeout=settings.LOGIN_THROTTLE_WINDOW)
        return 1


@_fail_open(0)
def record_failure(*, username: str, ip: str) -> int:
    """Count a failed sign-in; lock what reached its limit. Returns :func:`lockout_remaining`."""
    limits = _limits()
    counts = {}
    for kind, key in _keys(username=username, ip=ip).items():
        counts[kind] = _count(key)
        if counts[kind] >= limits[kind]:
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
        "Failed sign-in from %s: %d for the address, %d for the account from it",
        ip,
        counts.get("address", 0),
        counts.get("pair", 0),
    )
    return lockout_remaining(username=username, ip=ip)


@_fail_open(None)
def clear_pair(*, username: str, ip: str) -> None:
    """Forget a username's failures from this address (after it signed in from there)."""
    if key := _keys(username=username, ip=ip).get("pair"):
        cache.delete(f"{key}:failures")
