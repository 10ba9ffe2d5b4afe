from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "worklist"
    verbose_name = "Worklist"

    def ready(self):
        from . import signals  # noqa: F401
