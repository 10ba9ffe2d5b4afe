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


@pytest.mark.parametrize(
    ("query", "accounts"),
    [
        ("CO-252", {"F1"}),
        ("co 252", {"F1"}),
        ("252", {"F1", "F2"}),
        ("OA-252", {"F2"}),
        ("N211", {"F3"}),
        ("16", {"F3"}),
        ("CO-25", set()),
    ],
)
def test_the_reason_code_filter_searches_group_and_code_and_remarks(
    book, manager_client, query, accounts
):

    first = claim("F1", ("CO", "252", "400.00"), status="4", charge="400.00")
    second = claim("F2", ("OA", "252", "300.00"), status="4", charge="300.00")
    third = claim("F3", ("CO", "16", "200.00"), status="4", charge="200.00")
    third.remark_codes, third.remark_source = ["N211"], "MOA"
    book(first, second, third, trace="T1")
    rows = manager_client.get("/api/v1/worklist/items/", {"reason_code": query}).data["results"]
    assert {r["patient_control_number"] for r in rows} == accounts
    denials = manager_client.get("/api/v1/denials/", {"reason_code": query}).data["results"]
    assert len(denials) == len(accounts)


def test_a_new_rule_offers_to_reroute_the_open_items_it_now_matches(book, client, manager):
    book(
        claim("R1", ("CO", "252", "400.00"), status="4", charge="400.00"),
        claim("R2", ("CO", "252", "300.00"), status="4", charge="300.00"),
        claim("R3", ("CO", "16", "200.00"), status="4", charge="200.00"),
        trace="T1",
    )
    coding = Team.objects.get(slug="coding")
    before = dict(WorklistItem.objects.values_list("patient_control_number", "team__slug"))
    assert before["R1"] != "coding"
    client.force_login(manager)
    response = client.post(
        "/worklist/manage/routing-rules/new/",
        {
            "order": 1,
            "name": "Attachments",
            "team": coding.pk,
            "active": "on",
            "reason_code": "CO-252",
        },
    )
    rule = RoutingRule.objects.get(name="Attachments")
    assert response["Location"] == f"/worklist/manage/routing-rules/{rule.pk}/reroute/"
    page = client.get(response["Location"]).content.decode()
    assert "2 open items" in page
    assert WorklistItem.objects.filter(team=coding).count() == 0  # nothing moved yet
    client.post(f"/worklist/manage/routing-rules/{rule.pk}/reroute/")
    after = dict(WorklistItem.objects.values_list("patient_control_number", "team__slug"))
    assert (after["R1"], after["R2"], after["R3"]) == ("coding", "coding", before["R3"])
    note = WorklistItem.objects.get(patient_control_number="R1").activities.last().note
    assert "moved to team Coding" in note


def test_the_api_counts_first_and_moves_on_confirmation(book, manager_client, client, user):
    book(claim("A1", ("CO", "252", "400.00"), status="4", charge="400.00"), trace="T1")
    coding = Team.objects.get(slug="coding")
    rule = RoutingRule.objects.create(order=1, name="Attachments", team=coding, reason_code="252")
    url = f"{API}{rule.pk}/reroute/"
    assert manager_client.post(url, {}, format="json").data == {"matching": 1, "moved": 0}
    assert WorklistItem.objects.get().team != coding
    client.force_login(user)
    assert client.post(url, {"confirm": True}, content_type="application/json").status_code == 403
    assert manager_client.post(url, {"confirm": True}, format="json").data == {
        "matching": 1,
        "moved": 1,
    }
    assert WorklistItem.objects.get().team == coding
    assert manager_client.post(url, {}, format="json").data == {"matching": 0, "moved": 0}
