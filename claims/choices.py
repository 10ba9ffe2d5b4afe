from django.db import models


class ClaimSource(models.TextChoices):
    X837 = "837", "837 file"
    FEED = "feed", "Feed (JSON or CSV)"
    X835 = "835", "835 only (no submission on file)"


class ClaimKind(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    INSTITUTIONAL = "institutional", "Institutional"
    UNKNOWN = "unknown", "Unknown"


class FrequencyCode(models.TextChoices):
    ORIGINAL = "1", "Original"
    REPLACEMENT = "7", "Replacement"
    VOID = "8", "Void"


class SubmittedStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"
    DENIED = "denied", "Denied"
    PARTLY_PAID = "partly_paid", "Partly paid"
    REVERSED = "reversed", "Reversed"
    REPLACED = "replaced", "Replaced"
    VOIDED = "voided", "Voided"
    APPEALED = "appealed", "Appealed"


# Not yet adjudicated by the payer: an 835 for the account prefers these.
AWAITING_STATUSES = (
    SubmittedStatus.SUBMITTED,
    SubmittedStatus.ACCEPTED,
    SubmittedStatus.REJECTED,
)
# Superseded by a later submission: an 835 never changes their status.
SUPERSEDED_STATUSES = (SubmittedStatus.REPLACED, SubmittedStatus.VOIDED)


class RejectionSource(models.TextChoices):
    X277CA = "277CA", "277CA claim acknowledgment"
    X999 = "999", "999 implementation acknowledgment"


class ResolvedBy(models.TextChoices):
    ACCEPTED = "accepted", "Accepted later"
    ADJUDICATED = "adjudicated", "Adjudicated by the payer"
    RESUBMITTED = "resubmitted", "Resubmitted"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    REJECTED = "rejected", "Rejected"
    ACCEPTED = "accepted", "Accepted"
    ADJUDICATED_PAID = "adjudicated_paid", "Adjudicated: paid"
    ADJUDICATED_DENIED = "adjudicated_denied", "Adjudicated: denied"
    ADJUDICATED_PARTIAL = "adjudicated_partial", "Adjudicated: partly paid"
    REVERSED = "reversed", "Reversed"
    CORRECTED = "corrected", "Corrected"
    REPLACED = "replaced", "Replaced"
    VOIDED = "voided", "Voided"
    APPEALED = "appealed", "Appealed"


# 277CA claim status categories that reject a claim (it never entered adjudication).
REJECTED_CATEGORIES = frozenset({"A3", "A4", "A6", "A7", "A8"})
# ...and those that say it was received or accepted into adjudication.
ACCEPTED_CATEGORIES = frozenset({"A0", "A1", "A2", "A5"})


class FileKind(models.TextChoices):
    """The X12 transaction sets a claim file may hold (an 835 goes to remittances)."""

    X837 = "837", "837 claims"
    X277CA = "277CA", "277CA claim acknowledgment"
    X999 = "999", "999 implementation acknowledgment"


class FileStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSING = "processing", "Processing"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"
