"""The submitted-claims list's cuts (payer type, provider, location, procedure and
revenue code) on the page and the API, on the June data set with its extra claims
(``june_cuts``, tests/analytics/conftest.py): each narrows the list to the submissions
the analytics count in that cut (``analytics.filters.submitted_condition``), and a bad
value is refused (400 from the API, a form error on the page), never a 500."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.filters import MetricFilters, submitted_condition
from claims.filtersets import SubmittedClaimFilterSet
from claims.models import SubmittedClaim

pytestmark = pytest.mark.django_db
API = "/api/v1/submitted-claims/"
PAGE = "/claims/"

CASES = [
    ({"payer_type": "medicare"}, {"S3", "S6"}),
    ({"payer_type": "medicaid"}, set()),
    ({"provider": "1111111111"}, {"S4"}),
    ({"provider": "2222222222"}, {"S11"}),
    ({"provider": "9999999999"}, set()),  # only on an 835 claim
    ({"location": "11"}, {"S4"}),  # facility code
    ({"location": "13"}, {"S11"}),  # place of service
    ({"procedure_code": "97110"}, {"S11"}),
    ({"procedure_code": "99213"}, set()),  # only on an 835 line
    ({"revenue_code": "0450"}, {"S11"}),
    ({"revenue_code": "0420"}, set()),
    ({"payer_type": "commercial", "provider": "2222222222", "frequency_code": "1"}, {"S11"}),
]


@pytest.fixture
def manager_web(client, manager):
    client.force_login(manager)
    return client


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_each_cut_narrows_the_api_list(june_cuts, manager_client, params, expected):
    response = manager_client.get(API, params)
    assert response.status_code == 200
    rows = response.data["results"]
    assert response.data["count"] == len(rows) == len(expected)
    assert {r["patient_control_number"] for r in rows} == expected


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_each_cut_narrows_the_page(june_cuts, manager_web, params, expected):
    response = manager_web.get(PAGE, params)
    assert response.status_code == 200
    assert not response.context["filterset"].form.errors
    assert response.context["paginator"].count == len(expected)
    assert {c.patient_control_number for c in response.context["object_list"]} == expected


@pytest.mark.parametrize(("params", "expected"), CASES[:-1])
def test_the_cuts_are_the_analytics_submission_side_cuts(june_cuts, params, expected):
    listed = SubmittedClaimFilterSet(params, queryset=SubmittedClaim.objects.all()).qs
    cut = MetricFilters(date(2025, 1, 1), date(2025, 12, 31), **params)
    counted = SubmittedClaim.objects.filter(submitted_condition(cut))
    assert set(listed.values_list("pk", flat=True)) == set(counted.values_list("pk", flat=True))
    assert {c.patient_control_number for c in listed} == expected


BAD = [
    ("payer_type", "nonsense"),
    ("provider", "1" * 11),
    ("location", "1234"),
    ("procedure_code", "9" * 49),
    ("revenue_code", "9" * 49),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_value_is_a_400_from_the_api(manager_client, name, value):
    response = manager_client.get(API, {name: value})
    assert response.status_code == 400
    assert name in response.data


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_value_is_a_form_error_on_the_page(manager_web, name, value):
    response = manager_web.get(PAGE, {name: value})
    assert response.status_code == 200
    assert name in response.context["filterset"].form.errors


def test_the_page_form_shows_the_cuts_in_words(manager_web):
    html = manager_web.get(PAGE).content.decode()
    for text in ("Payer type", "Rendering provider (NPI)", "Facility code or place of service"):
        assert text in html
    for name in ("payer_type", "provider", "location", "procedure_code", "revenue_code"):
        assert f'name="{name}"' in html
