"""Settings for running on a laptop: the embedded defaults, debug on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The demo site keeps a business's hours, not UTC's: set TIME_ZONE to your own.
TIME_ZONE = env("TIME_ZONE", default="America/Chicago")
CELERY_TIMEZONE = TIME_ZONE
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Emails (the weekly digest) are printed on the console.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
