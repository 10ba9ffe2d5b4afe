"""Server-rendered pages: login required, lists, detail with codes in words, upload page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from remittance.models import Remittance
from remittance.services import remittance_process, remittance_receive

pytestmark = pytest.mark.django_db

PAGES = ["/remittances/", "/remittances/upload/", "/denials/"]


@pytest.fixture
def booked(data_file):
    path = data_file("pyx12_835-mult-loops.835")
    with open(path, "rb") as stream:
        received = remittance_receive(stream=stream, filename=path.name, source="upload")
    return remittance_process(remittance_id=received.remittance.pk)


@pytest.mark.parametrize("url", [*PAGES, "/remittances/1/"])
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_pages_render(client, user, url, booked):
    client.force_login(user)
    assert client.get(url).status_code == 200


def test_detail_shows_claims_codes_in_words_and_denials(client, manager, booked):
    client.force_login(manager)
    page = client.get(f"/remittances/{booked.pk}/").content.decode()
    assert "2005555A" in page  # patient control number
    assert "CO-16" in page
    assert "lacks information" in page.lower()  # CARC 16 in words
    assert "N14" in page
    assert "Denied" in page


def test_detail_query_count_does_not_grow_with_claims(client, manager, data_file):
    path = data_file("oopfactory_4010-deident-01.835")
    with open(path, "rb") as stream:
        received = remittance_receive(stream=stream, filename=path.name, source="upload")
    remittance = remittance_process(remittance_id=received.remittance.pk)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/remittances/{remittance.pk}/").status_code == 200
    assert len(queries) < 25, "\n".join(q["sql"][:150] for q in queries)


def test_viewing_a_remittance_is_audited(client, user, booked):
    client.force_login(user)
    client.get(f"/remittances/{booked.pk}/")
    event = AuditEvent.objects.get(action="view")
    assert event.actor == user
    assert event.object_id == str(booked.pk)


def test_failed_remittance_shows_its_error(client, user, data_file):
    with open(data_file("pyx12_testdata-bad-header-looping.835"), "rb") as stream:
        received = remittance_receive(stream=stream, filename="bad.835", source="upload")
    remittance_process(remittance_id=received.remittance.pk)
    client.force_login(user)
    page = client.get(f"/remittances/{received.remittance.pk}/").content.decode()
    assert "Rejected" in page and "bad.835: segment" in page
    assert Remittance.objects.get().status == "failed"


def test_missing_remittance_is_404(client, user):
    client.force_login(user)
    assert client.get("/remittances/999999/").status_code == 404


def test_biller_sees_only_claims_of_their_teams(client, user, booked):
    client.force_login(user)  # on no team
    page = client.get(f"/remittances/{booked.pk}/").content.decode()
    assert "2005555A" not in page


def test_integration_account_cannot_open_pages(client, django_user_model):
    from django.contrib.auth.models import Group

    robot = django_user_model.objects.create_user(username="clearinghouse")
    robot.groups.add(Group.objects.get_or_create(name="integration")[0])
    client.force_login(robot)
    assert client.get("/remittances/").status_code == 403
