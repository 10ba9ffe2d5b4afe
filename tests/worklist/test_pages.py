"""The worklist pages: who may open what (role × page), queue order and keyset paging for
each sort, filters, htmx fragments, next item, every item action (plain POST and htmx),
refusals, write-off approval, root cause on closing, bulk changes, the rule editors,
auditing and query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from remittance.services import remittance_process, remittance_receive
from worklist import views
from worklist.choices import ActivityKind, ItemStatus, Resolution
from worklist.models import Activity, PayerRule, RoutingRule, Team, WorklistItem

pytestmark = pytest.mark.django_db

SAMPLE = "pyx12_835-mult-loops.835"  # one denied claim: one item in "ar-follow-up"
TEAM = "/worklist/team/ar-follow-up/"
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


@pytest.fixture
def item(data_file, django_capture_on_commit_callbacks):
    path = data_file(SAMPLE)
    with django_capture_on_commit_callbacks(execute=True):
        with open(path, "rb") as stream:
            received = remittance_receive(stream=stream, filename=path.name, source="command")
        remittance_process(remittance_id=received.remittance.pk)
    return WorklistItem.objects.select_related("team").get()


@pytest.fixture
def people(item, biller, teammate, outsider, manager, integration):
    """The shared personas (tests/conftest.py); the booked item is in the biller's team."""
    return {
        "biller": biller,
        "teammate": teammate,
        "outsider": outsider,
        "manager": manager,
        "integration": integration,
    }


@pytest.fixture
def as_(client, people):
    def login(name):
        client.force_login(people[name])
        return client

    return login


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
        "control_point": "coding",
    }
    return WorklistItem.objects.create(**{**values, **fields})


def ids(response) -> list[int]:
    return [i.pk for i in response.context["page"].items]


# -- Who may open what -------------------------------------------------------------------

PAGES = ["my_queue", "team_list", "team_queue", "item", "next", "overview", "manage",
         "manage_list", "manage_new"]  # fmt: skip
MATRIX = {
    "biller": (200, 200, 200, 200, 302, 403, 403, 403, 403),
    "teammate": (200, 200, 200, 200, 302, 403, 403, 403, 403),
    "outsider": (200, 200, 404, 404, 302, 403, 403, 403, 403),
    "manager": (200, 200, 200, 200, 302, 200, 200, 200, 200),
    "integration": (403,) * 9,
    "anonymous": (302,) * 9,
}


def open_page(client, page, item):
    if page == "next":
        return client.post("/worklist/next/")
    url = {
        "my_queue": "/worklist/",
        "team_list": "/worklist/teams/",
        "team_queue": TEAM,
        "item": f"/worklist/items/{item.pk}/",
        "overview": "/worklist/overview/",
        "manage": "/worklist/manage/",
        "manage_list": "/worklist/manage/payer-rules/",
        "manage_new": "/worklist/manage/routing-rules/new/",
    }[page]
    return client.get(url)


@pytest.mark.parametrize(
    ("role", "page", "expected"),
    [(role, page, codes[i]) for role, codes in MATRIX.items() for i, page in enumerate(PAGES)],
)
def test_role_page_matrix(client, people, item, role, page, expected):
    if role != "anonymous":
        client.force_login(people[role])
    response = open_page(client, page, item)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/login/")


def test_outsider_gets_404_for_another_teams_item_action(as_, item):
    response = as_("outsider").post(f"/worklist/items/{item.pk}/note/", {"note-text": "hi"})
    assert response.status_code == 404
    assert not Activity.objects.filter(kind=ActivityKind.NOTE).exists()


def test_team_list_shows_only_my_teams_with_counts(as_, item):
    page = as_("biller").get("/worklist/teams/").content.decode()
    assert "AR follow-up" in page and "Coding" not in page
    assert as_("manager").get("/worklist/teams/").content.decode().count("/worklist/team/") >= 4


# -- Queues: order, paging, filters, htmx ------------------------------------------------


