"""The cuts every metric can take (docs/metrics.md, "Filters"), as conditions on each kind
of row a metric reads: 835 claims, submitted claims, denials, worklist items, appeals.
A filter that does not apply to a kind of row is left out of its condition on purpose."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from claims.models import SubmittedLine
from denials.models import ReasonCode
from denials.querysets import GROUPED, REMARK, code_condition
from remittance.models import ServiceLine
from worklist.models import ItemDenial


@dataclass(frozen=True)
class MetricFilters:
    """A period (both dates included) and the optional cuts. ``scope_teams`` is access,
    not a cut: ``None`` reads every item; a tuple restricts item-based figures to those
    teams (a biller's)."""

    date_from: date
    date_to: date
    payer: int | None = None
    payer_type: str = ""
    category: str = ""
    reason_code: str = ""
    control_point: str = ""
    provider: str = ""
    location: str = ""
    procedure_code: str = ""
    revenue_code: str = ""
    team: int | None = None
    scope_teams: tuple[int, ...] | None = None

    @classmethod
    def for_month(cls, year: int, month: int, **cuts) -> MetricFilters:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), **cuts)

    @property
    def months(self) -> int:
        """Calendar months from the first date's month to the last's, both included."""
        return (self.date_to.year - self.date_from.year) * 12 + (
            self.date_to.month - self.date_from.month + 1
        )

    @property
    def lookback(self) -> tuple[date, date]:
        """The three calendar months before the period's first month."""
        first = self.date_from.replace(day=1)
        start = first
        for _ in range(3):
            start = (start - timedelta(days=1)).replace(day=1)
        return start, first - timedelta(days=1)

    def moments(self) -> tuple[datetime, datetime]:
        """The period as aware date-times [start, end) in the installation's time zone."""
        return day_start(self.date_from), day_start(self.date_to + timedelta(days=1))


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def claim_condition(f: MetricFilters, prefix: str = "") -> Q:
    """835 claims (``prefix`` reaches one) that fall in the claim-side cuts."""
    p = prefix
    q = Q()
    if f.payer:
        q &= Q(**{f"{p}payer_id": f.payer})
    if f.payer_type:
        q &= Q(**{f"{p}payer__payer_type": f.payer_type})
    unlinked = {f"{p}submitted_claim__isnull": True}
    if f.provider:
        q &= Q(**{f"{p}submitted_claim__rendering_npi": f.provider}) | Q(
            **unlinked, **{f"{p}rendering_provider_id": f.provider}
        )
    if f.location:
        q &= (
            Q(**{f"{p}submitted_claim__facility_code": f.location})
            | Q(**{f"{p}submitted_claim__place_of_service": f.location})
            | Q(**unlinked, **{f"{p}facility_type": f.location})
        )
    for field in ("procedure_code", "revenue_code"):
        if value := getattr(f, field):
            lines = ServiceLine.objects.filter(**{field: value}).values("claim_id")
            submitted = SubmittedLine.objects.filter(**{field: value}).values("claim_id")
            q &= Q(**{f"{p}pk__in": lines}) | Q(**{f"{p}submitted_claim_id__in": submitted})
    return q


def submitted_condition(f: MetricFilters) -> Q:
    """Submitted claims that fall in the claim-side cuts."""
    q = Q()
    if f.payer:
        q &= Q(payer_id=f.payer)
    if f.payer_type:
        q &= Q(payer__payer_type=f.payer_type)
    if f.provider:
        q &= Q(rendering_npi=f.provider)
    if f.location:
        q &= Q(facility_code=f.location) | Q(place_of_service=f.location)
    for field in ("procedure_code", "revenue_code"):
        if value := getattr(f, field):
            q &= Q(pk__in=SubmittedLine.objects.filter(**{field: value}).values("claim_id"))
    return q


def denial_condition(f: MetricFilters) -> Q:
    """Denials that fall in the denial-side cuts (category, reason code, control point,
    team): what the denial rates' numerators count."""
    q = Q()
    if f.category:
        q &= Q(category=f.category)
    if f.reason_code:
        q &= code_condition(f.reason_code)
    if f.control_point:
        catalog = ReasonCode.objects.filter(control_point=f.control_point).values("code")
        q &= Q(item_link__item__control_point=f.control_point) | Q(
            item_link__item__isnull=True, reason_code__in=catalog
        )
    if f.team:
        q &= Q(item_link__item__team_id=f.team)
    return q


def denial_fact_condition(f: MetricFilters) -> Q:
    """``denial_condition`` on the stored denial facts (``analytics.models.DenialFact``)."""
    q = Q()
    if f.category:
        q &= Q(category=f.category)
    if f.reason_code:
        q &= code_condition(f.reason_code)
    if f.control_point:
        q &= Q(control_point=f.control_point)
    if f.team:
        q &= Q(team_id=f.team)
    return q


