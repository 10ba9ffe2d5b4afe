"""Set up a laptop demo: a demo user (credentials printed) and synthetic remittances.

Never on production settings: the demo user is a superuser with a published password.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.roles import BILLER_GROUP, MANAGER_GROUP
from accounts.services import api_token_create, api_tokens_revoke_all
from remittance.choices import RemittanceSource
from remittance.models import Remittance
from remittance.services import remittance_process, remittance_receive

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-denials-2026"


def production_settings() -> str | None:
    """The settings module's name if it is a production one, else None."""
    for module in (settings.SETTINGS_MODULE, os.environ.get("DJANGO_SETTINGS_MODULE")):
        if module and module.rsplit(".", 1)[-1] == "production":
            return module
    return None


class Command(BaseCommand):
    help = "Create the demo user and, on an empty database, load synthetic 835 remittances."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=3000)
        parser.add_argument("--files", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, claims: int, files: int, seed: int, **options):
        if module := production_settings():
            raise CommandError(
                f"demo_setup refuses to run on production settings ({module}): it creates a "
                "superuser with a published password. Use config.settings.local."
            )
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USER, defaults={"is_staff": True, "is_superuser": True}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        # A fresh API token each run (the last run's is revoked): only its hash is stored,
        # so it can be shown only now.
        api_tokens_revoke_all(user=user, channel="command", reason="revoked: replaced")
        token = api_token_create(user=user, name="demo", channel="command")
        # Roles are explicit: the demo user bills and manages.
        for name in (BILLER_GROUP, MANAGER_GROUP):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        # On every team, so "My queue" and "Next item" have work in the demo. (Looked up by
        # name: the worklist app sits above this one.)
        for team in apps.get_model("worklist", "Team").objects.all():
            team.members.add(user)
        if Remittance.objects.exists():
            self.stdout.write("Remittances already loaded; leaving them as they are.")
        else:
            self._load(claims=claims, files=files, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo ready.  Sign in at http://127.0.0.1:8000/"
                f"\n  username:  {DEMO_USER}\n  password:  {DEMO_PASSWORD}"
                f"\nAPI token:   {token.secret}"
                f"\n  (shown once; expires {token.expiry:%Y-%m-%d}; manage at /account/tokens/)\n"
            )
        )

    def _load(self, *, claims: int, files: int, seed: int) -> None:
        with tempfile.TemporaryDirectory() as out:
            # Recent payments, so the demo's deadlines are live rather than long missed.
            start = timezone.localdate() - timedelta(days=75)
            call_command(
                "generate_835",
                claims=claims,
                files=files,
                seed=seed,
                out=out,
                start_date=start,
                stdout=self.stdout,
            )
            for path in sorted(Path(out).glob("*.835")):
                with path.open("rb") as stream:
                    received = remittance_receive(
                        stream=stream, filename=path.name, source=RemittanceSource.COMMAND
                    )
                remittance = remittance_process(remittance_id=received.remittance.pk)
                self.stdout.write(
                    f"{path.name}: {remittance.status}, {remittance.claim_count} claims, "
                    f"{remittance.denial_count} denials"
                )
