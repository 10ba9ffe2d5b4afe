"""GET /api/v1/metrics/: its shape, its input checks and who may read it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from analytics.metrics import NAMED
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/metrics/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_a_month_returns_every_named_metric_as_fractions(june, manager_client):
    response = manager_client.get(URL, {"month": "2025-06"})
    assert response.status_code == 200
    metrics = response.json()["metrics"]
    assert set(NAMED) <= set(metrics)
    assert metrics["denial_rate"] == {
        "value": 0.6,
        "numerator": 3.0,
        "denominator": 5.0,
        "formula": metrics["denial_rate"]["formula"],
    }
    assert "first adjudicated" in metrics["denial_rate"]["formula"]
    assert metrics["clean_claim_rate"]["value"] == pytest.approx(2 / 3)
    assert metrics["days_in_ar"]["value"] == pytest.approx(600 / 23.33)


def test_from_and_to_with_filters(june, manager_client):
    response = manager_client.get(
        URL, {"from": "2025-06-01", "to": "2025-06-30", "payer": june.p2.pk, "category": "coding"}
    )
    assert response.status_code == 200
    metrics = response.json()["metrics"]
    assert metrics["denial_rate"]["numerator"] == 0  # P2 has no coding denial in June
    assert metrics["denial_rate"]["denominator"] == 3


def test_a_month_with_no_data_is_null(manager_client):
    metrics = manager_client.get(URL, {"month": "2024-01"}).json()["metrics"]
    assert all(metric["value"] is None for metric in metrics.values())


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2025-13"}, "month"),
        ({"month": "June"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"from": "2025-07-01", "to": "2025-06-01"}, "from"),
        ({"from": "2025-07-01"}, "to"),
        ({"from": "0001-01-01", "to": "2025-06-01"}, "from"),
        ({"to": "9999-12-31", "from": "2025-06-01"}, "to"),
        ({}, "month"),
        ({"month": "2025-06", "from": "2025-06-01"}, "month"),
        ({"month": "2025-06", "payer": "x"}, "payer"),
        ({"month": "2025-06", "payer": str(2**70)}, "payer"),
        ({"month": "2025-06", "category": "nonsense"}, "category"),
        ({"month": "2025-06", "reason_code": "CO\x0016"}, "reason_code"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(manager_client, params, field):
    response = manager_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_billers_item_figures_are_their_teams_only(june, biller):
    metrics = client_for(biller).get(URL, {"month": "2025-06"}).json()["metrics"]
    assert metrics["denial_write_off_rate"]["numerator"] == 0  # the coding team's write-off
    assert metrics["denial_rate"]["value"] == 0.6


def test_an_outsider_sees_no_other_teams_items(june, outsider):
    metrics = client_for(outsider).get(URL, {"month": "2025-06"}).json()["metrics"]
    # The outsider is on the coding team: I4's write-off, none of the default team's.
    assert metrics["denial_write_off_rate"]["numerator"] == 100
    assert metrics["overturn_rate"]["denominator"] == 1


def test_integration_accounts_and_strangers_are_refused(integration):
    assert client_for(integration).get(URL, {"month": "2025-06"}).status_code == 403
    assert APIClient().get(URL, {"month": "2025-06"}).status_code in (401, 403)


def test_a_read_is_audited_with_filter_names_only(june, manager_client):
    manager_client.get(URL, {"month": "2025-06", "provider": "1111111111"})
    event = AuditEvent.objects.filter(channel="api", object_id="list").latest("id")
    assert "filters: month, provider" in event.detail
    assert "1111111111" not in event.detail


def test_the_schema_declares_every_parameter(manager_client):
    schema = manager_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"month", "from", "to", "payer", "team", "procedure_code", "revenue_code"} <= names
    assert "400" in operation["responses"]


def test_the_figures_take_a_fixed_number_of_queries(
    june, manager_client, django_assert_max_num_queries
):
    # One aggregate per group of metrics (first adjudications, submissions, lookback, A/R,
    # charges, appeals, items...), however many rows: never one per claim.
    with django_assert_max_num_queries(20):
        assert manager_client.get(URL, {"month": "2025-06"}).status_code == 200
