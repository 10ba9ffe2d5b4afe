"""Per-claim and per-item facts the metrics aggregate (docs/metrics.md, "Vocabulary"):
each selector returns a queryset, one row per claim identity or item, with the facts
annotated, so the metrics (and later a rollup table) aggregate the same rows. Read only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from claims.choices import ClaimSource, EventKind, FrequencyCode
from claims.models import ClaimEvent, ClaimRejection, SubmittedClaim
from denials.models import Denial
from remittance.choices import ClaimStatus
from remittance.models import Adjustment, Claim
from worklist.choices import ItemKind, Resolution
from worklist.models import Activity, WorklistItem

from .filters import day_start

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal(0), output_field=MONEY)
# CLP02 codes that are not a decision on the claim: a reversal takes an earlier one
# back, predetermination pricing decides nothing.
NOT_ADJUDICATIONS = (ClaimStatus.REVERSAL, ClaimStatus.PREDETERMINATION)
SUBMITTED_SOURCES = (ClaimSource.X837, ClaimSource.FEED)
# Denied money that leaves insurance A/R when its item closes this way.
CLOSED_OFF = (Resolution.WRITTEN_OFF, Resolution.PATIENT_OR_SECONDARY)


def adjudicated_on(prefix: str = ""):
    """An 835 claim's date: the ERA's payment date (BPR16), else its production date."""
    return Coalesce(f"{prefix}era__payment_date", f"{prefix}era__production_date")


def _total(queryset: QuerySet, expression) -> Coalesce:
    """SUM(expression) over ``queryset`` as a scalar subquery (0 when no row)."""
    summed = Func(expression, function="SUM", output_field=MONEY)
    rows = queryset.order_by().annotate(total=summed).values("total")[:1]
    return Coalesce(Subquery(rows, output_field=MONEY), ZERO)


def adjudications() -> QuerySet:
    """Every 835 claim that is a decision on its claim, with its date and identity:
    ``root_id`` is the root submitted claim (empty for an 835 claim with no submission,
    then identified by payer and patient control number)."""
    return Claim.objects.exclude(status_code__in=NOT_ADJUDICATIONS).annotate(
        adjudicated_on=adjudicated_on(),
        root_id=Coalesce("submitted_claim__original_id", "submitted_claim_id"),
    )


def _identity() -> list:
    unlinked = Q(submitted_claim_id__isnull=True)
    return [
        Coalesce("root_id", Value(0)),
        Case(When(unlinked, then=F("payer_id"))),
        Case(When(unlinked, then=F("patient_control_number"))),
    ]


def first_adjudications(*, until: date | None, within: Q | None = None) -> QuerySet:
    """Each claim identity's first adjudication on or before ``until`` (earliest date,
    then first booked; ``None``: ever), with its facts: ``denied`` (any denial on it),
    ``rejected_before`` (a rejection of its root or a replacement on or before its date).
    Narrow it to a period and cuts with ``filter()`` afterwards: cuts never change which
    one is first. ``within`` narrows the 835 claims read; it must keep or drop whole
    identities (the rollups pass their roots or patient control numbers)."""
    candidates = adjudications().filter(within or Q())
    if until is None:
        candidates = candidates.filter(adjudicated_on__isnull=False)
    else:
        candidates = candidates.filter(adjudicated_on__lte=until)
    ranked = (
        candidates.annotate(
            rank=Window(
                RowNumber(),
                partition_by=_identity(),
                order_by=[F("adjudicated_on").asc(), F("id").asc()],
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    before = ClaimRejection.objects.filter(rejected_on__lte=OuterRef("adjudicated_on"))
    # Two semi-joins rather than one with OR: each can use its foreign key's index.
    rejected_before = Q(Exists(before.filter(submitted_claim_id=OuterRef("root_id")))) | Q(
        Exists(before.filter(submitted_claim__original_id=OuterRef("root_id")))
    )
    return (
        adjudications()
        .filter(pk__in=ranked)
        .annotate(
            denied=Exists(Denial.objects.filter(claim_id=OuterRef("pk"))),
            rejected_before=ExpressionWrapper(rejected_before, output_field=BooleanField()),
        )
        .order_by()
    )


def with_matching_denial(queryset: QuerySet, condition: Q) -> QuerySet:
    """``denied_match``: the claim carries a denial meeting ``condition`` (the cuts)."""
    matching = Denial.objects.filter(condition, claim_id=OuterRef("pk"))
    return queryset.annotate(denied_match=Exists(matching))


def submitted_originals() -> QuerySet:
    """Original claims (frequency 1) the provider submitted (837 or feed), with a date."""
    return SubmittedClaim.objects.filter(
        source__in=SUBMITTED_SOURCES,
        frequency_code=FrequencyCode.ORIGINAL,
        submitted_on__isnull=False,
    ).order_by()


def ar_balances(*, as_of: date) -> QuerySet:
    """Each claim identity in insurance A/R at the end of ``as_of`` with its ``balance``
    (docs/metrics.md, "Days in A/R"): submitted on or before it, not voided by then, and
    accepted (not rejected, or accepted or adjudicated since). ``submitted_on`` is its age."""
    end = day_start(as_of + timedelta(days=1))
    family = Q(submitted_claim_id=OuterRef("pk")) | Q(submitted_claim__original_id=OuterRef("pk"))
    claims = Claim.objects.filter(family).annotate(on=adjudicated_on()).filter(on__lte=as_of)
    adjustments = (
        Adjustment.objects.filter(
            Q(claim__submitted_claim_id=OuterRef("pk"))
            | Q(claim__submitted_claim__original_id=OuterRef("pk"))
        )
        .annotate(on=adjudicated_on("claim__"))
        .filter(on__lte=as_of)
    )
    reversed_by_then = Claim.objects.annotate(on=adjudicated_on()).filter(
        reversal_of_id=OuterRef("claim_id"), on__lte=as_of
    )
    pursued = (
        Denial.objects.filter(
            Q(claim__submitted_claim_id=OuterRef("pk"))
            | Q(claim__submitted_claim__original_id=OuterRef("pk"))
        )
        .annotate(on=adjudicated_on("claim__"))
        .filter(on__lte=as_of)
        .exclude(Exists(reversed_by_then))
    )
    closed = WorklistItem.objects.filter(
        Q(claim__submitted_claim_id=OuterRef("pk"))
        | Q(claim__submitted_claim__original_id=OuterRef("pk")),
        kind=ItemKind.DENIAL,
        resolution__in=CLOSED_OFF,
        resolved_at__lt=end,
    )
    latest = (
        SubmittedClaim.objects.filter(Q(pk=OuterRef("pk")) | Q(original_id=OuterRef("pk")))
        .exclude(frequency_code=FrequencyCode.VOID)
        .filter(Q(submitted_on__lte=as_of) | Q(submitted_on__isnull=True))
        .order_by(F("submitted_on").desc(nulls_last=True), "-id")
        .values("charge")[:1]
    )
    voided = SubmittedClaim.objects.filter(
        original_id=OuterRef("pk"), frequency_code=FrequencyCode.VOID, submitted_on__lte=as_of
    )
    rejected = ClaimRejection.objects.filter(family, rejected_on__lte=as_of)
    accepted = ClaimEvent.objects.filter(
        Q(submitted_claim_id=OuterRef("pk")) | Q(submitted_claim__original_id=OuterRef("pk")),
        kind=EventKind.ACCEPTED,
        occurred_on__lte=as_of,
    )
    return (
        submitted_originals()
        .filter(submitted_on__lte=as_of)
        .exclude(Exists(voided))
        .exclude(Q(Exists(rejected)) & ~Q(Exists(accepted)) & ~Q(Exists(claims)))
        .annotate(
            balance=Coalesce(Subquery(latest, output_field=MONEY), F("charge"))
            - _total(claims, F("paid"))
            - _total(adjustments, F("amount"))
            + _total(pursued, F("denied_amount"))
            - _total(closed, F("open_amount") - F("recovered_amount"))
        )
    )


def denial_items() -> QuerySet:
    """Denial worklist items with ``first_action_at``: the first activity a person did."""
    first = (
        Activity.objects.filter(item_id=OuterRef("pk"), actor__isnull=False)
        .order_by("at", "id")
        .values("at")[:1]
    )
    return (
        WorklistItem.objects.filter(kind=ItemKind.DENIAL)
        .annotate(first_action_at=Subquery(first))
        .order_by()
    )
