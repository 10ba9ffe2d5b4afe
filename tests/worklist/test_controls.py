"""One door per rule: write-off approval, recovered amounts within the open amount, and
nobody taking a teammate's item, whichever door is used (the API's transition, the item
page's actions)."""

from decimal import Decimal

import pytest

from worklist.models import WorklistItem

from .test_api import as_, item, make_item, people, team_a, team_b  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/worklist/items"


@pytest.fixture
def big(item, people):  # noqa: F811
    """A $7,000 item held by the biller."""
    return make_item(
        item,
        open_amount=Decimal("7000.00"),
        status="in_progress",
        assignee=people["biller"],
        control_point="coding",
        root_cause="Coding",
    )


@pytest.fixture
def page(client, people):  # noqa: F811
    def as_person(name):
        client.force_login(people[name])
        return client

    return as_person


def test_api_write_off_above_the_threshold_is_only_requested(as_, big):  # noqa: F811
    response = as_("biller").post(
        f"{API}/{big.pk}/transition/",
        {"to_status": "resolved", "resolution": "written_off", "note": "Timely filing"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["write_off_requested"]) == ("in_progress", True)
    big.refresh_from_db()
    assert (big.status, big.resolution) == ("in_progress", "")
    # A manager's write-off through the same door closes it.
    response = as_("manager").post(
        f"{API}/{big.pk}/transition/",
        {"to_status": "resolved", "resolution": "written_off", "note": "Approved: too late"},
        format="json",
    )
    assert response.status_code == 200
    assert response.data["status"] == "resolved"


def test_api_write_off_needs_a_reason(as_, big):  # noqa: F811
    response = as_("biller").post(
        f"{API}/{big.pk}/transition/",
        {"to_status": "resolved", "resolution": "written_off"},
        format="json",
    )
    assert response.status_code == 400
    assert response.data["detail"] == "A write-off needs a reason."


@pytest.mark.parametrize("amount", ["999999999999.99", "7000.01"])
def test_api_recovered_amount_beyond_the_open_amount_is_refused(as_, big, amount):  # noqa: F811
    response = as_("biller").post(
        f"{API}/{big.pk}/transition/",
        {"to_status": "resolved", "resolution": "recovered_partial", "recovered_amount": amount},
        format="json",
    )
    assert response.status_code == 400
    assert "open amount $7,000.00" in response.data["detail"]
    assert WorklistItem.objects.get(pk=big.pk).status == "in_progress"


def test_api_recovered_amount_within_it_closes_with_the_prefilled_root_cause(as_, big):  # noqa: F811
    response = as_("biller").post(
        f"{API}/{big.pk}/transition/",
        {"to_status": "resolved", "resolution": "recovered_partial", "recovered_amount": "2500"},
        format="json",
    )
    assert response.status_code == 200, response.data
    big.refresh_from_db()
    assert (big.status, big.recovered_amount) == ("resolved", Decimal("2500.00"))
    assert big.root_cause and big.control_point


@pytest.mark.parametrize("to_status", ["new", "in_progress", "resolved"])
def test_api_teammate_cannot_move_the_billers_item(as_, big, to_status):  # noqa: F811
    body = {
        "to_status": to_status,
        "resolution": "recovered_full" if to_status == "resolved" else "",
    }
    response = as_("teammate").post(f"{API}/{big.pk}/transition/", body, format="json")
    assert response.status_code == 403
    assert "held by biller" in response.data["detail"]
    big.refresh_from_db()
    assert (big.status, big.assignee.username) == ("in_progress", "biller")


def test_api_manager_may_move_anyones_item_back_to_new(as_, big):  # noqa: F811
    response = as_("manager").post(f"{API}/{big.pk}/transition/", {"to_status": "new"})
    assert response.status_code == 400  # in progress -> new is not a move the machine allows
    WorklistItem.objects.filter(pk=big.pk).update(status="assigned")
    response = as_("manager").post(f"{API}/{big.pk}/transition/", {"to_status": "new"})
    assert response.status_code == 200
    assert response.data["assignee"] is None


def test_api_assigned_needs_the_assign_action(as_, item):  # noqa: F811
    response = as_("biller").post(f"{API}/{item.pk}/transition/", {"to_status": "assigned"})
    assert response.status_code == 400
    assert "assign action" in response.data["detail"]


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("paid", {"resolution": "recovered_full", "control_point": "billing", "cause": "x"}),
        ("resubmit", {"on": "2025-03-01"}),
        ("follow_up", {"on": "2025-03-01"}),
    ],
)
def test_page_teammate_cannot_work_the_billers_item(page, big, action, data):
    response = page("teammate").post(
        f"/worklist/items/{big.pk}/{action}/", {f"{action}-{k}": v for k, v in data.items()}
    )
    assert response.status_code == 403
    assert "held by biller" in response.content.decode()
    big.refresh_from_db()
    assert (big.status, big.assignee.username, big.follow_up_on) == ("in_progress", "biller", None)


def test_page_recovered_amount_beyond_the_open_amount_is_refused(page, big):
    response = page("biller").post(
        f"/worklist/items/{big.pk}/paid/",
        {
            "paid-resolution": "recovered_partial",
            "paid-amount": "9000.00",
            "paid-control_point": "billing",
            "paid-cause": "Paid late",
        },
    )
    assert response.status_code == 400
    big.refresh_from_db()
    assert big.status == "in_progress"


def test_a_manager_rejects_a_requested_write_off(as_, big, page):  # noqa: F811
    as_("biller").post(
        f"{API}/{big.pk}/transition/",
        {"to_status": "resolved", "resolution": "written_off", "note": "Too late"},
        format="json",
    )
    assert WorklistItem.objects.get(pk=big.pk).write_off_requested
    refused = page("biller").post(
        f"/worklist/items/{big.pk}/reject_write_off/", {"reject_write_off-reason": "mine"}
    )
    assert refused.status_code == 403
    response = page("manager").post(
        f"/worklist/items/{big.pk}/reject_write_off/",
        {"reject_write_off-reason": "Proof of timely filing is on file: appeal it"},
    )
    assert response.status_code == 302
    big.refresh_from_db()
    assert (big.write_off_requested, big.status, big.assignee.username) == (
        False,
        "in_progress",
        "biller",
    )
    assert big.activities.last().note == (
        "Write-off rejected: Proof of timely filing is on file: appeal it"
    )


def test_next_item_on_a_team_queue_takes_from_that_team(page, item, people):  # noqa: F811
    from worklist.models import Team

    coding = Team.objects.get(slug="coding")
    coding.members.add(people["biller"])
    mine_elsewhere = make_item(item, priority=Decimal("9000"))  # the biller's other team
    in_coding = make_item(item, team=coding, priority=Decimal("5"))
    response = page("biller").post("/worklist/next/", {"team": "coding"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/worklist/items/{in_coding.pk}/")
    assert WorklistItem.objects.get(pk=mine_elsewhere.pk).assignee is None


def test_next_item_says_why_it_is_empty(page, people):  # noqa: F811
    response = page("manager").post("/worklist/next/", follow=True)
    assert "You are not on any team" in response.content.decode()
    response = page("biller").post("/worklist/next/", {"team": "coding"}, follow=True)
    assert "You are not a member of Coding" in response.content.decode()


def test_money_reads_with_the_sign_before_the_dollar():
    from remittance.formatting import money

    assert money(Decimal("-23635.07")) == "-$23,635.07"
    assert money(Decimal("1234567.5")) == "$1,234,567.50"
    assert money(Decimal("-23635.07"), 0) == "-$23,635"
    assert money(None) == "—"
