from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Submitted claims"

    def ready(self):
        from . import receivers  # noqa: F401
