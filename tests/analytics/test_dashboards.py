"""The dashboards on the hand-built June 2025 data set (tests/analytics/conftest.py):
each page for a manager, filters, form errors, exports, access, alerts and the digest."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from analytics.alerts import WeekCount, rate_rise, week_test
from analytics.filters import MetricFilters
from analytics.metrics import Metrics
from analytics.models import ClaimFact, DenialFact, IndustryReference
from analytics.results import add_sums
from analytics.selectors import category_weeks, denial_breakdown, payer_scorecards, root_cause
from audit.models import AuditEvent
from worklist.models import Team

pytestmark = pytest.mark.django_db
JUNE = {"month": "2025-06"}
PAGES = ["overview", "payer", "root_cause", "deadlines", "productivity", "scorecards"]


@pytest.fixture
def manager_web(client, manager):
    client.force_login(manager)
    return client


def url(name: str) -> str:
    return reverse(f"analytics:{name}")


@pytest.mark.parametrize("name", PAGES)
def test_each_dashboard_opens_for_a_manager_and_is_audited(june, manager_web, name):
    params = {**JUNE, "payer": june.p1.pk} if name == "payer" else JUNE
    response = manager_web.get(url(name), params)
    assert response.status_code == 200
    assert b"chart.umd.js" in response.content
    event = AuditEvent.objects.filter(channel="page", object_id="list").latest("id")
    assert "filters: month" in event.detail


def test_overview_tiles_show_value_formula_reference_and_link(june, manager_web):
    html = manager_web.get(url("overview"), JUNE).content.decode()
    assert 'data-testid="tile-denial_rate">60.0 %' in html  # 3 / 5
    assert "claims first adjudicated in the period with a denial" in html
    assert "11.8 %" in html and "Kodiak" in html  # the seeded reference and its source
    assert "/denials/?adjudicated_after=2025-06-01&amp;adjudicated_before=2025-06-30" in html


def test_filter_changes_the_figures(june, manager_web):
    html = manager_web.get(url("overview"), {**JUNE, "payer": june.p2.pk}).content.decode()
    assert 'data-testid="tile-denial_rate">33.3 %' in html
    assert f"payer={june.p2.pk}" in html


def test_revenue_code_cut_from_the_form(june, manager_web):
    html = manager_web.get(url("overview"), {**JUNE, "revenue_code": "0999"}).content.decode()
    assert 'data-testid="tile-denial_rate">no data' in html  # no claim has that code
    assert 'name="revenue_code" value="0999"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2025-13"},
        {**JUNE, "revenue_code": "x" * 49},
        {"month": "2025-06", "from": "2025-06-01"},
        {"from": "2025-06-30", "to": "2025-06-01"},
        {"from": "2025-06-01"},
        {"from": "not-a-date", "to": "2025-06-01"},
        {**JUNE, "payer": "abc"},
        {**JUNE, "category": "nonsense"},
        {**JUNE, "team": "99999999999999999999999"},
    ],
)
def test_bad_filter_input_is_a_form_error_not_a_500(june, manager_web, params):
    response = manager_web.get(url("overview"), params)
    assert response.status_code == 400
    assert b'class="error"' in response.content


def test_no_period_means_the_month_so_far(manager_web):
    assert manager_web.get(url("overview")).status_code == 200


def test_payer_dashboard_lists_reason_codes_and_levels(june, manager_web):
    html = manager_web.get(url("payer"), {**JUNE, "payer": june.p1.pk}).content.decode()
    assert "CO-27" in html and "CO-16" in html
    assert "Appeals by level" in html
    assert "reason_code=CO-27" in html


def test_csv_export_of_a_table(june, manager_web):
    response = manager_web.get(url("root_cause"), {**JUNE, "format": "csv", "table": "root_cause"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    eligibility = next(r for r in rows if r["Category"] == "eligibility")
    assert (eligibility["Control point"], float(eligibility["Denied $"])) == ("registration", 500.0)


def test_excel_export_of_a_table(june, manager_web):
    from openpyxl import load_workbook

    response = manager_web.get(url("overview"), {**JUNE, "format": "xlsx", "table": "headlines"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Metric"
    assert sheet["A2"].value == "Initial denial rate"


def test_scorecard_pdf(june, manager_web):
    response = manager_web.get(url("scorecards"), {**JUNE, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_unknown_export_is_404(june, manager_web):
    assert (
        manager_web.get(url("overview"), {**JUNE, "format": "csv", "table": "x"}).status_code == 404
    )


def test_root_cause_preventable_share_in_dollars(june):
    # Denials on June's first adjudications: D2 eligibility $500 (registration), D4 coding
    # $100 (coding), D7 authorization $250 (its item has no control point).
    data = root_cause(MetricFilters.for_month(2025, 6))
    assert (data["total"], data["preventable"]) == (850, 600)
    assert data["share"] == pytest.approx(600 / 850)


def test_denial_breakdown_by_reason_code(june):
    rows = denial_breakdown(MetricFilters.for_month(2025, 6, payer=june.p1.pk), ["reason"])
    assert {r["reason"]: r["dollars"] for r in rows} == {"CO-27": 500, "CO-16": 100}


def test_scorecard_code_lines_are_the_denial_rate_with_that_code(june):
    cards = payer_scorecards(MetricFilters.for_month(2025, 6))
    assert [c["payer"] for c in cards] and any(c["lines"] for c in cards)
    for card in cards:
        g = card["filters"]
        assert vars(card["total"]["denial_rate"]) == vars(Metrics(g).denial_rate())
        for line in card["lines"]:
            expected = Metrics(replace(g, reason_code=line["reason_code"])).denial_rate()
            assert vars(line["denial_rate"]) == vars(expected), line["reason_code"]
    p1 = next(c for c in cards if c["payer"] == june.p1)
    assert [line["reason_code"] for line in p1["lines"]][:2] == ["CO-27", "CO-16"]
    assert p1["lines"][0]["denial_rate"].numerator == 1


def test_deadline_risk_per_team_in_one_query_equals_each_team_cut(june):
    metrics = Metrics(MetricFilters.for_month(2025, 6))
    by_team = metrics.still_open_by_team()
    assert by_team
    total = metrics.dollars_at_risk(add_sums(*by_team.values()))
    assert {k: vars(m) for k, m in total.items()} == {
        k: vars(m) for k, m in Metrics(MetricFilters.for_month(2025, 6)).dollars_at_risk().items()
    }
    for team in Team.objects.all():
        expected = Metrics(MetricFilters.for_month(2025, 6, team=team.pk)).dollars_at_risk()
        if team.pk in by_team:
            got = metrics.dollars_at_risk(by_team[team.pk])
            assert {k: vars(m) for k, m in got.items()} == {k: vars(m) for k, m in expected.items()}
        else:
            assert all(m.value is None for m in expected.values())


# -- access


def test_biller_gets_403(client, biller):
    client.force_login(biller)
    assert client.get(url("overview")).status_code == 403


def test_integration_account_gets_403(client, integration):
    client.force_login(integration)
    assert client.get(url("overview")).status_code == 403


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get(url("overview")).status_code == 302


def test_manager_edits_a_reference(manager_web):
    ref = IndustryReference.objects.get(metric="clean_claim_rate")
    response = manager_web.post(
        reverse("analytics:reference_edit", args=[ref.pk]),
        {
            "metric": "clean_claim_rate", "label": "Our target", "value": "0.97", "unit": "rate",
            "comparison": "target_at_least", "source": "Board decision", "url": "", "year": 2026,
        },
    )  # fmt: skip
    assert response.status_code == 302
    ref.refresh_from_db()
    assert (ref.label, ref.display) == ("Our target", "97 %")


def test_biller_may_not_edit_references(client, biller):
    client.force_login(biller)
    assert client.get(reverse("analytics:reference_list")).status_code == 403


# -- alert statistics on hand-made counts


def test_a_clear_rise_is_flagged():
    # 30 of 100 this week against 80 of 800 (10 %) before; pooled 110 / 900 = 0.1222:
    # z = 0.2 / sqrt(0.1222 x 0.8778 x (1/100 + 1/800)) = 5.76.
    t = rate_rise(30, 100, 80, 800)
    assert t.flagged and t.reason == "risen"
    assert t.z == pytest.approx(5.757, abs=0.001)
    assert t.p_value < 1e-6


def test_a_small_rise_is_not_significant():
    t = rate_rise(12, 100, 80, 800)
    assert not t.flagged and t.reason == "not significant"
    assert t.p_value == pytest.approx(0.266, abs=0.01)


def test_a_fall_is_never_flagged():
    assert not rate_rise(2, 100, 200, 800).flagged


def test_minimum_volume_on_both_sides():
    assert rate_rise(10, 20, 80, 800).reason == "too few claims"  # 50 % on 20 claims
    assert rate_rise(30, 100, 2, 20).reason == "too few claims"
    assert rate_rise(10, 20, 80, 800, min_claims=10).flagged


def test_no_data():
    assert rate_rise(0, 0, 0, 0).reason == "no data"
    assert week_test([]).reason == "no data"
    assert rate_rise(0, 100, 0, 800).reason == "not significant"  # nothing denied at all


def test_week_test_compares_the_last_week_with_the_ones_before():
    weeks = [WeekCount(10, 100)] * 8 + [WeekCount(30, 100)]
    t = week_test(weeks)
    assert (t.denied, t.claims, t.base_denied, t.base_claims) == (30, 100, 80, 800)


def test_category_weeks_counts_first_adjudications_per_week(june):
    # Week 2025-06-24..30: P2's first adjudications C6 (06-25); P1's none. 06-17..23: P1's
    # C4 (06-20, coding).
    series = {
        (p.key, cat): weeks
        for p, cat, weeks in category_weeks(MetricFilters(date(2025, 6, 30), date(2025, 6, 30)))
    }
    assert series[("P1", "coding")][-2] == WeekCount(1, 1)
    assert series[("P1", "eligibility")][-3] == WeekCount(1, 1)  # C2 on 06-10
    assert series[("P2", "authorization")][-3] == WeekCount(1, 2)  # C7 06-15, C3 06-12


@pytest.mark.parametrize(
    "cut",
    [{}, {"category": "coding"}, {"team": "coding"}, {"provider": "1111111111"}],
    ids=["daily counts", "category", "team: denial facts", "provider: claim facts"],
)
def test_category_weeks_read_from_any_source_agree(june, cut):
    # Daily counts when only payer/category cuts apply, else the denial and claim facts:
    # the same weekly figures either way, summed in the database by week.
    if "team" in cut:
        cut = {"team": Team.objects.get(slug=cut["team"]).pk}
    end = date(2025, 6, 30)
    f = MetricFilters(end, end, **cut)
    got = {(p.pk, cat): weeks for p, cat, weeks in category_weeks(f)}
    start = end - timedelta(days=7 * 9 - 1)
    facts = ClaimFact.objects.filter(adjudicated_on__range=(start, end))
    if "provider" in cut:
        facts = facts.filter(adjudicated_provider=cut["provider"])
    totals = {}
    for payer, day in facts.values_list("adjudicated_payer_id", "adjudicated_on"):
        totals.setdefault(payer, [0] * 9)[(day - start).days // 7] += 1
    denied = {}
    rows = DenialFact.objects.filter(
        fact__in=facts, **({"team": cut["team"]} if "team" in cut else {})
    )
    if "category" in cut:
        rows = rows.filter(category=cut["category"])
    rows = rows.values_list("payer", "category", "adjudicated_on", "fact").distinct()
    for payer, cat, day, _ in rows:
        denied.setdefault((payer, cat), [0] * 9)[(day - start).days // 7] += 1
    expected = {
        key: [WeekCount(d, totals[key[0]][i]) for i, d in enumerate(counts)]
        for key, counts in denied.items()
    }
    assert got == expected
    assert got  # June's book has such denials in those weeks


# -- the weekly digest


def test_weekly_digest_goes_to_managers(june, manager, biller, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    manager.email = "manager@example.org"
    manager.save()
    biller.email = "biller@example.org"
    biller.save()
    call_command("send_weekly_digest", "--date", "2025-06-22")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["manager@example.org"]
    assert "Top preventable causes" in message.body
    assert "- coding / coding: $100 on 1 claim" in message.body  # C4, 06-20


def test_denial_list_filters_the_figures_link_to(june):
    from denials.filtersets import DenialFilterSet
    from denials.models import Denial

    def count(**params):
        return DenialFilterSet(params, queryset=Denial.objects.all()).qs.count()

    june_dates = {"adjudicated_after": "2025-06-01", "adjudicated_before": "2025-06-30"}
    assert count(**june_dates) == 4  # D2, D4, D7, D8 (C3's date is its production date)
    assert count(**june_dates, control_point="registration") == 1
    assert count(adjudicated_before="2025-06-14") == 1  # D2 on 06-10
