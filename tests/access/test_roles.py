"""Roles are explicit: an active account with no role sees no patient data, even on a
team; the migration made billers of the accounts that worked as billers before."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import is_staff_member
from worklist.models import Team

from .conftest import client_for

pytestmark = pytest.mark.django_db

NO_ROLE = "Your account has no role yet; ask a manager"


@pytest.fixture
def nobody(django_user_model, team_a):
    """Active, signed in, on team A's team, but in no role group."""
    person = django_user_model.objects.create_user(username="nobody", password="pw-nobody-1")
    team_a.members.add(person)
    return person


@pytest.mark.parametrize(
    "url",
    ["/worklist/", "/worklist/teams/", "/denials/", "/remittances/", "/remittances/exceptions/"],
)
def test_an_account_with_no_role_gets_403_on_pages_with_the_reason(client, nobody, url):
    client.force_login(nobody)
    response = client.get(url)
    assert response.status_code == 403
    assert NO_ROLE in response.content.decode()


def test_an_account_with_no_role_gets_403_on_the_item_page(client, nobody, item):
    client.force_login(nobody)
    assert client.get(f"/worklist/items/{item.pk}/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/worklist/items/",
        "/api/v1/worklist/teams/",
        "/api/v1/claims/",
        "/api/v1/denials/",
        "/api/v1/remittances/",
        "/api/v1/posting-exceptions/",
    ],
)
def test_an_account_with_no_role_gets_403_from_the_api(nobody, item, url):
    response = client_for(nobody).get(url)
    assert response.status_code == 403
    assert NO_ROLE in response.data["detail"]


def test_joining_the_biller_group_opens_the_teams_items(client, nobody, item):
    assert not is_staff_member(nobody)
    nobody.groups.add(Group.objects.get_or_create(name="biller")[0])
    client.force_login(nobody)
    assert client.get(f"/worklist/items/{item.pk}/").status_code == 200


def test_an_inactive_account_has_no_role(people):
    biller = people["biller"]
    biller.is_active = False
    assert not is_staff_member(biller)


def test_migration_makes_billers_of_team_members_and_staff_only(django_user_model):
    migration = importlib.import_module("accounts.migrations.0002_role_groups")
    make = django_user_model.objects.create_user
    on_team = make("on-team")
    make("staff", is_staff=True)
    Team.objects.get(slug="coding").members.add(on_team)
    idle, inactive = make("idle"), make("gone", is_active=False)
    Team.objects.get(slug="coding").members.add(inactive)
    robot = make("robot", is_staff=True)
    robot.groups.add(Group.objects.get_or_create(name="integration")[0])
    root = django_user_model.objects.create_superuser("root", password="pw-root-1")
    migration.create_roles(apps, None)
    billers = set(Group.objects.get(name="biller").user_set.values_list("username", flat=True))
    assert billers == {"on-team", "staff"}
    assert {"biller", "manager", "integration"} <= set(Group.objects.values_list("name", flat=True))
    assert idle and root


def test_a_request_reads_the_users_roles_with_the_user(client, people, item):
    """One query for the signed-in user and their role groups (accounts.backends), however
    many role checks the page makes."""
    client.force_login(people["biller"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/worklist/items/{item.pk}/").status_code == 200
    reading_groups = [q["sql"] for q in queries if '"auth_group"' in q["sql"]]
    assert len(reading_groups) == 1
    assert reading_groups[0].startswith('SELECT "auth_user"."id"')


def test_a_role_taken_away_holds_from_the_next_request(client, people, item):
    biller = people["biller"]
    client.force_login(biller)
    assert client.get(f"/worklist/items/{item.pk}/").status_code == 200
    biller.groups.clear()
    assert client.get(f"/worklist/items/{item.pk}/").status_code == 403
    biller.groups.add(Group.objects.get(name="manager"))
    response = client.get(f"/worklist/items/{item.pk}/")
    assert response.status_code == 200 and response.context["is_manager"]
