from django.apps import AppConfig


class DenialsConfig(AppConfig):
    name = "denials"
    verbose_name = "Denials"

    def ready(self):
        from . import signals  # noqa: F401
