"""Settings for the test suite."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Tests run tasks in-process unless a test asks for the live worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = not env.bool("CELERY_WORKER_LIVE", default=False)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic in tests

# The test cache is per process: never the Redis database the Celery broker uses.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ANALYTICS_REFRESH_ON_CHANGE = True  # the tests run the refresh path, eagerly
