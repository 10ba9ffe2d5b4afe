"""Exit non-zero, naming them, if any denial or claim rejection is without an item, any
file is stuck, any pipeline step failed or any open item has nobody to work it."""

import json
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from worklist.integrity import INTAKE_GRACE, integrity_checks


class Command(BaseCommand):
    help = (
        "Check that nothing was lost: every denial and rejection owned, every file booked "
        "or failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-minutes",
            type=float,
            default=INTAKE_GRACE.total_seconds() / 60,
            help="How old a denial or rejection without an item must be to count "
            "(default %(default)s).",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            help="Check again every second for up to this many seconds until all pass.",
        )
        parser.add_argument("--json", action="store_true", help="Print the checks as JSON.")

    def handle(self, *args, grace_minutes, wait, json=False, **options):
        grace = timedelta(minutes=max(grace_minutes, 0))
        deadline = time.monotonic() + max(wait, 0)
        while True:
            checks = integrity_checks(grace=grace)
            failing = [c for c in checks if not c.ok]
            if not failing or time.monotonic() >= deadline:
                break
            time.sleep(1)
        if json:
            self.stdout.write(_as_json(checks))
        else:
            for check in checks:
                mark = "ok  " if check.count == 0 else ("FAIL" if check.blocking else "note")
                self.stdout.write(f"{mark} {check.title}: {check.count}")
                for example in check.examples:
                    self.stdout.write(f"       {example}")
        if failing:
            raise CommandError(
                "integrity check failed: " + "; ".join(f"{c.title} ({c.count})" for c in failing)
            )


def _as_json(checks) -> str:
    return json.dumps(
        [
            {
                "check": c.key,
                "title": c.title,
                "count": c.count,
                "ok": c.ok,
                "blocking": c.blocking,
                "examples": c.examples,
            }
            for c in checks
        ],
        indent=2,
    )
