"""Which Redis database the cache uses, given the Celery broker's (pure Python, no Django).

The cache and the broker must never share a Redis database: a cache flush or eviction
would drop queued tasks, and the broker's keys would crowd the cache.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Redis ships with 16 databases (0-15); the broker's next one wraps round to 0.
REDIS_DATABASES = 16


def redis_database(url: str) -> int:
    """The database number a redis://, rediss:// or unix:// URL selects (as redis-py reads
    it: ``?db=N`` wins over the path; none means 0)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if "db" in query:
        return int(query["db"])
    path = parts.path.strip("/") if parts.scheme != "unix" else ""
    return int(path) if path else 0


def with_database(url: str, database: int) -> str:
    """``url`` selecting ``database`` instead, everything else kept."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    if parts.scheme == "unix" or any(key == "db" for key, _ in query):
        query = [(key, value) for key, value in query if key != "db"] + [("db", str(database))]
        parts = parts._replace(query=urlencode(query))
        if parts.scheme == "unix":  # urlunsplit would drop the empty host: unix:/path
            return f"unix://{parts.netloc}{parts.path}?{parts.query}"
        return urlunsplit(parts)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _same_server(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    if pa.scheme == "unix" or pb.scheme == "unix":
        return pa.scheme == pb.scheme and pa.path == pb.path
    return (pa.hostname, pa.port or 6379) == (pb.hostname, pb.port or 6379)


def cache_url(*, broker_url: str | None, configured: str | None) -> str | None:
    """The cache's Redis URL: ``configured`` (REDIS_CACHE_URL) if set, else the broker's URL
    with the next database number. None when there is neither (a per-process cache).

    Raises ValueError when the configured cache would share the broker's database.
    """
    if configured:
        if (
            broker_url
            and _same_server(configured, broker_url)
            and redis_database(configured) == redis_database(broker_url)
        ):
            raise ValueError(
                f"REDIS_CACHE_URL uses the Celery broker's Redis database "
                f"({redis_database(broker_url)}); give the cache a database of its own."
            )
        return configured
    if not broker_url or not broker_url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return with_database(broker_url, (redis_database(broker_url) + 1) % REDIS_DATABASES)
