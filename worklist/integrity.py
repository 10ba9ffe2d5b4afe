"""Integrity checks: what would mean something was lost. Reads only.

``check_integrity`` (the command) and the managers' system-health panel run the same
checks. A check that finds rows fails; ``flagged`` checks only inform (the rows are owned
and in a queue, but a person should look)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims.models import ClaimRejection
from claims.selectors import stuck_claim_files
from denials.models import Denial
from remittance import pipeline
from remittance.models import StepFailure

from .choices import OPEN_STATUSES
from .models import ItemRejection, WorklistItem

# Intake normally follows booking within seconds; give it this long before a denial
# without an item counts as lost (the sweep queues its intake again after it too).
INTAKE_GRACE = timedelta(minutes=5)


@dataclass
class Check:
    key: str
    title: str
    count: int
    examples: list[str] = field(default_factory=list)
    hint: str = ""
    blocking: bool = True  # False: informs, does not fail the check

    @property
    def ok(self) -> bool:
        return self.count == 0 or not self.blocking


def denials_awaiting_intake(*, grace: timedelta = INTAKE_GRACE, limit: int = 1000) -> list[int]:
    """Denials booked more than ``grace`` ago that intake has not decided on (no item
    and no recorded decision to open none)."""
    cutoff = timezone.now() - grace
    return list(
        Denial.objects.filter(item_link__isnull=True, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def _orphan_rejections(cutoff):
    return ClaimRejection.objects.open().filter(item_link__isnull=True, created_at__lt=cutoff)


def rejections_awaiting_intake(*, grace: timedelta = INTAKE_GRACE, limit: int = 1000) -> list[int]:
    """Open claim rejections recorded more than ``grace`` ago that have no item yet (a
    rejection resolved before intake needs none)."""
    cutoff = timezone.now() - grace
    return list(_orphan_rejections(cutoff).order_by("id").values_list("id", flat=True)[:limit])


def _unclosed_links(cutoff):
    still_open = ItemRejection.objects.filter(
        item=OuterRef("item"), rejection__resolved_at__isnull=True
    )
    return ItemRejection.objects.filter(
        item__status__in=OPEN_STATUSES, rejection__resolved_at__lt=cutoff
    ).exclude(Exists(still_open))


def rejections_resolved_on_open_items(
    *, grace: timedelta = INTAKE_GRACE, limit: int = 1000
) -> list[int]:
    """Rejections resolved more than ``grace`` ago whose item is still open with no open
    rejection left: the item's close was lost (the sweep closes it)."""
    cutoff = timezone.now() - grace
    rows = _unclosed_links(cutoff).order_by("rejection_id").values_list("rejection_id", flat=True)
    return list(rows[:limit])


def integrity_checks(*, grace: timedelta = INTAKE_GRACE) -> list[Check]:
    cutoff = timezone.now() - grace
    orphans = Denial.objects.filter(item_link__isnull=True, created_at__lt=cutoff)
    lost_rejections = _orphan_rejections(cutoff)
    unclosed = _unclosed_links(cutoff).values("item_id").distinct()
    stuck = [f"remittance {i}" for i in pipeline.stuck_remittances()]
    stuck += [f"claim file {i}" for i in stuck_claim_files()]
    unfollowed = pipeline.remittances_to_follow_up()
    failures = StepFailure.objects.filter(cleared_at__isnull=True).select_related("remittance")
    teamless = WorklistItem.objects.open().filter(team__isnull=True)
    unstaffed = WorklistItem.objects.open().filter(team__members__isnull=True)
    flagged = WorklistItem.objects.open().exclude(problem="")
    return [
        Check(
            "denials_without_items",
            "Denials without a worklist item",
            orphans.count(),
            [f"denial {i}" for i in orphans.order_by("id").values_list("id", flat=True)[:10]],
            "The sweep queues their intake again every few minutes.",
        ),
        Check(
            "rejections_without_items",
            "Rejections without a worklist item",
            lost_rejections.count(),
            [
                f"rejection {i}"
                for i in lost_rejections.order_by("id").values_list("id", flat=True)[:10]
            ],
            "The sweep queues their intake again every few minutes.",
        ),
        Check(
            "rejection_items_not_closed",
            "Open rejection items whose rejections are all resolved",
            unclosed.count(),
            [f"item {row['item_id']}" for row in unclosed.order_by("item_id")[:10]],
            "The sweep closes them every few minutes.",
        ),
        Check(
            "stuck_files",
            "Files stuck in received or processing",
            len(stuck),
            stuck[:10],
            "Nobody is booking or reading them; the sweep queues them again.",
        ),
        Check(
            "follow_up_pending",
            "Booked files whose follow-up of earlier items never completed",
            len(unfollowed),
            [f"remittance {i}" for i in unfollowed[:10]],
            "The sweep runs their follow-up again.",
        ),
        Check(
            "step_failures",
            "Pipeline steps that failed",
            failures.count(),
            [
                f"remittance {f.remittance_id}, {f.get_step_display().lower()}: {f.message[:120]}"
                for f in failures[:10]
            ],
            "Cleared when the step next succeeds.",
        ),
        Check(
            "items_without_team",
            "Open items without a team",
            teamless.count(),
            [f"item {i}" for i in teamless.values_list("id", flat=True)[:10]],
            "Every item needs a team: route it (bulk change of team).",
        ),
        Check(
            "items_without_team_members",
            "Open items in a team with no members (nobody can work them yet)",
            unstaffed.count(),
            [f"item {i}" for i in unstaffed.order_by("id").values_list("id", flat=True)[:10]],
            "Add members to the team, or route its items elsewhere.",
            blocking=False,
        ),
        Check(
            "items_flagged",
            "Open items a rule could not be applied to (no deadline)",
            flagged.count(),
            [f"item {i.pk}: {i.problem[:120]}" for i in flagged.order_by("id")[:10]],
            "Fix the payer or routing rule; items are rescored when it changes.",
            blocking=False,
        ),
    ]