def item_condition(f: MetricFilters, prefix: str = "") -> Q:
    """Worklist items (``prefix`` reaches one) in every cut, and in the reader's scope."""
    p = prefix
    q = Q()
    for field in ("payer", "team"):
        if value := getattr(f, field):
            q &= Q(**{f"{p}{field}_id": value})
    for field in ("category", "control_point"):
        if value := getattr(f, field):
            q &= Q(**{f"{p}{field}": value})
    if f.payer_type:
        q &= Q(**{f"{p}payer__payer_type": f.payer_type})
    if f.reason_code:
        carrying = ItemDenial.objects.filter(code_condition(f.reason_code, "denial__"))
        q &= Q(**{f"{p}pk__in": carrying.values("item_id")})
    if f.scope_teams is not None:
        q &= Q(**{f"{p}team_id__in": f.scope_teams})
    if f.procedure_code:
        q &= Q(**{f"{p}procedure_code": f.procedure_code}) | claim_condition(
            _only_lines(f, "procedure_code"), f"{p}claim__"
        )
    if f.revenue_code:
        q &= claim_condition(_only_lines(f, "revenue_code"), f"{p}claim__")
    if f.provider or f.location:
        q &= claim_condition(
            MetricFilters(f.date_from, f.date_to, provider=f.provider, location=f.location),
            f"{p}claim__",
        )
    return q


def _only_lines(f: MetricFilters, field: str) -> MetricFilters:
    return MetricFilters(f.date_from, f.date_to, **{field: getattr(f, field)})


def appeal_condition(f: MetricFilters) -> Q:
    """Appeals in every cut: their own payer, type, category, codes and procedure; the
    rest through the worklist item they came from."""
    q = Q()
    if f.payer:
        q &= Q(payer_id=f.payer)
    if f.payer_type:
        q &= Q(payer_type=f.payer_type)
    if f.category:
        q &= Q(category=f.category)
    if f.reason_code:
        q &= _codes_condition(f.reason_code)
    if f.procedure_code:
        q &= Q(procedure_code=f.procedure_code) | claim_condition(
            _only_lines(f, "procedure_code"), "item__claim__"
        )
    rest = MetricFilters(
        f.date_from,
        f.date_to,
        control_point=f.control_point,
        provider=f.provider,
        location=f.location,
        revenue_code=f.revenue_code,
        team=f.team,
        scope_teams=f.scope_teams,
    )
    return q & item_condition(rest, "item__")


def _codes_condition(value: str) -> Q:
    """Appeals whose ``reason_codes`` (["CO-50", "N115"]) carry the code, matched by its
    quoted text as ``denials.querysets.code_condition`` does."""
    code = value.strip().upper()
    if match := GROUPED.match(code):
        return Q(reason_codes__icontains='"{}-{}"'.format(*match.groups()))
    if REMARK.match(code):
        return Q(reason_codes__icontains=f'"{code}"')
    return Q(reason_codes__icontains=f'-{code}"')


def fact_submitted_condition(f: MetricFilters, prefix: str = "") -> Q:
    """``submitted_condition`` on the stored facts (``analytics.models.ClaimFact``; a
    ``prefix`` reaches one): the same cuts on the root submission's columns."""
    from .models import FactCode

    p = prefix
    q = Q()
    if f.payer:
        q &= Q(**{f"{p}payer_id": f.payer})
    if f.payer_type:
        q &= Q(**{f"{p}payer__payer_type": f.payer_type})
    if f.provider:
        q &= Q(**{f"{p}provider": f.provider})
    if f.location:
        q &= Q(**{f"{p}facility_code": f.location}) | Q(**{f"{p}place_of_service": f.location})
    for field, letter in (("procedure_code", "p"), ("revenue_code", "r")):
        if value := getattr(f, field):
            codes = FactCode.objects.filter(side="s", field=letter, code=value)
            q &= Q(**{f"{p}pk__in": codes.values("fact_id")})
    return q


def fact_adjudicated_condition(f: MetricFilters) -> Q:
    """``claim_condition`` on the stored facts: the first adjudication's 835 claim and
    the submission it is linked to."""
    from .models import FactCode

    q = Q()
    if f.payer:
        q &= Q(adjudicated_payer_id=f.payer)
    if f.payer_type:
        q &= Q(adjudicated_payer__payer_type=f.payer_type)
    if f.provider:
        q &= Q(adjudicated_provider=f.provider)
    if f.location:
        q &= Q(adjudicated_location=f.location) | Q(adjudicated_place=f.location)
    for field, letter in (("procedure_code", "p"), ("revenue_code", "r")):
        if value := getattr(f, field):
            codes = FactCode.objects.filter(side="a", field=letter, code=value)
            q &= Q(pk__in=codes.values("fact_id"))
    return q


def daily_sums_apply(f: MetricFilters) -> bool:
    """The cuts leave the daily sums (``SubmissionDay``, ``AdjudicationDay``,
    ``DenialDay``) usable: no provider, location or code cut."""
    return not (f.provider or f.location or f.procedure_code or f.revenue_code)


def payer_cut(f: MetricFilters, field: str) -> Q:
    """The payer and payer-type cuts on a row's payer foreign key ``field``."""
    q = Q(**{f"{field}_id": f.payer}) if f.payer else Q()
    if f.payer_type:
        q &= Q(**{f"{field}__payer_type": f.payer_type})
    return q
