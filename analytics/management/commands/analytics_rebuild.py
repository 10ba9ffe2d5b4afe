"""Rebuild the analytics rollups from the raw rows: ``manage.py analytics_rebuild``.

Prints the rows written and the time taken. Dashboards keep reading the old rollups
until the rebuild commits. ``--check YYYY-MM`` then compares every metric of that month
from the rollups with the raw computation and fails on any difference."""

from django.core.management.base import BaseCommand, CommandError

from analytics.filters import MetricFilters
from analytics.metrics import all_metrics
from analytics.raw_metrics import all_metrics_raw
from analytics.services import rollups_counts, rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the analytics rollups (per-claim facts, codes, A/R segments) from raw rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", metavar="YYYY-MM", action="append", default=[],
            help="compare a month's metrics with the raw computation afterwards",
        )  # fmt: skip

    def handle(self, *args, check, **options):
        run = rollups_rebuild()
        counts = rollups_counts()
        self.stdout.write(
            f"rebuilt {run.facts:,} claim facts ({counts['codes']:,} codes, "
            f"{counts['ar_segments']:,} A/R segments) in {run.seconds:.1f} s"
        )
        for month in check:
            try:
                filters = MetricFilters.for_month(*map(int, month.split("-")))
            except ValueError as exc:
                raise CommandError(f"--check takes YYYY-MM, not {month!r}") from exc
            differ = _differences(filters)
            if differ:
                raise CommandError(f"{month}: rollups differ from raw rows: {differ}")
            self.stdout.write(f"{month}: every metric equals the raw computation")


def _differences(filters: MetricFilters) -> list[str]:
    rolled, raw = all_metrics(filters), all_metrics_raw(filters)
    return [name for name in raw if vars(raw[name]) != vars(rolled[name])]
