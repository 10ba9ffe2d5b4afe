from django.db import models


class ItemStatus(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    RESUBMITTED = "resubmitted", "Resubmitted"
    APPEALED = "appealed", "Appealed"
    AWAITING_PAYER = "awaiting_payer", "Awaiting payer"
    RESOLVED = "resolved", "Resolved"


OPEN_STATUSES = [s for s in ItemStatus.values if s != ItemStatus.RESOLVED]

# The order of every queue: follow-ups that came due first, then by priority (all keys
# descending, so a page boundary is one row comparison: keyset pagination).
QUEUE_ORDER = ["-follow_up_due", "-priority", "-id"]

# The state machine: status -> the statuses it may move to. Anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.NEW: {ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.RESOLVED},
    ItemStatus.ASSIGNED: {ItemStatus.NEW, ItemStatus.IN_PROGRESS, ItemStatus.RESOLVED},
    ItemStatus.IN_PROGRESS: {
        ItemStatus.ASSIGNED,
        ItemStatus.RESUBMITTED,
        ItemStatus.APPEALED,
        ItemStatus.RESOLVED,
    },
    ItemStatus.RESUBMITTED: {ItemStatus.AWAITING_PAYER, ItemStatus.RESOLVED},
    ItemStatus.APPEALED: {ItemStatus.AWAITING_PAYER, ItemStatus.RESOLVED},
    ItemStatus.AWAITING_PAYER: {ItemStatus.NEW, ItemStatus.IN_PROGRESS, ItemStatus.RESOLVED},
    ItemStatus.RESOLVED: {ItemStatus.NEW},  # reopened, e.g. by a reversal
}


class ItemKind(models.TextChoices):
    """What an item works: a payer's denial (an 835 adjudication) or a rejection before
    adjudication (277CA or 999), which is never a denial and never counted as one."""

    DENIAL = "denial", "Denial"
    REJECTION = "rejection", "Rejection"


class Resolution(models.TextChoices):
    RECOVERED_FULL = "recovered_full", "Recovered in full"
    RECOVERED_PARTIAL = "recovered_partial", "Recovered in part"
    WRITTEN_OFF = "written_off", "Upheld / written off"
    PATIENT_OR_SECONDARY = "patient_or_secondary", "Moved to patient or secondary"
    # A rejection's item closes when its rejection is resolved (claims app):
    ACCEPTED_ON_RESUBMISSION = "accepted_on_resubmission", "Accepted on resubmission"
    RESUBMITTED = "resubmitted", "Corrected and resubmitted"
    ADJUDICATED = "adjudicated", "Adjudicated by the payer"


# Resolutions only a rejection's item takes (a denial was adjudicated already).
REJECTION_RESOLUTIONS = frozenset(
    {Resolution.ACCEPTED_ON_RESUBMISSION, Resolution.RESUBMITTED, Resolution.ADJUDICATED}
)


class DeadlineState(models.TextChoices):
    OK = "ok", "On time"
    AT_RISK = "at_risk", "At risk"
    MISSED = "missed", "Missed"
    NONE = "none", "No deadline"


class RuleKind(models.TextChoices):
    APPEAL_1 = "appeal_1", "Appeal level 1 (e.g. redetermination)"
    APPEAL_2 = "appeal_2", "Appeal level 2 (e.g. reconsideration)"
    APPEAL_3 = "appeal_3", "Appeal level 3 (e.g. ALJ hearing)"
    APPEAL_4 = "appeal_4", "Appeal level 4 (e.g. Appeals Council)"
    APPEAL_5 = "appeal_5", "Appeal level 5 (e.g. federal court)"
    EXTERNAL_REVIEW = "external_review", "External review (after the last internal level)"
    TIMELY_FILING = "timely_filing", "Corrected claim timely filing"
    FOLLOW_UP = "follow_up", "Follow-up interval while awaiting the payer"


class RuleBasis(models.TextChoices):
    REMITTANCE_RECEIPT = "receipt", "Receipt of the remittance"
    SERVICE_DATE = "service", "Date of service"
    PREVIOUS_DECISION = "decision", "Previous level's decision"


class ActivityKind(models.TextChoices):
    CREATED = "created", "Created"
    ROUTED = "routed", "Routed"
    STATUS = "status", "Status changed"
    ASSIGNED = "assigned", "Assigned"
    NOTE = "note", "Note"
    PAYER = "payer", "Payer response"
    DEADLINE = "deadline", "Deadline"
