"""Every figure links to the rows behind it, in every cut: a dashboard figure cut by payer
type, provider, location or procedure / revenue code links to a denial, submitted-claim
or appeal list holding exactly the rows the figure counts (its dollars and claims, its
numerator or denominator), on the page and on the API with the same query.

Data: ``june_cuts`` (tests/analytics/conftest.py). The cuts below each leave out X8's
denial (C8b, not its claim's first adjudication), which the denial list holds and the
figures do not (docs/metrics.md, "Links"); with them the list is exactly the figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from analytics.filters import MetricFilters
from analytics.selectors import denial_breakdown
from analytics.tables import appeals_url, claims_url, denials_url

pytestmark = pytest.mark.django_db
JUNE = {"month": "2025-06"}
D = Decimal

# A cut, and the denied dollars the figures hold in it (by hand, from the data set).
CUTS = [
    ({"provider": "1111111111"}, D(100)),  # S4:16
    ({"provider": "2222222222"}, D(270)),  # X10:50, X10:16, S11:197
    ({"location": "11"}, D(100)),
    ({"location": "13"}, D(270)),
    ({"procedure_code": "99213"}, D(100)),
    ({"procedure_code": "97110"}, D(270)),  # C10's line, S11's submitted line
    ({"procedure_code": "97112"}, D(150)),  # C11's 835 line
    ({"payer_type": "medicare"}, D(370)),  # X7:197, X10:50, X10:16
]


@pytest.fixture
def manager_web(client, manager):
    client.force_login(manager)
    return client


def listed(client, url: str) -> list:
    """The denials a link lists on the page, checked against the API's answer to the
    same query."""
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["filterset"].form.errors
    assert page.context["paginator"].count < 50  # all on one page
    rows = list(page.context["object_list"])
    api = client.get("/api/v1/denials/?" + urlsplit(url).query)
    assert api.status_code == 200
    assert {r["id"] for r in api.data["results"]} == {d.pk for d in rows}
    return rows


def assert_lists_the_figure(client, dollars_cell, claims_cell) -> None:
    assert dollars_cell.url == claims_cell.url
    rows = listed(client, dollars_cell.url)
    assert sum((d.denied_amount for d in rows), D(0)) == dollars_cell.value
    assert len({d.claim_id for d in rows}) == claims_cell.value


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize(("cut", "total"), CUTS)
def test_root_cause_figures_link_to_the_denials_they_count(june_cuts, manager_web, cut, total):
    response = manager_web.get(reverse("analytics:root_cause"), {**JUNE, **cut})
    assert response.status_code == 200
    assert response.context["total"] == total
    tables = {t.key: t for t in response.context["tables"]}
    checked = 0
    for row in tables["root_cause"].rows:
        assert query(row[3].url).items() >= cut.items()
        if "" not in (row[1].value, row[2].value):  # see test_a_row_of_none_links_wider
            assert_lists_the_figure(manager_web, row[3], row[4])
            checked += 1
    for row in tables["control_points"].rows:
        if row[0].value:
            assert_lists_the_figure(manager_web, row[1], row[2])
            checked += 1
    assert checked >= 2
    assert sum(r[1].value for r in tables["control_points"].rows) == total


def test_a_row_of_none_links_wider(june_cuts, manager_web):
    """A row whose control point (or provider) is none links without that cut: the lists
    take no "none" value. X7's denial (its item has no control point) is the only one
    with none among P2's (medicare); the link lists all of P2's denials."""
    response = manager_web.get(reverse("analytics:root_cause"), {**JUNE, "payer_type": "medicare"})
    (none,) = [r for r in response.context["tables"][1].rows if not r[0].value]
    assert (none[1].value, none[2].value) == (D(250), 1)
    assert "control_point" not in query(none[1].url)
    assert len(listed(manager_web, none[1].url)) == 3


def test_a_root_cause_row_links_with_its_own_provider(june_cuts, manager_web):
    """Rows are per provider: without a provider cut, a row's link still names its own."""
    response = manager_web.get(reverse("analytics:root_cause"), JUNE)
    rows = {(r[0].value, r[1].value, r[2].value): r for r in response.context["tables"][0].rows}
    row = rows[("coding", "billing", "2222222222")]  # X10:16, not X8:16 (same cuts)
    assert query(row[3].url)["provider"] == "2222222222"
    assert_lists_the_figure(manager_web, row[3], row[4])
    assert "provider" not in query(rows[("authorization", "", "")][3].url)


@pytest.mark.parametrize(
    ("payer", "cut"),
    [
        ("p2", {"provider": "2222222222"}),
        ("p1", {"location": "13"}),
        ("p1", {"procedure_code": "99213"}),
        ("p2", {"payer_type": "medicare"}),
    ],
)
def test_payer_page_figures_link_to_the_denials_they_count(june_cuts, manager_web, payer, cut):
    params = {**JUNE, "payer": getattr(june_cuts, payer).pk, **cut}
    response = manager_web.get(reverse("analytics:payer"), params)
    assert response.status_code == 200
    tables = {t.key: t for t in response.context["tables"]}
    assert tables["reason"].rows and tables["category"].rows
    for key in ("reason", "category"):
        for row in tables[key].rows:
            assert_lists_the_figure(manager_web, row[1], row[2])
            assert query(row[1].url).items() >= cut.items()


