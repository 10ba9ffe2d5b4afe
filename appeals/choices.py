from django.db import models


class AppealKind(models.TextChoices):
    """What is sent to the payer. A corrected claim and a reopening are tracked like an
    appeal (deadline, submission, decision) but are not appeals, and are reported apart."""

    APPEAL = "appeal", "Appeal"
    REOPENING = "reopening", "Reopening (clerical error)"
    CORRECTED_CLAIM = "corrected_claim", "Corrected claim"


class AppealLevel(models.TextChoices):
    FIRST = "first", "First level"
    SECOND = "second", "Second level"
    THIRD = "third", "Third level"
    FOURTH = "fourth", "Fourth level"
    FIFTH = "fifth", "Fifth level"
    EXTERNAL = "external", "External review"


# The chain of levels, in order. Which of them a payer offers is read from its deadline
# rules (a level with no rule for the payer is not on its chain).
LEVEL_ORDER = [
    AppealLevel.FIRST,
    AppealLevel.SECOND,
    AppealLevel.THIRD,
    AppealLevel.FOURTH,
    AppealLevel.FIFTH,
    AppealLevel.EXTERNAL,
]

# Medicare names its levels (42 CFR 405 subpart I); Medicare Advantage has its own first
# two and then joins Medicare's chain.
LEVEL_NAMES = {
    "medicare": {
        AppealLevel.FIRST: "Redetermination (MAC)",
        AppealLevel.SECOND: "Reconsideration (QIC)",
        AppealLevel.THIRD: "ALJ hearing (OMHA)",
        AppealLevel.FOURTH: "Appeals Council review",
        AppealLevel.FIFTH: "Judicial review (federal court)",
    },
    "medicare_advantage": {
        AppealLevel.FIRST: "Plan reconsideration",
        AppealLevel.SECOND: "Independent review entity (IRE)",
        AppealLevel.THIRD: "ALJ hearing (OMHA)",
        AppealLevel.FOURTH: "Appeals Council review",
        AppealLevel.FIFTH: "Judicial review (federal court)",
    },
}


def level_name(level: str, payer_type: str = "") -> str:
    return LEVEL_NAMES.get(payer_type, {}).get(level) or AppealLevel(level).label


class AppealStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready to send"
    SUBMITTED = "submitted", "Submitted"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_APPEAL_STATUSES = [
    AppealStatus.DRAFT,
    AppealStatus.READY,
    AppealStatus.SUBMITTED,
    AppealStatus.AWAITING_DECISION,
]
# Sent and waiting for the payer: what a remittance can decide, and what can be overdue.
PENDING_STATUSES = [AppealStatus.SUBMITTED, AppealStatus.AWAITING_DECISION]

# The state machine: status -> the statuses a person may move it to.
APPEAL_TRANSITIONS: dict[str, set[str]] = {
    AppealStatus.DRAFT: {AppealStatus.READY, AppealStatus.SUBMITTED, AppealStatus.WITHDRAWN},
    AppealStatus.READY: {AppealStatus.DRAFT, AppealStatus.SUBMITTED, AppealStatus.WITHDRAWN},
    AppealStatus.SUBMITTED: {
        AppealStatus.AWAITING_DECISION,
        AppealStatus.DECIDED,
        AppealStatus.WITHDRAWN,
    },
    AppealStatus.AWAITING_DECISION: {AppealStatus.DECIDED, AppealStatus.WITHDRAWN},
    AppealStatus.DECIDED: set(),
    AppealStatus.WITHDRAWN: set(),
}


class SubmissionMethod(models.TextChoices):
    PORTAL = "portal", "Payer portal"
    MAIL = "mail", "Mail"
    FAX = "fax", "Fax"
    ELECTRONIC = "electronic", "Electronic (EDI / attachment)"


class Outcome(models.TextChoices):
    OVERTURNED = "overturned", "Overturned in full"
    PARTIALLY_OVERTURNED = "partially_overturned", "Overturned in part"
    UPHELD = "upheld", "Upheld"


OVERTURNED = (Outcome.OVERTURNED, Outcome.PARTIALLY_OVERTURNED)


class DecisionSource(models.TextChoices):
    REMITTANCE = "remittance", "The payer's remittance"
    USER = "user", "A person"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    STATUS = "status", "Status changed"
    EDITED = "edited", "Edited"
    DECIDED = "decided", "Decided"
    CORRECTED = "corrected", "Outcome corrected"
    EVIDENCE = "evidence", "Evidence"
    LETTER = "letter", "Letter"
    NOTE = "note", "Note"


class EvidenceType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG image"
    JPEG = "image/jpeg", "JPEG image"
    TIFF = "image/tiff", "TIFF image"