@pytest.fixture
def many(item, monkeypatch):
    """25 items in the biller's team with ties on every sort key, all 26 on one page
    (paging itself is tested with a small page)."""
    monkeypatch.setattr(views.QueueView, "page_size", 50)
    made = []
    for n in range(25):
        made.append(
            make_item(
                item,
                priority=Decimal(n % 6 * 10),
                follow_up_due=n % 7 == 0,
                open_amount=Decimal(100 + n % 4 * 50),
                deadline=None if n % 5 == 0 else TODAY + timedelta(days=n % 3 - 1),
                service_date=None if n % 6 == 0 else TODAY - timedelta(days=n % 4 * 30),
                received_date=TODAY - timedelta(days=n * 10),
                category="coding" if n % 2 else "pricing",
                reason_code="16" if n % 3 else "97",
            )
        )
    return made


FAR = timezone.datetime(9999, 12, 31).date()
EXPECTED_ORDER = {
    "priority": lambda i: (not i.follow_up_due, -i.priority, -i.pk),
    "deadline": lambda i: (i.deadline or FAR, i.pk),
    "amount": lambda i: (-i.open_amount, -i.pk),
    "service_date": lambda i: (i.service_date or FAR, i.pk),
}


def test_queue_is_ranked_follow_ups_first_then_priority(as_, many):
    response = as_("biller").get(TEAM)
    open_items = WorklistItem.objects.open()
    expected = sorted(open_items, key=EXPECTED_ORDER["priority"])
    assert ids(response) == [i.pk for i in expected]
    assert response.context["page"].items[0].follow_up_due


@pytest.mark.parametrize("sort", sorted(EXPECTED_ORDER) + [f"-{k}" for k in sorted(EXPECTED_ORDER)])
def test_keyset_paging_continues_exactly_for_each_sort(as_, many, monkeypatch, sort):
    monkeypatch.setattr(views.QueueView, "page_size", 4)
    client = as_("biller")
    key = EXPECTED_ORDER[sort.removeprefix("-")]
    expected = [i.pk for i in sorted(WorklistItem.objects.open(), key=key)]
    if sort.startswith("-"):  # every column sorts both ways
        expected.reverse()
    seen, url, pages = [], f"{TEAM}?sort={sort}", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page_ids = ids(response)
        assert len(page_ids) <= 4
        if pages:
            assert response.context["first_query"] is not None
            assert "First page" in response.content.decode()
        seen += page_ids
        pages += 1
        nxt = response.context["next_query"]
        url = f"{TEAM}?{nxt}" if nxt else ""
        if nxt:
            assert "Next page" in response.content.decode()
    assert seen == expected  # same order, no duplicates, no gaps
    assert pages == 7


def test_sort_links_keep_filters_and_drop_the_cursor(as_, many):
    response = as_("biller").get(f"{TEAM}?category=coding&sort=amount&after=xyz")
    links = response.context["sort_links"]
    assert links["deadline"] == "category=coding&sort=deadline"
    assert links["amount"] == "category=coding&sort=-amount"  # sorted: the other way round


AGE_CUTOFF = TODAY - timedelta(days=200)
FILTERS = {  # query: which items it selects
    "category=coding": lambda i: i.category == "coding",
    "min_amount=200": lambda i: i.open_amount >= 200,
    "max_amount=100": lambda i: i.open_amount <= 100,
    "reason_code=16": lambda i: i.reason_code == "16",
    "deadline_state=at_risk": lambda i: i.deadline_state == "at_risk",
    "age_days=200": lambda i: (i.received_date or i.created_at.date()) <= AGE_CUTOFF,
    "status=new": lambda i: i.status == "new",
    "category=coding&min_amount=200": lambda i: i.category == "coding" and i.open_amount >= 200,
}


@pytest.mark.parametrize("query", sorted(FILTERS))
def test_filters(as_, many, query):
    WorklistItem.objects.filter(pk__in=[i.pk for i in many[:4]]).update(deadline_state="at_risk")
    WorklistItem.objects.filter(pk__in=[i.pk for i in many[-2:]]).update(status="in_progress")
    expected = [i.pk for i in WorklistItem.objects.all() if FILTERS[query](i)]
    assert 0 < len(expected) < 26
    response = as_("biller").get(f"{TEAM}?{query}")
    assert response.context["total"] == len(expected)
    assert sorted(ids(response)) == sorted(expected)


