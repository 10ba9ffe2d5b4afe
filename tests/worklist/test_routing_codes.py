"""Routing rules' reason codes: CO-252, 252 and RARCs are accepted as typed (never cut
short), checked against the catalog, and route the denials they name."""

import pytest

from worklist.models import RoutingRule, Team, WorklistItem

from .test_services import claim

pytestmark = pytest.mark.django_db

API = "/api/v1/worklist/routing-rules/"


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("CO-252", "CO-252"), ("co 252", "CO-252"), ("252", "252"), ("n211", "N211")],
)
def test_reason_codes_are_saved_whole_and_tidied(manager_client, typed, saved):
    team = Team.objects.get(slug="coding")
    response = manager_client.post(
        API, {"name": "Attachments", "team": team.pk, "reason_code": typed}, format="json"
    )
    assert response.status_code == 201, response.data
    assert RoutingRule.objects.get(pk=response.data["id"]).reason_code == saved


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("CO-2520", "is not a reason code (CARC) in the catalog"),
        ("ZZ-16", "Unknown adjustment group 'ZZ'"),
        ("N9999", "neither a reason code (CARC) nor a remark code (RARC)"),
    ],
)
def test_unknown_reason_codes_are_refused(manager_client, typed, message):
    team = Team.objects.get(slug="coding")
    response = manager_client.post(
        API, {"name": "Bad", "team": team.pk, "reason_code": typed}, format="json"
    )
    assert response.status_code == 400
    assert message in str(response.data["reason_code"])


def test_the_editor_page_saves_co_252_whole(client, manager):
    team = Team.objects.get(slug="coding")
    client.force_login(manager)
    response = client.post(
        "/worklist/manage/routing-rules/new/",
        {
            "order": 1,
            "name": "Attachments",
            "team": team.pk,
            "active": "on",
            "reason_code": "CO-252",
        },
    )
    assert response.status_code in (200, 302)
    assert RoutingRule.objects.get(name="Attachments").reason_code == "CO-252"


def test_a_co_252_rule_routes_the_denial(book):
    team = Team.objects.get(slug="coding")
    RoutingRule.objects.create(order=1, name="Attachments", team=team, reason_code="CO-252")
    book(claim("A252", ("CO", "252", "400.00"), status="4", charge="400.00"), trace="T1")
    item = WorklistItem.objects.get(patient_control_number="A252")
    assert item.team == team
    assert "Attachments" in item.routing_rule
