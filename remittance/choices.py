from django.db import models


class RemittanceStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSING = "processing", "Processing"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"


class PipelineStep(models.TextChoices):
    """The steps a received file goes through, each retried and recorded on its own."""

    BOOK = "book", "Booking"
    FOLLOW_UP = "follow_up", "Follow-up of earlier items"
    INTAKE = "intake", "Worklist intake"


class PostingExceptionLevel(models.TextChoices):
    CLAIM = "claim", "Claim"
    TRANSACTION = "transaction", "Transaction"


class PostingExceptionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class RemittanceSource(models.TextChoices):
    API = "api", "API"
    UPLOAD = "upload", "Upload"
    COMMAND = "command", "Command"


class ClaimStatus(models.TextChoices):
    """CLP02 claim status codes."""

    PRIMARY = "1", "Processed as primary"
    SECONDARY = "2", "Processed as secondary"
    TERTIARY = "3", "Processed as tertiary"
    DENIED = "4", "Denied"
    PRIMARY_FORWARDED = "19", "Processed as primary, forwarded"
    SECONDARY_FORWARDED = "20", "Processed as secondary, forwarded"
    TERTIARY_FORWARDED = "21", "Processed as tertiary, forwarded"
    REVERSAL = "22", "Reversal of previous payment"
    NOT_OUR_CLAIM = "23", "Not our claim, forwarded"
    PREDETERMINATION = "25", "Predetermination pricing only"


class RemarkSource(models.TextChoices):
    INPATIENT = "MIA", "Inpatient adjudication (MIA)"
    OUTPATIENT = "MOA", "Outpatient adjudication (MOA)"
    LINE = "LQ", "Service line (LQ)"


class PayerType(models.TextChoices):
    MEDICARE = "medicare", "Medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage", "Medicare Advantage"
    MEDICAID = "medicaid", "Medicaid"
    COMMERCIAL = "commercial", "Commercial"
    WORKERS_COMP = "workers_comp", "Workers' compensation"
    OTHER = "other", "Other"


# CLP06 claim filing indicator -> the payer type it implies (first claim of a new payer).
FILING_INDICATOR_PAYER_TYPE = {
    "MA": PayerType.MEDICARE,
    "MB": PayerType.MEDICARE,
    "16": PayerType.MEDICARE_ADVANTAGE,
    "MC": PayerType.MEDICAID,
    "WC": PayerType.WORKERS_COMP,
    **{
        code: PayerType.COMMERCIAL
        for code in ("11", "12", "13", "14", "15", "17", "BL", "CI", "HM")
    },
}