def test_filter_by_assignee_and_my_queue(as_, people, many):
    for it in many[:3]:
        WorklistItem.objects.filter(pk=it.pk).update(
            assignee=people["teammate"], status=ItemStatus.ASSIGNED
        )
    client = as_("biller")
    response = client.get(f"{TEAM}?assignee={people['teammate'].pk}")
    assert sorted(ids(response)) == sorted(i.pk for i in many[:3])
    assert ids(client.get("/worklist/")) == []
    assert "Nothing in your queue" in client.get("/worklist/").content.decode()
    client.force_login(people["teammate"])
    assert len(ids(client.get("/worklist/"))) == 3


def test_invalid_filter_is_shown_and_ignored(as_, many):
    response = as_("biller").get(f"{TEAM}?min_amount=lots")
    assert response.status_code == 200
    assert response.context["total"] == 26
    assert "Enter a number" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "due_within_days=99999999999",
        "age_days=-5",
        "after=WyJ4IiwgInkiLCAieiJd",  # ["x", "y", "z"]: not a priority cursor
        "sort=deadline&after=WyJub3BlIiwgMl0=",  # ["nope", 2]
        "payer=abc",
    ],
)
def test_bad_filters_and_cursors_fall_back_without_error(as_, many, query):
    response = as_("biller").get(f"{TEAM}?{query}")
    assert response.status_code == 200
    assert response.context["total"] == 26
    assert len(ids(response)) == 26


def test_htmx_request_gets_only_the_table(as_, many):
    response = as_("biller").get(f"{TEAM}?category=coding", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'class="topbar"' not in body
    assert body.count("<tr data-href") == 12
    assert [t.name for t in response.templates][0] == "partials/worklist_table.html"
    assert "HX-Request" in response["Vary"]
    full = as_("biller").get(f"{TEAM}?category=coding").content.decode()
    assert "<html" in full and 'hx-get="/worklist/team/ar-follow-up/"' in full


def test_queue_rows_show_codes_in_words_and_countdowns(as_, item):
    make_item(item, reason_code="16", deadline=TODAY - timedelta(days=3), deadline_state="missed")
    make_item(item, deadline=TODAY + timedelta(days=5), deadline_state="at_risk")
    body = as_("biller").get(TEAM).content.decode()
    assert "overdue 3 days" in body and "due in 5 days" in body
    assert 'class="countdown overdue"' in body and 'class="countdown at-risk"' in body
    assert "lacks information" in body.lower()  # CARC 16 in words
    assert item.payer.name in body and item.patient_control_number in body


def test_queue_query_count_does_not_grow_with_items(as_, item):
    client = as_("biller")
    client.get(TEAM)  # warm the session and the content types

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TEAM).status_code == 200
        return len(queries)

    few = count()
    for n in range(40):
        make_item(item, priority=Decimal(n), reason_code=str(n % 9 + 1))
    assert count() == few
    assert few < 20


def test_item_page_query_count_does_not_grow_with_its_history(as_, people, item):
    client = as_("biller")
    url = f"/worklist/items/{item.pk}/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        client.post(url + "note/", {"note-text": f"Call {n}"})
    assert count() == few
    assert few < 25


# -- Next item ---------------------------------------------------------------------------


def test_next_item_assigns_and_opens_it(as_, people, item):
    client = as_("biller")
    response = client.post("/worklist/next/")
    assert response.status_code == 302
    assert response["Location"] == f"/worklist/items/{item.pk}/"
    item.refresh_from_db()
    assert item.assignee == people["biller"] and item.status == ItemStatus.ASSIGNED
    again = client.post("/worklist/next/", HTTP_REFERER="http://testserver/worklist/", follow=True)
    assert "The queues of your teams are empty" in again.content.decode()
    assert again.redirect_chain[-1][0] == "http://testserver/worklist/"


