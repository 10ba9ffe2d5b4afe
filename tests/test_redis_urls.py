"""The cache's Redis database is derived from the broker's and never equals it (no Redis)."""

import pytest

from config.redis_urls import cache_url, redis_database


@pytest.mark.parametrize(
    ("broker", "expected"),
    [
        ("redis://redis:6379/0", "redis://redis:6379/1"),
        ("redis://redis:6379", "redis://redis:6379/1"),
        ("redis://:secret@10.0.0.5:6380/4", "redis://:secret@10.0.0.5:6380/5"),
        (
            "rediss://cache.example.org:6379/2?ssl_cert_reqs=required",
            "rediss://cache.example.org:6379/3?ssl_cert_reqs=required",
        ),
        ("redis://redis:6379/0?db=7", "redis://redis:6379/0?db=8"),
        ("unix:///run/redis.sock?db=3", "unix:///run/redis.sock?db=4"),
        ("unix:///run/redis.sock", "unix:///run/redis.sock?db=1"),
        ("redis://redis:6379/15", "redis://redis:6379/0"),
    ],
)
def test_the_cache_takes_the_broker_database_plus_one(broker, expected):
    derived = cache_url(broker_url=broker, configured=None)
    assert derived == expected
    assert redis_database(derived) != redis_database(broker)


def test_a_configured_cache_url_wins():
    assert (
        cache_url(broker_url="redis://redis:6379/0", configured="redis://redis:6379/9")
        == "redis://redis:6379/9"
    )
    assert (
        cache_url(broker_url="redis://broker:6379/0", configured="redis://cache:6379/0")
        == "redis://cache:6379/0"
    )


@pytest.mark.parametrize(
    "configured", ["redis://redis:6379/0", "redis://redis/0", "redis://redis:6379/9?db=0"]
)
def test_a_cache_on_the_broker_database_is_refused(configured):
    with pytest.raises(ValueError, match="broker's Redis database"):
        cache_url(broker_url="redis://redis:6379", configured=configured)


@pytest.mark.parametrize("broker", [None, "", "memory://", "amqp://guest@rabbit//"])
def test_without_a_redis_broker_the_cache_is_per_process(broker):
    assert cache_url(broker_url=broker, configured=None) is None


@pytest.mark.redis
def test_celery_uses_the_broker_database_of_the_settings(settings):
    # Under pytest-xdist the second test process moves its broker to another database
    # (config/settings/test.py); Celery reads the environment variable first, so both
    # must name the same one, or that process's tasks would reach the other's worker.
    from config.celery_app import app

    assert app.conf.broker_url == settings.CELERY_BROKER_URL
