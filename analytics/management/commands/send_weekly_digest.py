from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics.digest import send_weekly_digest


class Command(BaseCommand):
    help = "Email managers the weekly digest: payer behaviour alerts, top preventable causes."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Last day of the week (YYYY-MM-DD); default yesterday.")

    def handle(self, *args, **options):
        try:
            end = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        end = end or timezone.localdate() - timedelta(days=1)
        sent = send_weekly_digest(week_end=end)
        self.stdout.write(
            f"Sent {sent} digest{'' if sent == 1 else 's'} for the week ending {end}."
        )
