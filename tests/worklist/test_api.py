"""The worklist REST API: who may call what (role × endpoint), scoping, filters, the
transition and assign actions, the scoped deadline report, and rule administration."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from denials.models import Denial
from remittance.services import remittance_process, remittance_receive
from worklist.models import Activity, PayerRule, RoutingRule, Team, WorklistItem

pytestmark = pytest.mark.django_db

API = "/api/v1/worklist"
SAMPLE = "pyx12_835-mult-loops.835"  # one denied claim: one item, routed to the default team


@pytest.fixture
def item(data_file, django_capture_on_commit_callbacks):
    """Book a sample remittance end to end (Celery runs eagerly): its denial becomes an
    item in the default team, "AR follow-up"."""
    path = data_file(SAMPLE)
    with django_capture_on_commit_callbacks(execute=True):
        with open(path, "rb") as stream:
            received = remittance_receive(stream=stream, filename=path.name, source="command")
        remittance_process(remittance_id=received.remittance.pk)
    # The sample's dates are long past, so its item has no recourse left and priority 0;
    # give it a live one for the tests that rank it among others.
    WorklistItem.objects.update(priority=Decimal("417.70"))
    return WorklistItem.objects.select_related("team").get()


@pytest.fixture
def team_a(item):
    return item.team


@pytest.fixture
def team_b():
    return Team.objects.get(slug="coding")


@pytest.fixture
def people(biller, teammate, outsider, manager, integration, team_a, team_b):
    """The shared personas (tests/conftest.py): biller and teammate on the booked item's
    team, the outsider on another."""
    assert biller in team_a.members.all() and outsider in team_b.members.all()
    return {
        "biller": biller,
        "teammate": teammate,
        "outsider": outsider,
        "manager": manager,
        "integration": integration,
    }


def client_for(person) -> APIClient:
    client = APIClient()
    if person is None:
        return client
    if person.username == "integration":  # API clients sign in with a token
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=person)[1]}")
    else:
        client.force_authenticate(user=person)
    return client


@pytest.fixture
def as_(people):
    return lambda name: client_for(people[name])


def make_item(base: WorklistItem, **fields) -> WorklistItem:
    """Another item on the booked claim, with the fields a test needs."""
    values = {
        "claim_id": base.claim_id,
        "payer_id": base.payer_id,
        "patient_control_number": base.patient_control_number,
        "team": base.team,
        "category": "coding",
        "routing_rule": "test",
        "open_amount": Decimal("100.00"),
    }
    return WorklistItem.objects.create(**{**values, **fields})


# -- Who may call what ------------------------------------------------------------------

ENDPOINTS = [
    "list",
    "detail",
    "transition",
    "assign",
    "deadline_report",
    "teams",
    "routing-rules",
    "payer-rules",
    "category-policies",
]
MATRIX = {  # role: expected status per endpoint, in ENDPOINTS order
    "biller": (200, 200, 200, 200, 200, 200, 403, 403, 403),
    "teammate": (200, 200, 200, 403, 200, 200, 403, 403, 403),
    "outsider": (200, 404, 404, 404, 200, 200, 403, 403, 403),
    "manager": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "integration": (403,) * 9,
    "anonymous": (401,) * 9,  # no credentials: 401 with a WWW-Authenticate: Token challenge
}


def call(client, endpoint, item, people):
    if endpoint == "list":
        return client.get(f"{API}/items/")
    if endpoint == "detail":
        return client.get(f"{API}/items/{item.pk}/")
    if endpoint == "transition":
        return client.post(f"{API}/items/{item.pk}/transition/", {"to_status": "in_progress"})
    if endpoint == "assign":  # everyone tries to give the item to the biller
        body = {"assignee": people["biller"].pk}
        return client.post(f"{API}/items/{item.pk}/assign/", body, format="json")
    if endpoint == "deadline_report":
        return client.get(f"{API}/items/deadline_report/")
    return client.get(f"{API}/{endpoint}/")


@pytest.mark.parametrize(
    ("role", "endpoint", "expected"),
    [
        (role, endpoint, codes[i])
        for role, codes in MATRIX.items()
        for i, endpoint in enumerate(ENDPOINTS)
    ],
)
def test_role_endpoint_matrix(role, endpoint, expected, item, people):
    client = client_for(people.get(role))
    response = call(client, endpoint, item, people)
    assert response.status_code == expected, response.content


def test_outsider_gets_an_empty_list_and_404(as_, item):
    outsider = as_("outsider")
    listing = outsider.get(f"{API}/items/")
    assert listing.status_code == 200
    assert listing.data["count"] == 0
    assert outsider.get(f"{API}/items/{item.pk}/").status_code == 404
    report = outsider.get(f"{API}/items/deadline_report/").data
    assert report["total"] == 0


def test_integration_is_refused_even_for_missing_items(as_):
    response = as_("integration").get(f"{API}/items/999999/")
    assert response.status_code == 403


def test_billers_read_their_teams_but_only_managers_change_them(as_, people, team_a, team_b):
    body = {"slug": "denials-b", "name": "Denials B"}
    assert as_("biller").post(f"{API}/teams/", body).status_code == 403
    assert as_("biller").patch(f"{API}/teams/{team_a.pk}/", {"name": "X"}).status_code == 403
    assert as_("biller").delete(f"{API}/teams/{team_a.pk}/").status_code == 403
    names = {t["slug"] for t in as_("biller").get(f"{API}/teams/").data["results"]}
    assert names == {"ar-follow-up"}
    assert as_("biller").get(f"{API}/teams/{team_b.pk}/").status_code == 404
    names = {t["slug"] for t in as_("manager").get(f"{API}/teams/").data["results"]}
    assert {"ar-follow-up", "coding"} <= names
    created = as_("manager").post(f"{API}/teams/", body)
    assert created.status_code == 201, created.content
    members = {"members": [people["biller"].pk]}
    patched = as_("manager").patch(f"{API}/teams/{created.data['id']}/", members, format="json")
    assert patched.data["members"] == [people["biller"].pk]


def test_a_second_default_team_is_refused(as_):
    body = {"slug": "other", "name": "Other", "is_default": True}
    response = as_("manager").post(f"{API}/teams/", body)
    assert response.status_code == 400
    assert "already the default team" in str(response.data["is_default"])


def test_a_team_with_items_cannot_be_deleted(as_, team_a):
    response = as_("manager").delete(f"{API}/teams/{team_a.pk}/")
    assert response.status_code == 409
    assert Team.objects.filter(pk=team_a.pk).exists()


# -- Reading items ----------------------------------------------------------------------


def test_detail_shows_denials_explanation_and_history(as_, item):
    response = as_("biller").get(f"{API}/items/{item.pk}/")
    assert response.status_code == 200
    body = response.data
    assert body["denials"] == [Denial.objects.get().pk]
    assert body["team"] == {"id": item.team_id, "slug": "ar-follow-up", "name": "AR follow-up"}
    assert body["assignee"] is None
    assert body["payer"] == item.payer.name
    assert body["priority_explanation"].startswith("$915.39 open")
    [created] = body["activities"]
    assert created["kind"] == "created"
    assert created["actor"] is None
    assert created["to_status"] == "new"


def test_list_is_in_priority_order_without_history(as_, item):
    make_item(item, priority=Decimal("900"))
    make_item(item, priority=Decimal("1"))
    rows = as_("biller").get(f"{API}/items/").data["results"]
    assert [r["priority"] for r in rows] == ["900.00", "417.70", "1.00"]
    assert "activities" not in rows[0]
    assert "priority_explanation" not in rows[0]


def test_list_queries_do_not_grow_with_items(as_, item, people):
    client = as_("biller")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/items/").status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm up: the user's roles are read once per user object
    one = queries()
    for n in range(5):
        make_item(item, assignee=people["teammate"], priority=Decimal(n))
    assert queries() == one


@pytest.fixture
def spread(item, team_b):
    """Five items over two teams: the booked one (team A, new, missed, pricing, 417.70)
    and four more."""
    today = timezone.localdate()
    make_item(
        item,
        status="assigned",
        deadline=today + timedelta(days=5),
        deadline_state="at_risk",
        priority=Decimal("900"),
    )
    make_item(
        item,
        status="in_progress",
        deadline=today + timedelta(days=40),
        deadline_state="ok",
        priority=Decimal("50"),
    )
    make_item(
        item,
        team=team_b,
        category="eligibility",
        deadline=today + timedelta(days=10),
        deadline_state="at_risk",
        priority=Decimal("1000"),
    )
    make_item(item, team=team_b, status="resolved", resolution="written_off")


def count(client, query: str) -> int:
    response = client.get(f"{API}/items/?{query}")
    assert response.status_code == 200, response.content
    return response.data["count"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 5),
        ("team={a}", 3),
        ("team={b}", 2),
        ("status=new", 2),
        ("status=new&status=assigned", 3),
        ("status=resolved", 1),
        ("deadline_state=at_risk", 2),
        ("deadline_state=missed", 1),
        ("due_within_days=7", 1),
        ("due_within_days=30", 2),
        ("min_priority=400", 3),
        ("min_priority=400&team={a}", 2),
        ("category=coding", 3),
        ("category=pricing", 1),
        ("unassigned=true", 5),
    ],
)
def test_filters_count_for_a_manager(query, expected, as_, spread, team_a, team_b):
    assert count(as_("manager"), query.format(a=team_a.pk, b=team_b.pk)) == expected


def test_filters_stay_within_the_users_teams(as_, spread, team_a, team_b):
    biller = as_("biller")
    assert count(biller, "") == 3
    assert count(biller, f"team={team_b.pk}") == 0
    assert count(biller, "deadline_state=at_risk") == 1
    assert count(biller, "min_priority=400") == 2
    assert count(as_("outsider"), "deadline_state=at_risk") == 1


def test_an_unknown_filter_value_is_a_400(as_, spread):
    assert as_("manager").get(f"{API}/items/?team=999999").status_code == 400
    assert as_("manager").get(f"{API}/items/?status=lost").status_code == 400


def test_deadline_report_counts_open_items_in_scope(as_, spread, team_b):
    zero = {"ok": 0, "at_risk": 0, "missed": 0, "none": 0}
    report = as_("biller").get(f"{API}/items/deadline_report/").data
    assert report == {**zero, "ok": 1, "at_risk": 1, "missed": 1, "total": 3}
    report = as_("manager").get(f"{API}/items/deadline_report/").data
    assert report == {**zero, "ok": 1, "at_risk": 2, "missed": 1, "total": 4}
    report = as_("outsider").get(f"{API}/items/deadline_report/").data
    assert report == {**zero, "at_risk": 1, "total": 1}
    report = as_("manager").get(f"{API}/items/deadline_report/?team={team_b.pk}").data
    assert report == {**zero, "at_risk": 1, "total": 1}


# -- Transition -------------------------------------------------------------------------


def transition(client, item, **body):
    return client.post(f"{API}/items/{item.pk}/transition/", body, format="json")


def test_a_valid_transition_moves_the_item_and_writes_activity(as_, item, people):
    response = transition(as_("biller"), item, to_status="in_progress", note="Calling payer")
    assert response.status_code == 200, response.content
    assert response.data["status"] == "in_progress"
    assert response.data["activities"][-1] == {
        **response.data["activities"][-1],
        "kind": "status",
        "actor": "biller",
        "from_status": "new",
        "to_status": "in_progress",
        "note": "Calling payer",
    }
    activity = Activity.objects.filter(item=item).latest("id")
    assert (activity.actor, activity.from_status, activity.to_status) == (
        people["biller"],
        "new",
        "in_progress",
    )


def test_appealing_goes_through_the_appeals_api(as_, item):
    response = transition(as_("biller"), item, to_status="appealed")
    assert response.status_code == 400
    assert "POST /api/v1/appeals/" in response.data["detail"]


def test_an_invalid_transition_is_a_400_with_the_reason(as_, item):
    response = transition(as_("biller"), item, to_status="resubmitted")
    assert response.status_code == 400
    assert response.data == {"detail": "An item that is new cannot become resubmitted."}
    item.refresh_from_db()
    assert item.status == "new"
    assert Activity.objects.filter(item=item).count() == 1


def test_resolving_needs_a_resolution(as_, item):
    response = transition(as_("biller"), item, to_status="resolved")
    assert response.status_code == 400
    assert response.data == {"detail": "Resolving an item needs a resolution."}
    item.refresh_from_db()
    assert item.status == "new"


def test_nobody_is_assigned_by_a_bare_transition(as_, item):
    response = transition(as_("biller"), item, to_status="assigned")
    assert response.status_code == 400
    assert "assign action" in response.data["detail"]
    item.refresh_from_db()
    assert item.status == "new"


def test_resolving_with_a_resolution_records_the_recovery(as_, item):
    response = transition(
        as_("biller"),
        item,
        to_status="resolved",
        resolution="recovered_partial",
        recovered_amount="400.00",
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.status, item.resolution) == ("resolved", "recovered_partial")
    assert item.recovered_amount == Decimal("400.00")
    assert item.resolved_at is not None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"to_status": "lost"},
        {"to_status": "resolved", "resolution": "won"},
        {"to_status": "resolved", "resolution": "written_off", "recovered_amount": "-1"},
    ],
)
def test_malformed_transition_input_is_a_400(as_, item, body):
    response = as_("biller").post(f"{API}/items/{item.pk}/transition/", body, format="json")
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == "new"


# -- Assign -----------------------------------------------------------------------------


def assign(client, item, person):
    body = {"assignee": person.pk if person else None}
    return client.post(f"{API}/items/{item.pk}/assign/", body, format="json")


def test_biller_takes_an_item_and_it_becomes_assigned(as_, item, people):
    response = assign(as_("biller"), item, people["biller"])
    assert response.status_code == 200, response.content
    assert (response.data["status"], response.data["assignee"]) == ("assigned", "biller")
    last = response.data["activities"][-1]
    assert (last["kind"], last["from_status"], last["to_status"]) == ("assigned", "new", "assigned")
    item.refresh_from_db()
    assert (item.status, item.assignee) == ("assigned", people["biller"])


def test_biller_cannot_assign_a_teammate(as_, item, people):
    response = assign(as_("biller"), item, people["teammate"])
    assert response.status_code == 403
    assert "Only a manager" in response.data["detail"]
    item.refresh_from_db()
    assert (item.status, item.assignee) == ("new", None)


def test_teammate_cannot_take_an_item_the_biller_holds(as_, item, people):
    assert assign(as_("biller"), item, people["biller"]).status_code == 200
    assert assign(as_("teammate"), item, people["teammate"]).status_code == 403
    assert assign(as_("teammate"), item, None).status_code == 403
    item.refresh_from_db()
    assert item.assignee == people["biller"]


def test_manager_assigns_a_teammate(as_, item, people):
    response = assign(as_("manager"), item, people["teammate"])
    assert response.status_code == 200, response.content
    assert (response.data["status"], response.data["assignee"]) == ("assigned", "teammate")
    assert response.data["activities"][-1]["actor"] == "manager"


def test_manager_cannot_assign_someone_outside_the_team(as_, item, people):
    response = assign(as_("manager"), item, people["outsider"])
    assert response.status_code == 400
    assert "not a member of the team AR follow-up" in str(response.data["assignee"])


def test_unassigning_an_assigned_item_sends_it_back_to_new(as_, item, people):
    biller = as_("biller")
    assert assign(biller, item, people["biller"]).status_code == 200
    response = assign(biller, item, None)
    assert response.status_code == 200
    assert (response.data["status"], response.data["assignee"]) == ("new", None)
    kinds = list(Activity.objects.filter(item=item).values_list("kind", "to_status"))
    assert kinds == [("created", "new"), ("assigned", "assigned"), ("assigned", "new")]


def test_reassigning_work_in_progress_keeps_its_status(as_, item, people):
    assert transition(as_("biller"), item, to_status="in_progress").status_code == 200
    response = assign(as_("manager"), item, people["teammate"])
    assert response.status_code == 200
    assert (response.data["status"], response.data["assignee"]) == ("in_progress", "teammate")
    last = response.data["activities"][-1]
    assert (last["kind"], last["note"]) == ("assigned", "Assigned to teammate.")


def test_assign_needs_an_existing_user(as_, item):
    client = as_("manager")
    assert client.post(f"{API}/items/{item.pk}/assign/", {}, format="json").status_code == 400
    body = {"assignee": 999999}
    response = client.post(f"{API}/items/{item.pk}/assign/", body, format="json")
    assert response.status_code == 400


# -- Rules ------------------------------------------------------------------------------

ROUTING_RULE = {
    "order": 5,
    "name": "Large coding denials",
    "category": "coding",
    "min_amount": "500.00",
    "max_amount": "5000.00",
}
PAYER_RULE = {
    "payer_type": "commercial",
    "kind": "appeal_2",
    "days": 60,
    "basis": "decision",
    "effective_from": "2025-01-01",
}


def test_manager_creates_a_routing_rule(as_, team_b):
    response = as_("manager").post(
        f"{API}/routing-rules/", {**ROUTING_RULE, "team": team_b.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    rule = RoutingRule.objects.get(pk=response.data["id"])
    assert (rule.team, rule.max_amount) == (team_b, Decimal("5000.00"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"team": 999999}, "team"),
        ({"team": None}, "team"),
        ({"min_amount": "6000.00"}, "max_amount"),
        ({"min_amount": "-1.00"}, "min_amount"),
        ({"order": -1}, "order"),
        ({"category": "astrology"}, "category"),
    ],
)
def test_invalid_routing_rules_are_a_400(as_, team_b, change, field):
    body = {**ROUTING_RULE, "team": team_b.pk, **change}
    response = as_("manager").post(f"{API}/routing-rules/", body, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not RoutingRule.objects.filter(name=ROUTING_RULE["name"]).exists()


def test_routing_rule_range_is_checked_on_partial_update(as_, team_b):
    client = as_("manager")
    body = {**ROUTING_RULE, "team": team_b.pk}
    rule = client.post(f"{API}/routing-rules/", body, format="json").data
    url = f"{API}/routing-rules/{rule['id']}/"
    assert client.patch(url, {"min_amount": "9000.00"}, format="json").status_code == 400
    assert client.patch(url, {"max_amount": None}, format="json").status_code == 200


def test_manager_creates_payer_rules(as_, item):
    client = as_("manager")
    response = client.post(f"{API}/payer-rules/", PAYER_RULE, format="json")
    assert response.status_code == 201, response.content
    own = {**PAYER_RULE, "payer_type": "", "payer": item.payer_id, "kind": "timely_filing"}
    response = client.post(f"{API}/payer-rules/", own, format="json")
    assert response.status_code == 201, response.content
    assert PayerRule.objects.filter(payer_id=item.payer_id).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"payer_type": ""}, "payer"),  # the check constraint, as a 400
        ({"days": -1}, "days"),
        ({"months": -2}, "months"),
        ({"receipt_grace_days": -5}, "receipt_grace_days"),
        ({"effective_to": "2024-12-31"}, "effective_to"),
        ({"kind": "appeal_9"}, "kind"),
        ({"payer": 999999}, "payer"),
    ],
)
def test_invalid_payer_rules_are_a_400(as_, change, field):
    before = PayerRule.objects.count()
    body = {**PAYER_RULE, **change}
    response = as_("manager").post(f"{API}/payer-rules/", body, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert PayerRule.objects.count() == before


def test_payer_rule_scope_is_checked_on_partial_update(as_):
    rule = PayerRule.objects.filter(payer__isnull=True).first()
    url = f"{API}/payer-rules/{rule.pk}/"
    response = as_("manager").patch(url, {"payer_type": ""}, format="json")
    assert response.status_code == 400
    rule.refresh_from_db()
    assert rule.payer_type


def test_billers_cannot_write_rules(as_, team_b):
    biller = as_("biller")
    body = {**ROUTING_RULE, "team": team_b.pk}
    assert biller.post(f"{API}/routing-rules/", body, format="json").status_code == 403
    assert biller.post(f"{API}/payer-rules/", PAYER_RULE, format="json").status_code == 403
    policy = {"category": "coding", "prior_recovery_rate": "0.5", "work_cost": "10"}
    assert biller.post(f"{API}/category-policies/", policy, format="json").status_code == 403
    assert not RoutingRule.objects.filter(name=ROUTING_RULE["name"]).exists()


def test_category_policy_rate_must_be_a_fraction(as_):
    client = as_("manager")
    policy = client.get(f"{API}/category-policies/").data["results"][0]
    url = f"{API}/category-policies/{policy['id']}/"
    assert client.patch(url, {"prior_recovery_rate": "1.5"}, format="json").status_code == 400
    assert client.patch(url, {"prior_recovery_rate": "0.55"}, format="json").status_code == 200
