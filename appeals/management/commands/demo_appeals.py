"""Appeals for the demo: a spread of drafts, sent appeals (some past their expected
decision) and decided ones, on open denial items, through the same services as the pages."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from worklist.models import WorklistItem
from worklist.services import InvalidTransition

from ...models import Appeal
from ...services import AppealRefused, appeal_decide, appeal_start, appeal_submit

ARGUMENT = (
    "The enclosed records show the service was medically necessary and billed as "
    "documented. We ask that the claim be reprocessed and paid."
)


class Command(BaseCommand):
    help = "Start demo appeals (drafts, sent, overdue, decided) on open appealable items."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=40)
        parser.add_argument("--username", default="demo")

    def handle(self, *args, count: int, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}: run demo_setup first.")
        if Appeal.objects.exists():
            self.stdout.write("Appeals already started; leaving them as they are.")
            return
        items = (
            WorklistItem.objects.open()
            .filter(kind="denial", appealable=True, status__in=["new", "assigned"])
            .exclude(category="timely_filing")
            .select_related("payer")
            .order_by("-priority")[: count * 2]
        )
        today, made = timezone.localdate(), 0
        for n, item in enumerate(items):
            if made >= count:
                break
            try:
                self._one(item, user, n, today)
            except (AppealRefused, InvalidTransition):
                continue
            made += 1
        self.stdout.write(f"Started {made} demo appeals.")

    def _one(self, item, user, n: int, today) -> None:
        appeal = appeal_start(item=item, actor=user, argument=ARGUMENT)
        stage = n % 5
        if stage == 0:
            return  # a draft
        sent = max(today - timedelta(days=(10, 75, 40, 30)[stage - 1]), item.received_date)
        appeal = appeal_submit(
            appeal=appeal, actor=user, method="portal", submitted_on=sent, reference=f"DEMO-{n}"
        )
        if stage == 3:
            appeal_decide(appeal=appeal, actor=user, outcome="overturned", decided_on=today)
        elif stage == 4:
            appeal_decide(appeal=appeal, actor=user, outcome="upheld", decided_on=today)
