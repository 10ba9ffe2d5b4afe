"""Reads for appeals: the payer's rules and decision times, what an item's appeal would
cover, and the overturn figures the analytics read."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.utils import timezone

from claims.choices import EventKind as ClaimEventKind
from claims.models import ClaimEvent
from denials.models import Denial, ReasonCode, RemarkCode
from worklist.models import WorklistItem
from worklist.selectors import payer_rules

from . import deadlines
from .choices import OVERTURNED, AppealKind, AppealStatus, Outcome
from .defaults import FALLBACK_DECISION_DAYS
from .models import Appeal, DecisionTime, LetterTemplate


def rules_for(payer) -> list:
    return payer_rules({payer.pk: payer.payer_type}).get(payer.pk, [])


def item_denials(item: WorklistItem) -> list[Denial]:
    return list(
        Denial.objects.filter(item_link__item=item).select_related("service_line").order_by("id")
    )


def reason_codes(denials: list[Denial]) -> list[str]:
    """Every adjustment code ("CO-50") and remark code ("N115") the denials carry, once,
    in the order they first appear."""
    codes: list[str] = []
    for d in denials:
        for code in [*d.adjustment_codes, *d.remark_codes]:
            if code not in codes:
                codes.append(code)
    return codes


def code_descriptions(codes: list[str]) -> dict[str, str]:
    carcs = {c.rpartition("-")[2] for c in codes if "-" in c}
    rarcs = {c for c in codes if "-" not in c}
    found = dict(ReasonCode.objects.filter(code__in=carcs).values_list("code", "description"))
    found.update(RemarkCode.objects.filter(code__in=rarcs).values_list("code", "description"))
    return {c: found.get(c.rpartition("-")[2] if "-" in c else c, "") for c in codes}


def timely_filing_proof(item: WorklistItem):
    """The original claim's acceptance on record (277CA or 999), or None: what proves it
    was filed in time."""
    submitted_id = _submitted_claim_id(item)
    if submitted_id is None:
        return None
    return (
        ClaimEvent.objects.filter(
            Q(submitted_claim_id=submitted_id) | Q(submitted_claim__replacements=submitted_id),
            kind=ClaimEventKind.ACCEPTED,
        )
        .select_related("submitted_claim")
        .order_by("occurred_on", "id")
        .first()
    )


def _submitted_claim_id(item: WorklistItem) -> int | None:
    if item.submitted_claim_id:
        return item.submitted_claim_id
    claim = item.claim
    return getattr(claim, "submitted_claim_id", None) if claim is not None else None


def learned_decision_days(payer_id: int, kind: str, level: str, today=None) -> list[int]:
    """Days from submission to decision of this payer's decided appeals at a level, over
    the learning window."""
    today = today or timezone.localdate()
    since = today - timedelta(days=deadlines.LEARNING_WINDOW_DAYS)
    rows = Appeal.objects.filter(
        payer_id=payer_id,
        kind=kind,
        level=level,
        status=AppealStatus.DECIDED,
        submitted_on__isnull=False,
        decided_on__gte=since,
    ).values_list("submitted_on", "decided_on")
    return [(decided - sent).days for sent, decided in rows if decided >= sent]


def published_decision_days(payer, kind: str, level: str) -> int | None:
    rows = DecisionTime.objects.filter(
        Q(payer=payer) | Q(payer__isnull=True, payer_type=payer.payer_type), kind=kind, level=level
    ).order_by(F("payer_id").asc(nulls_last=True))
    row = rows.first()
    return row.days if row else None


def expected_decision(appeal: Appeal):
    learned = learned_decision_days(appeal.payer_id, appeal.kind, appeal.level)
    published = published_decision_days(appeal.payer, appeal.kind, appeal.level)
    return deadlines.expected_decision(
        appeal.submitted_on, learned, published, FALLBACK_DECISION_DAYS
    )


def template_for(*, category: str, payer, kind: str) -> LetterTemplate | None:
    """The most specific active template: this payer's for the category, then any
    payer's for the category, then this payer's for any category, then the general one."""
    candidates = LetterTemplate.objects.active().filter(
        Q(category=category) | Q(category=""),
        Q(payer=payer) | Q(payer__isnull=True),
        Q(kind=kind) | Q(kind=""),
    )

    def rank(t: LetterTemplate):
        return (t.category != category, t.payer_id is None, t.kind != kind, t.pk)

    return min(candidates, key=rank, default=None)


def overturn_figures(appeals=None, *, by: list[str] | None = None) -> list[dict]:
    """Overturn rate by count and by dollars, recovered dollars and days to decision, for
    decided appeals (kind "appeal" only: corrected claims and reopenings are not
    appeals), grouped by ``by`` (e.g. ["payer", "category", "level"]). Each row:
    decided, overturned, appealed, recovered, mean days to decision, and the two rates."""
    qs = (appeals if appeals is not None else Appeal.objects.all()).filter(
        kind=AppealKind.APPEAL, status=AppealStatus.DECIDED
    )
    days = ExpressionWrapper(F("decided_on") - F("submitted_on"), output_field=DurationField())
    grouped = qs.values(*by) if by else qs.annotate(all=Value(1)).values("all")
    rows = grouped.annotate(
        decided=Count("id"),
        overturned=Count("id", filter=Q(outcome__in=OVERTURNED)),
        upheld=Count("id", filter=Q(outcome=Outcome.UPHELD)),
        appealed=Sum("amount_appealed"),
        recovered=Sum("recovered_amount"),
        total_days=Sum(days),
        timed=Count("id", filter=Q(submitted_on__isnull=False)),
    ).order_by(*(by or []))
    out = []
    for row in rows:
        appealed, recovered = row["appealed"] or Decimal(0), row["recovered"] or Decimal(0)
        row.pop("all", None)
        total = row.pop("total_days")
        timed = row.pop("timed")
        mean_days = _days(total) / timed if timed and total is not None else None
        out.append(
            {
                **row,
                "appealed": appealed,
                "recovered": recovered,
                "overturn_rate": row["overturned"] / row["decided"] if row["decided"] else None,
                "overturn_rate_dollars": float(recovered / appealed) if appealed else None,
                "mean_days_to_decision": mean_days,
            }
        )
    return out


def overturn_by_reason_code(appeals=None) -> list[dict]:
    """``overturn_figures`` per denial reason code ("CO-50", and remark codes): an appeal
    of several codes counts once under each."""
    qs = (appeals if appeals is not None else Appeal.objects.all()).filter(
        kind=AppealKind.APPEAL, status=AppealStatus.DECIDED
    )
    groups: dict[str, dict] = {}
    rows = qs.values_list(
        "reason_codes", "outcome", "amount_appealed", "recovered_amount", "submitted_on",
        "decided_on",
    )  # fmt: skip
    for codes, outcome, appealed, recovered, sent, decided in rows:
        for code in codes or ["—"]:
            g = groups.setdefault(
                code,
                {"reason_code": code, "decided": 0, "overturned": 0, "upheld": 0,
                 "appealed": Decimal(0), "recovered": Decimal(0), "days": []},
            )  # fmt: skip
            g["decided"] += 1
            g["overturned"] += outcome in OVERTURNED
            g["upheld"] += outcome == Outcome.UPHELD
            g["appealed"] += appealed
            g["recovered"] += recovered
            if sent and decided:
                g["days"].append((decided - sent).days)
    out = []
    for code in sorted(groups):
        g = groups[code]
        days = g.pop("days")
        out.append(
            {
                **g,
                "overturn_rate": g["overturned"] / g["decided"],
                "overturn_rate_dollars": float(g["recovered"] / g["appealed"])
                if g["appealed"]
                else None,
                "mean_days_to_decision": sum(days) / len(days) if days else None,
            }
        )
    return out


def _days(value) -> float:
    # PostgreSQL returns an interval (timedelta); SQLite the difference in microseconds.
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000
