"""The denial list's claim-side filters (payer type, provider, location, procedure and
revenue code) on the page and the API, on the June data set with its extra claims
(``june_cuts``, tests/analytics/conftest.py): each narrows the list to the denials whose
claim the analytics count in that cut (``analytics.filters.claim_condition``), and a bad
value is refused (400 from the API, a form error on the page), never a 500."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.filters import MetricFilters, claim_condition
from denials.filtersets import DenialFilterSet
from denials.models import Denial

pytestmark = pytest.mark.django_db
API = "/api/v1/denials/"
PAGE = "/denials/"
C10 = {"X10:50", "X10:16"}  # both of its denied lines, whichever line carries the code

# Denials: S2:27, S4:16 (line 99213), X7:197, X8:16, X10:50, X10:16, S11:197.
CASES = [
    ({"payer_type": "medicare"}, {"X7:197", *C10}),
    ({"payer_type": "commercial"}, {"S2:27", "S4:16", "X8:16", "S11:197"}),
    ({"payer_type": "medicaid"}, set()),
    ({"provider": "1111111111"}, {"S4:16"}),  # its submission's NPI
    ({"provider": "2222222222"}, {*C10, "S11:197"}),  # C10's own id (no submission)
    ({"provider": "9999999999"}, set()),  # C11's 835 id: its submission's NPI is read
    ({"location": "11"}, {"S4:16"}),  # facility code
    ({"location": "13"}, {*C10, "S11:197"}),  # C10's facility type, S11's place of service
    ({"location": "21"}, set()),  # C11's 835 facility type: its submission's is read
    ({"procedure_code": "99213"}, {"S4:16"}),
    ({"procedure_code": "97110"}, {*C10, "S11:197"}),  # S11: a submitted line
    ({"procedure_code": "97140"}, C10),
    ({"procedure_code": "97112"}, {"S11:197"}),  # an 835 line of a linked claim
    ({"revenue_code": "0420"}, C10),
    ({"revenue_code": "0450"}, {"S11:197"}),
    ({"revenue_code": "97110"}, set()),
    ({"provider": "2222222222", "procedure_code": "97140"}, C10),
    ({"payer_type": "commercial", "location": "13"}, {"S11:197"}),
]


def label(denial: Denial) -> str:
    return f"{denial.claim.patient_control_number}:{denial.reason_code}"


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
    assert {f"{r['patient_control_number']}:{r['reason_code']}" for r in rows} == expected


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_each_cut_narrows_the_page(june_cuts, manager_web, params, expected):
    response = manager_web.get(PAGE, params)
    assert response.status_code == 200
    assert not response.context["filterset"].form.errors
    rows = response.context["object_list"]
    assert response.context["paginator"].count == len(expected)
    assert {label(d) for d in rows} == expected


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_the_cuts_are_the_analytics_adjudication_side_cuts(june_cuts, params, expected):
    """The list's cut and the analytics' condition on the denial's 835 claim select the
    same denials, whatever the data."""
    listed = DenialFilterSet(params, queryset=Denial.objects.all()).qs
    cut = MetricFilters(date(2025, 1, 1), date(2025, 12, 31), **params)
    counted = Denial.objects.filter(claim_condition(cut, "claim__"))
    assert set(listed.values_list("pk", flat=True)) == set(counted.values_list("pk", flat=True))
    assert {label(d) for d in listed} == expected


BAD = [
    ("payer_type", "nonsense"),
    ("provider", "1" * 81),
    ("location", "1234"),
    ("procedure_code", "9" * 49),
    ("revenue_code", "9" * 49),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_value_is_a_400_from_the_api(june_cuts, manager_client, name, value):
    response = manager_client.get(API, {name: value})
    assert response.status_code == 400
    assert name in response.data


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_value_is_a_form_error_on_the_page(june_cuts, manager_web, name, value):
    response = manager_web.get(PAGE, {name: value})
    assert response.status_code == 200
    assert name in response.context["filterset"].form.errors
    assert 'class="field-error"' in response.content.decode()  # and the page says so


def test_the_page_form_shows_the_cuts_in_words(manager_web):
    html = manager_web.get(PAGE).content.decode()
    for text in (
        "Payer type",
        "Rendering provider (NPI)",
        "Facility code or place of service",
        "Procedure code",
        "Revenue code",
    ):
        assert text in html
    for name in ("payer_type", "provider", "location", "procedure_code", "revenue_code"):
        assert f'name="{name}"' in html
