"""Every read of patient data is audited once: a list read is one row per request (not
per item), with counts and filter names but no values; a detail read one row per object.
Changes to teams (membership) and rules write their rows from the API and the pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from worklist.models import RoutingRule, WorklistItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def biller_page(client, people):
    client.force_login(people["biller"])
    return client


def more_items(item, n):
    for i in range(n):
        WorklistItem.objects.create(
            claim_id=item.claim_id,
            payer_id=item.payer_id,
            patient_control_number=item.patient_control_number,
            team=item.team,
            category="coding",
            routing_rule="test",
            open_amount=Decimal(100),
            priority=Decimal(i),
        )


def views(**filters):
    return AuditEvent.objects.filter(action="view", **filters)


@pytest.mark.parametrize(
    ("url", "object_type"),
    [
        ("/worklist/team/ar-follow-up/", "worklist.worklistitem"),
        ("/denials/", "denials.denial"),
        ("/remittances/", "remittance.remittance"),
        ("/remittances/exceptions/", "remittance.postingexception"),
    ],
)
def test_a_list_page_writes_one_row_per_request(biller_page, item, url, object_type):
    more_items(item, 5)
    assert biller_page.get(url + "?category=coding").status_code == 200
    [event] = views(object_type=object_type)
    assert event.object_id == "list" and event.channel == "page"
    assert event.detail.startswith("list: ")
    assert "filters: category" in event.detail


def test_my_queue_writes_one_row_with_the_row_count(biller_page, people, item):
    more_items(item, 3)
    WorklistItem.objects.update(assignee=people["biller"], status="assigned")
    biller_page.get("/worklist/")
    [event] = views(object_type="worklist.worklistitem", object_id="list")
    assert event.detail == "list: 4 rows"


@pytest.mark.parametrize(
    ("url", "object_type"),
    [
        ("/api/v1/worklist/items/", "worklist.worklistitem"),
        ("/api/v1/denials/", "denials.denial"),
        ("/api/v1/claims/", "remittance.claim"),
        ("/api/v1/remittances/", "remittance.remittance"),
        ("/api/v1/posting-exceptions/", "remittance.postingexception"),
    ],
)
def test_an_api_list_writes_one_row_per_request(as_, item, url, object_type):
    more_items(item, 5)
    assert as_("biller").get(url).status_code == 200
    [event] = views(object_type=object_type)
    assert (event.object_id, event.channel) == ("list", "api")


def test_a_search_value_never_reaches_the_audit_trail(as_, item):
    as_("biller").get(f"/api/v1/claims/?patient_control_number={item.patient_control_number}")
    [event] = views(object_type="remittance.claim")
    assert item.patient_control_number not in event.detail
    assert event.detail == "list: 1 row; filters: patient_control_number"


@pytest.mark.parametrize("url", ["/api/v1/posting-exceptions/", "/remittances/exceptions/"])
def test_a_filter_name_with_a_nul_is_audited_without_it(as_, client, people, item, url):
    if url.startswith("/api/"):
        response = as_("manager").get(f"{url}?%00x%C3%A9=true")
    else:
        client.force_login(people["manager"])
        response = client.get(f"{url}?%00x%C3%A9=true")
    assert response.status_code == 200
    [event] = views(object_type="remittance.postingexception")
    assert event.detail.endswith("; filters: xé")


@pytest.mark.parametrize(
    ("url", "object_type"),
    [
        ("/api/v1/worklist/items/{item}/", "worklist.worklistitem"),
        ("/api/v1/denials/{denial}/", "denials.denial"),
        ("/api/v1/claims/{claim}/", "remittance.claim"),
    ],
)
def test_an_api_detail_read_writes_one_row_for_the_object(as_, item, url, object_type):
    denial = item.links.first().denial_id
    pk = {"item": item.pk, "denial": denial, "claim": item.claim_id}
    response = as_("biller").get(url.format(**pk))
    assert response.status_code == 200
    [event] = views(object_type=object_type)
    assert event.object_id == str(response.data["id"])


def test_the_outsider_404_writes_no_detail_row(as_, item):
    assert as_("outsider").get(f"/api/v1/worklist/items/{item.pk}/").status_code == 404
    assert not views(object_type="worklist.worklistitem").exclude(object_id="list").exists()


def test_api_list_query_count_stays_flat_with_the_audit_row(as_, item):
    client = as_("biller")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/denials/").status_code == 200
        return len(ctx.captured_queries)

    queries()
    one = queries()
    more_items(item, 5)
    assert queries() == one


def test_team_membership_change_by_api_is_audited(as_, people, team_a):
    body = {"members": [people["biller"].pk, people["outsider"].pk]}
    response = as_("manager").patch(f"/api/v1/worklist/teams/{team_a.pk}/", body, format="json")
    assert response.status_code == 200
    event = AuditEvent.objects.get(object_type="worklist.team")
    assert (event.action, event.object_id, event.channel) == ("change", str(team_a.pk), "api")
    assert event.detail == "fields: members"
    assert event.actor == people["manager"]


def test_rule_create_change_and_delete_by_api_are_audited(as_, team_b):
    client = as_("manager")
    body = {"order": 5, "name": "Coding", "category": "coding", "team": team_b.pk}
    rule = client.post("/api/v1/worklist/routing-rules/", body, format="json").data
    url = f"/api/v1/worklist/routing-rules/{rule['id']}/"
    assert client.patch(url, {"order": 6}, format="json").status_code == 200
    assert client.delete(url).status_code == 204
    actions = list(
        AuditEvent.objects.filter(object_type="worklist.routingrule")
        .order_by("id")
        .values_list("action", "object_id")
    )
    assert actions == [(a, str(rule["id"])) for a in ("create", "change", "delete")]
    assert not RoutingRule.objects.filter(pk=rule["id"]).exists()


def test_category_policy_change_by_api_is_audited(as_):
    client = as_("manager")
    policy = client.get("/api/v1/worklist/category-policies/").data["results"][0]
    url = f"/api/v1/worklist/category-policies/{policy['id']}/"
    assert client.patch(url, {"work_cost": "12.00"}, format="json").status_code == 200
    event = AuditEvent.objects.get(object_type="worklist.categorypolicy")
    assert (event.action, event.detail) == ("change", "fields: work_cost")


def test_a_refused_team_delete_leaves_no_audit_row(as_, team_a):
    assert as_("manager").delete(f"/api/v1/worklist/teams/{team_a.pk}/").status_code == 409
    assert not AuditEvent.objects.filter(object_type="worklist.team").exists()


def test_team_membership_change_on_the_editor_page_is_audited(client, people, team_a):
    client.force_login(people["manager"])
    body = {
        "name": team_a.name,
        "slug": team_a.slug,
        "description": team_a.description,
        "members": [people["biller"].pk, people["outsider"].pk],
        "is_default": "on" if team_a.is_default else "",
    }
    response = client.post(f"/worklist/manage/teams/{team_a.pk}/", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(object_type="worklist.team")
    assert (event.action, event.channel) == ("change", "page")
    assert "members" in event.detail
