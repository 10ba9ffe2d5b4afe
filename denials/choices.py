from django.db import models


class DenialCategory(models.TextChoices):
    ELIGIBILITY = "eligibility", "Eligibility / coverage"
    AUTHORIZATION = "authorization", "Authorization / referral"
    MEDICAL_NECESSITY = "medical_necessity", "Medical necessity"
    CODING = "coding", "Coding / bundling / modifier"
    MISSING_INFORMATION = "missing_information", "Missing information or documentation"
    DUPLICATE = "duplicate", "Duplicate"
    TIMELY_FILING = "timely_filing", "Timely filing"
    COORDINATION_OF_BENEFITS = "coordination_of_benefits", "Coordination of benefits"
    NON_COVERED = "non_covered", "Non-covered / benefit limit"
    PRICING = "pricing", "Pricing / underpayment"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    SOFT = "soft", "Soft (correctable)"
    HARD = "hard", "Hard (appeal or write off)"


class ControlPoint(models.TextChoices):
    REGISTRATION = "registration", "Registration / eligibility"
    PRIOR_AUTHORIZATION = "prior_authorization", "Prior authorization"
    CLINICAL_DOCUMENTATION = "clinical_documentation", "Clinical documentation"
    CODING = "coding", "Coding / charge capture"
    BILLING = "billing", "Billing / follow-up"


class NextAction(models.TextChoices):
    CORRECT_RESUBMIT = "correct_resubmit", "Correct and resubmit"
    APPEAL = "appeal", "Appeal"
    BILL_PATIENT_OR_SECONDARY = "bill_patient_or_secondary", "Bill patient or secondary"
    INVESTIGATE_DUPLICATE = "investigate_duplicate", "Investigate duplicate"
    WRITE_OFF = "write_off", "Write off"


class RemarkEffect(models.TextChoices):
    NONE = "", "None"
    UNPROCESSABLE = "unprocessable", "Unprocessable: correct and resubmit, no appeal rights"
    NOT_APPEALABLE = "not_appealable", "Not appealable"
    INFORMATIONAL = "informational", "Informational"


class DenialLevel(models.TextChoices):
    CLAIM = "claim", "Claim"
    LINE = "line", "Service line"
