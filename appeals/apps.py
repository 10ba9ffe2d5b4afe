from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = "Appeals"

    def ready(self):
        from . import signals  # noqa: F401