@pytest.mark.parametrize("cut", [{"provider": "2222222222"}, {"procedure_code": "97110"}])
def test_scorecard_denial_rates_link_to_the_claims_they_count(june_cuts, manager_web, cut):
    response = manager_web.get(reverse("analytics:scorecards"), {**JUNE, **cut})
    assert response.status_code == 200
    metrics = [
        m
        for card in response.context["cards"]
        for m in (card["total"]["denial_rate"], *(ln["denial_rate"] for ln in card["lines"]))
    ]
    rows = response.context["tables"][0].rows
    assert len(rows) == len(metrics) >= 2  # a card per payer (C10: P2, C11: P1)
    for row, metric in zip(rows, metrics, strict=True):
        denials = listed(manager_web, row[2].url)
        assert len({d.claim_id for d in denials}) == metric.numerator


@pytest.mark.parametrize(
    "cut",
    [
        {"provider": "2222222222"},
        {"location": "13"},
        {"procedure_code": "97110"},
        {"payer_type": "medicare"},
    ],
)
def test_overview_tiles_link_to_the_rows_they_count(june_cuts, manager_web, cut):
    response = manager_web.get(reverse("analytics:overview"), {**JUNE, **cut})
    tiles = {t.name: t for t in response.context["tiles"]}
    for name in ("denial_rate", "initial_denial_rate"):
        tile = tiles[name]
        denials = listed(manager_web, tile.url)
        assert len({d.claim_id for d in denials}) == tile.metric.numerator > 0
    clean = tiles["clean_claim_rate"]
    page = manager_web.get(clean.url)
    assert not page.context["filterset"].form.errors
    assert page.context["paginator"].count == clean.metric.denominator
    api = manager_web.get("/api/v1/submitted-claims/?" + urlsplit(clean.url).query)
    assert api.data["count"] == clean.metric.denominator


@pytest.mark.parametrize("payer_type", ["medicare", "commercial"])
def test_overturn_tiles_link_to_the_appeals_they_count(june_cuts, manager_web, payer_type):
    response = manager_web.get(reverse("analytics:overview"), {**JUNE, "payer_type": payer_type})
    tile = {t.name: t for t in response.context["tiles"]}["overturn_rate"]
    assert query(tile.url)["payer_type"] == payer_type
    page = manager_web.get(tile.url)
    assert not page.context["filterset"].form.errors
    assert page.context["paginator"].count == tile.metric.denominator > 0
    api = manager_web.get("/api/v1/appeals/?" + urlsplit(tile.url).query)
    assert api.data["count"] == tile.metric.denominator


@pytest.mark.parametrize(("code", "total"), [("0420", D(120)), ("0450", D(150))])
def test_a_revenue_code_cut_reaches_the_denial_list(june_cuts, manager_web, code, total):
    """The dashboards' form has no revenue code; the link builders pass it all the same."""
    f = MetricFilters.for_month(2025, 6, revenue_code=code)
    rows = denial_breakdown(f, ["category"])
    assert sum(r["dollars"] for r in rows) == total
    for row in rows:
        denials = listed(manager_web, denials_url(f, category=row["category"]))
        assert sum(d.denied_amount for d in denials) == row["dollars"]
        assert len({d.claim_id for d in denials}) == row["claims"]


def test_the_links_name_every_cut_their_list_takes():
    f = MetricFilters(
        date(2025, 6, 1),
        date(2025, 6, 30),
        payer=7,
        payer_type="medicare",
        category="coding",
        reason_code="CO-16",
        control_point="billing",
        provider="2222222222",
        location="13",
        procedure_code="97110",
        revenue_code="0420",
        team=3,
    )
    claim_side = {
        "payer": "7",
        "payer_type": "medicare",
        "provider": "2222222222",
        "location": "13",
        "procedure_code": "97110",
        "revenue_code": "0420",
    }
    denial_side = {"category": "coding", "reason_code": "CO-16", "control_point": "billing"}
    assert query(denials_url(f)) == {
        "adjudicated_after": "2025-06-01",
        "adjudicated_before": "2025-06-30",
        **claim_side,
        **denial_side,
        "team": "3",
    }
    assert query(claims_url(f)) == {
        "submitted_after": "2025-06-01",
        "submitted_before": "2025-06-30",
        **claim_side,
        "frequency_code": "1",
    }
    assert query(appeals_url(f)) == {
        "kind": "appeal",
        "status": "decided",
        "decided_after": "2025-06-01",
        "decided_before": "2025-06-30",
        "payer": "7",
        "payer_type": "medicare",
        "team": "3",
    }