def test_next_item_is_post_only(as_, item):
    assert as_("biller").get("/worklist/next/").status_code == 405


# -- The item page -----------------------------------------------------------------------


def test_item_page_explains_the_claim_and_is_audited(as_, people, item):
    response = as_("biller").get(f"/worklist/items/{item.pk}/")
    body = response.content.decode()
    assert "CO-16" in body and "lacks information" in body.lower()
    assert "N14" in body
    assert f"/remittances/{item.claim.remittance_id}/" in body  # remittance history link
    assert item.priority_explanation[:30] in body
    assert item.routing_rule in body
    assert "Timeline" in body
    event = AuditEvent.objects.get(action="view", object_type="worklist.worklistitem")
    assert event.actor == people["biller"] and event.object_id == str(item.pk)
    assert event.channel == "page"


def test_item_page_hides_appeal_when_not_appealable(as_, item):
    closed = make_item(item, appealable=False)
    body = as_("biller").get(f"/worklist/items/{closed.pk}/").content.decode()
    assert "Start an appeal" not in body
    assert "Mark corrected and resubmitted" in body


ROOT = {"control_point": "coding", "cause": "Modifier 25 missing"}


def prefixed(prefix, data):
    return {f"{prefix}-{k}": v for k, v in data.items()}


ACTION_CASES = {
    # action: (post data, check on the refreshed item)
    "take": ({}, lambda i, p: i.assignee == p["biller"] and i.status == "assigned"),
    "note": (
        prefixed("note", {"text": "Called the payer"}),
        lambda i, p: i.activities.filter(kind="note", note="Called the payer").exists(),
    ),
    "follow_up": (
        prefixed("follow_up", {"on": (TODAY + timedelta(days=9)).isoformat()}),
        lambda i, p: i.follow_up_on == TODAY + timedelta(days=9),
    ),
    "resubmit": (
        prefixed("resubmit", {"on": TODAY.isoformat(), "new_claim_reference": "NEW-1"}),
        lambda i, p: i.status == "awaiting_payer" and i.new_claim_reference == "NEW-1",
    ),
    "patient": (
        prefixed("patient", ROOT),
        lambda i, p: (
            i.resolution == Resolution.PATIENT_OR_SECONDARY
            and i.root_cause == "Modifier 25 missing"
        ),
    ),
    "write_off": (
        prefixed("write_off", {**ROOT, "reason": "Small balance"}),
        lambda i, p: i.resolution == Resolution.WRITTEN_OFF,
    ),
    "paid": (
        prefixed("paid", {**ROOT, "resolution": "recovered_partial", "amount": "40.00"}),
        lambda i, p: (
            i.resolution == Resolution.RECOVERED_PARTIAL and i.recovered_amount == Decimal("40.00")
        ),
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("action", sorted(ACTION_CASES))
def test_each_action_changes_state_and_writes_an_activity(as_, people, item, action, htmx):
    target = make_item(item)  # $100: under the write-off approval threshold
    data, check = ACTION_CASES[action]
    before = Activity.objects.filter(item=target).count()
    response = as_("biller").post(
        f"/worklist/items/{target.pk}/{action}/", data, **(HTMX if htmx else {})
    )
    if htmx:
        assert response.status_code == 200
        assert response.templates[0].name == "partials/worklist_item_panel.html"
        assert 'id="item-panel"' in response.content.decode()
        assert "<html" not in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/worklist/items/{target.pk}/"
    target.refresh_from_db()
    assert check(target, people)
    assert Activity.objects.filter(item=target, actor=people["biller"]).count() > before


def test_manager_assigns_a_teammate_and_unassigns(as_, people, item):
    client = as_("manager")
    url = f"/worklist/items/{item.pk}/"
    response = client.post(url + "assign/", {"assign-assignee": people["teammate"].pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assignee == people["teammate"]
    assert client.post(url + "unassign/").status_code == 302
    item.refresh_from_db()
    assert item.assignee is None and item.status == ItemStatus.NEW


def test_assigning_an_outsider_is_a_400_with_the_message(as_, people, item):
    form = as_("manager").get(f"/worklist/items/{item.pk}/").context["forms"]["assign"]
    assert people["outsider"] not in form.fields["assignee"].queryset
    response = as_("manager").post(
        f"/worklist/items/{item.pk}/assign/", {"assign-assignee": people["outsider"].pk}, **HTMX
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_refused_moves_show_the_message(as_, people, item, htmx):
    extra = HTMX if htmx else {}
    client = as_("biller")
    closed = make_item(item, status=ItemStatus.RESOLVED, resolution="written_off")
    data = prefixed("resubmit", {"on": TODAY.isoformat()})
    response = client.post(f"/worklist/items/{closed.pk}/resubmit/", data, **extra)
    assert response.status_code == 400
    assert "cannot become resubmitted" in response.content.decode()
    held = make_item(item, assignee=people["teammate"], status=ItemStatus.ASSIGNED)
    response = client.post(f"/worklist/items/{held.pk}/take/", **extra)
    assert response.status_code == 403
    assert "Only a manager can reassign" in response.content.decode()
    response = client.post(f"/worklist/items/{held.pk}/note/", {"note-text": "  "}, **extra)
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    # Appeals are started on their own page (appeals app), not as an item action.
    assert client.post(f"/worklist/items/{held.pk}/appeal/", {}, **extra).status_code == 404
    assert client.post(f"/worklist/items/{held.pk}/fly/").status_code == 404


def test_closing_without_a_root_cause_is_refused(as_, item):
    target = make_item(item, control_point="", root_cause="")
    data = prefixed("patient", {"control_point": "", "cause": ""})
    response = as_("biller").post(f"/worklist/items/{target.pk}/patient/", data)
    assert response.status_code == 400
    assert "needs a root cause" in response.content.decode()
    target.refresh_from_db()
    assert target.status == ItemStatus.NEW
    assert not Activity.objects.filter(item=target).exists()


def test_close_forms_are_prefilled_with_the_root_cause(as_, item):
    target = make_item(item, control_point="billing", root_cause="Late follow-up")
    forms = as_("biller").get(f"/worklist/items/{target.pk}/").context["forms"]
    assert forms["patient"]["control_point"].value() == "billing"
    assert forms["write_off"]["cause"].value() == "Late follow-up"


def test_large_write_off_by_a_biller_waits_for_a_manager(as_, people, item, client):
    assert item.open_amount > Decimal("500")
    url = f"/worklist/items/{item.pk}/"
    client.force_login(people["biller"])
    data = prefixed("write_off", {**ROOT, "reason": "Not worth pursuing"})
    response = client.post(url + "write_off/", data, **HTMX)
    assert response.status_code == 200
    assert "awaiting manager approval" in response.content.decode()
    item.refresh_from_db()
    assert item.write_off_requested and item.status != ItemStatus.RESOLVED
    assert "Approve write-off" not in client.get(url).content.decode()
    assert client.post(url + "approve_write_off/").status_code == 403
    client.force_login(people["manager"])
    assert "Approve write-off" in client.get(url).content.decode()
    assert client.post(url + "approve_write_off/").status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.RESOLVED and item.resolution == Resolution.WRITTEN_OFF


# -- Managers: bulk changes, overview, editors -------------------------------------------


def test_bulk_reassign_changes_every_filtered_item(as_, people, many):
    client = as_("manager")
    url = f"{TEAM}bulk/?category=coding"
    body = {"bulk-assignee": str(people["teammate"].pk), "bulk-team": "", "bulk-follow_up_on": ""}
    review = client.post(url, body)
    assert review.status_code == 200
    assert "12 open items" in review.content.decode()
    assert not WorklistItem.objects.filter(assignee__isnull=False).exists()
    done = client.post(url, {**body, "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"{TEAM}?category=coding"
    coding = WorklistItem.objects.filter(category="coding", team__slug="ar-follow-up")
    assert set(coding.values_list("assignee", flat=True)) == {people["teammate"].pk}
    assert not WorklistItem.objects.exclude(category="coding").filter(assignee__isnull=False)
    assert Activity.objects.filter(note__startswith="Bulk change").count() == coding.count()


def test_bulk_change_is_forbidden_for_a_biller(as_, people, many):
    body = {"bulk-assignee": str(people["biller"].pk), "confirm": "on"}
    assert as_("biller").post(f"{TEAM}bulk/", body).status_code == 403
    assert not WorklistItem.objects.filter(assignee__isnull=False).exists()


def test_bulk_form_shows_only_for_managers_and_needs_a_change(as_, many):
    assert "Review change" not in as_("biller").get(TEAM).content.decode()
    client = as_("manager")
    assert "Review change" in client.get(TEAM).content.decode()
    response = client.post(f"{TEAM}bulk/", {"bulk-assignee": ""})
    assert response.status_code == 400
    assert "Choose something to change" in response.content.decode()


def test_bulk_move_to_another_team(as_, many):
    coding = Team.objects.get(slug="coding")
    body = {"bulk-team": coding.pk, "confirm": "on"}
    expected = set(WorklistItem.objects.filter(open_amount__gte=250).values_list("pk", flat=True))
    as_("manager").post(f"{TEAM}bulk/?min_amount=250", body)
    assert set(WorklistItem.objects.filter(team=coding).values_list("pk", flat=True)) == expected
    assert not WorklistItem.objects.filter(team=coding, assignee__isnull=False).exists()


def test_overview_shows_teams_and_billers(as_, people, item):
    as_("biller").post("/worklist/next/")
    response = as_("manager").get("/worklist/overview/")
    body = response.content.decode()
    assert "AR follow-up" in body and "biller" in body
    ar = next(t for t in response.context["teams"] if t["team"].slug == "ar-follow-up")
    biller = next(m for m in ar["members"] if m["user"] == people["biller"])
    assert biller["open"] == 1 and biller["worked_today"] == 1


def test_payer_rule_needs_a_payer_or_a_payer_type(as_):
    before = PayerRule.objects.count()
    data = {"kind": "appeal_1", "months": 0, "days": 90, "basis": "receipt",
            "receipt_grace_days": 0, "effective_from": "2025-01-01"}  # fmt: skip
    client = as_("manager")
    response = client.post("/worklist/manage/payer-rules/new/", data)
    assert response.status_code == 200
    assert "Name a payer, or a payer type" in response.content.decode()
    assert "payer_rule_has_scope" not in response.content.decode()
    assert PayerRule.objects.count() == before
    response = client.post("/worklist/manage/payer-rules/new/", {**data, "payer_type": "other"})
    assert response.status_code == 302
    assert PayerRule.objects.count() == before + 1
    assert AuditEvent.objects.filter(action="create", object_type="worklist.payerrule").exists()


def test_routing_rule_and_team_editors(as_, people):
    client = as_("manager")
    team = Team.objects.get(slug="coding")
    bad = {"order": 5, "name": "Big", "team": team.pk, "min_amount": "900", "max_amount": "10"}
    response = client.post("/worklist/manage/routing-rules/new/", bad)
    assert "Must be at least the minimum amount" in response.content.decode()
    good = {**bad, "max_amount": "5000", "active": "on"}
    assert client.post("/worklist/manage/routing-rules/new/", good).status_code == 302
    assert RoutingRule.objects.filter(name="Big", team=team).exists()
    edit = {"name": "Coding", "slug": "coding", "description": "x",
            "members": [people["biller"].pk, people["outsider"].pk]}  # fmt: skip
    assert client.post(f"/worklist/manage/teams/{team.pk}/", edit).status_code == 302
    assert set(team.members.values_list("username", flat=True)) == {"biller", "outsider"}
    listing = client.get("/worklist/manage/teams/").content.decode()
    assert "biller, outsider" in listing
    assert client.get("/worklist/manage/nothing/").status_code == 404
