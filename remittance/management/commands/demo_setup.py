"""Set up a laptop demo: a demo user (credentials printed) and synthetic remittances.

Never on production settings: the demo user is a superuser with a published password.
"""

import io
import json
import os
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.roles import BILLER_GROUP, MANAGER_GROUP
from accounts.services import api_token_create, api_tokens_revoke_all
from remittance.models import Remittance

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
            # Some appeals under way (by the command's name: the appeals app sits above).
            call_command("demo_appeals", username=DEMO_USER, stdout=self.stdout)
            # The dashboards' rollups, built once (with tasks in-process they are not
            # refreshed after each change).
            call_command("analytics_rebuild", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo ready.  Sign in at http://127.0.0.1:8000/"
                f"\n  username:  {DEMO_USER}\n  password:  {DEMO_PASSWORD}"
                f"\nAPI token:   {token.secret}"
                f"\n  (shown once; expires {token.expiry:%Y-%m-%d}; manage at /account/tokens/)\n"
            )
        )

    def _load(self, *, claims: int, files: int, seed: int) -> None:
        """The whole loop for the same claims: 837 batches, their 277CA acknowledgments
        (some rejections) and the 835s weeks later, read day by day as they would arrive."""
        with tempfile.TemporaryDirectory() as out:
            # Recent enough that the demo's deadlines are live rather than long missed.
            start = timezone.localdate() - timedelta(days=110)
            call_command(
                "generate_claim_set",
                claims=claims,
                seed=seed,
                out=out,
                start=start.isoformat(),
                stdout=self.stdout,
            )
            today = timezone.localdate().isoformat()
            arrived = [p for p in sorted(Path(out).iterdir()) if p.name[:10] <= today]
            # Read by the command named, not imported: the claims app sits beside this one.
            report = io.StringIO()
            call_command("ingest", *map(str, arrived), as_json=True, stdout=report)
            kinds = Counter(json.loads(line)["kind"] for line in report.getvalue().splitlines())
            # What the nightly run would do: items opened before their payer's first 835
            # (rejections) take up the payer's rules now. (By name: the worklist sits above.)
            current_app.tasks["worklist.tasks.worklist_rescore_task"].apply()
            self.stdout.write(
                f"Read {kinds['837']} 837, {kinds['277CA']} 277CA and {kinds['835']} 835 files; "
                f"{Remittance.objects.count()} remittances booked."
            )
