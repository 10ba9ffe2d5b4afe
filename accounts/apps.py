from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self):
        # Revoke API tokens on a password change; describe token auth in the OpenAPI schema.
        from . import schema, signals  # noqa: F401
