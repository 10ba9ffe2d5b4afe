"""Settings for the test suite."""

import os

from config.redis_urls import cache_url, redis_database, with_database

from .base import *  # noqa: F403

# Several test processes (pytest-xdist: PYTEST_XDIST_WORKER gw0, gw1, ...) never share a
# broker: process n uses the configured Redis database less 2n (its cache would be the
# next one up), so one process's live worker never takes another's tasks.
# A worker a test starts (CELERY_WORKER_LIVE) is given its process's URL already.
_process = os.environ.get("PYTEST_XDIST_WORKER", "")
_live_worker = env.bool("CELERY_WORKER_LIVE", default=False)  # noqa: F405
if CELERY_BROKER_URL and _process.startswith("gw") and not _live_worker:  # noqa: F405
    _index = int(_process[2:])
    if _index >= 8:
        raise ValueError("At most 8 test processes share one Redis server's 16 databases.")
    CELERY_BROKER_URL = with_database(  # noqa: F405
        CELERY_BROKER_URL,  # noqa: F405
        (redis_database(CELERY_BROKER_URL) - 2 * _index) % 16,  # noqa: F405
    )
    REDIS_CACHE_URL = cache_url(broker_url=CELERY_BROKER_URL, configured=None)
    # Celery reads the CELERY_BROKER_URL environment variable before this setting.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Tests run tasks in-process unless a test asks for the live worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = not _live_worker
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic in tests

# The test cache is per process: never the Redis database the Celery broker uses.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ANALYTICS_REFRESH_ON_CHANGE = True  # the tests run the refresh path, eagerly
