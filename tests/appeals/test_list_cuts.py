"""The appeals list's payer-type filter on the page and the API (the appeal's own payer
type, as the analytics cut appeals), on the June data set with its extra claims
(``june_cuts``, tests/analytics/conftest.py): four appeals of P1's items (commercial),
one of P2's (medicare)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
API = "/api/v1/appeals/"
PAGE = "/appeals/"


@pytest.fixture
def manager_web(client, manager):
    client.force_login(manager)
    return client


@pytest.mark.parametrize(("value", "expected"), [("medicare", 1), ("commercial", 4), ("", 5)])
def test_payer_type_narrows_the_api_and_the_page(
    june_cuts, manager_client, manager_web, value, expected
):
    response = manager_client.get(API, {"payer_type": value})
    assert response.status_code == 200
    assert response.data["count"] == expected
    page = manager_web.get(PAGE, {"payer_type": value})
    assert page.status_code == 200
    assert page.context["paginator"].count == expected
    if value:
        assert {a.payer_type for a in page.context["object_list"]} == {value}


def test_a_bad_payer_type_is_a_400_and_a_form_error(manager_client, manager_web):
    response = manager_client.get(API, {"payer_type": "nonsense"})
    assert response.status_code == 400
    assert "payer_type" in response.data
    page = manager_web.get(PAGE, {"payer_type": "nonsense"})
    assert page.status_code == 200
    assert "payer_type" in page.context["filterset"].form.errors
    assert "Payer type" in page.content.decode()
