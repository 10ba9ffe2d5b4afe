"""The remittance REST API: 202 and status, 400 on garbage, duplicates, auth, size limit."""

import pytest
from rest_framework.test import APIClient

from remittance.models import Claim, Remittance

pytestmark = pytest.mark.django_db

URL = "/api/v1/remittances/"


def post_raw(client, body: bytes, content_type="application/edi-x12"):
    return client.post(URL, data=body, content_type=content_type)


def test_raw_body_is_accepted_and_booked(
    token_client, data_file, django_capture_on_commit_callbacks
):
    body = data_file("lfh-x12_managed-care.835").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_raw(token_client, body)
    assert response.status_code == 202, response.content
    assert response["Location"].endswith(f"{URL}{response.data['id']}/")
    status = token_client.get(response.data["status_url"])
    assert status.status_code == 200
    assert status.data["status"] == "processed"
    assert status.data["counts"]["claims"] == 2
    assert status.data["source"] == "api"
    assert Remittance.objects.get().raw.read() == body  # kept verbatim


def test_multipart_upload_is_accepted(api_client, data_file, django_capture_on_commit_callbacks):
    with (
        open(data_file("pyx12_835-mult-loops.835"), "rb") as fh,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_client.post(URL, {"file": fh}, format="multipart")
    assert response.status_code == 202, response.content
    remittance = Remittance.objects.get(pk=response.data["id"])
    assert remittance.filename == "pyx12_835-mult-loops.835"
    assert remittance.status == "processed"
    assert remittance.denial_count == 1


def test_garbage_is_refused_with_400_and_stored_as_failed(token_client):
    response = post_raw(token_client, b"<html>not a remittance</html>", "text/plain")
    assert response.status_code == 400
    assert "not an X12 file" in response.data["detail"]
    remittance = Remittance.objects.get(pk=response.data["id"])
    assert remittance.status == "failed"
    assert remittance.raw.read() == b"<html>not a remittance</html>"


def test_empty_body_is_refused(token_client):
    response = post_raw(token_client, b"")
    assert response.status_code == 400


def test_same_file_posted_twice_answers_with_the_first_id(
    token_client, data_file, django_capture_on_commit_callbacks
):
    body = data_file("lfh-x12_managed-care.835").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        first = post_raw(token_client, body)
        second = post_raw(token_client, body)
    assert first.status_code == 202
    assert second.status_code == 200
    assert second.data["id"] == first.data["id"]
    assert second.data["duplicate"] is True
    assert Remittance.objects.count() == 1
    assert Claim.objects.count() == 2


def test_structural_error_is_reported_on_the_status_url(
    token_client, data_file, django_capture_on_commit_callbacks
):
    body = data_file("pyx12_testdata-bad-header-looping.835").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_raw(token_client, body)
    assert response.status_code == 202
    status = token_client.get(response.data["status_url"]).data
    assert status["status"] == "failed"
    assert status["error"].startswith("remittance.835: segment ")
    assert status["error_detail"]["segment_id"]


def test_authentication_is_required(data_file):
    client = APIClient()
    response = post_raw(client, data_file("lfh-x12_managed-care.835").read_bytes())
    assert response.status_code in (401, 403)
    assert client.get(URL).status_code in (401, 403)
    assert Remittance.objects.count() == 0


def test_body_over_the_limit_gets_413(token_client, settings):
    settings.REMITTANCE_MAX_UPLOAD_BYTES = 100
    response = post_raw(token_client, b"ISA" + b"*" * 200)
    assert response.status_code == 413
    assert Remittance.objects.count() == 0


def test_list_filters_by_status(token_client, data_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_raw(token_client, data_file("lfh-x12_managed-care.835").read_bytes())
    post_raw(token_client, b"garbage", "text/plain")
    failed = token_client.get(URL, {"status": "failed"}).data
    assert failed["count"] == 1
    assert token_client.get(URL, {"status": "processed"}).data["count"] == 1


def test_denials_endpoint_filters(
    token_client, manager_client, data_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_raw(token_client, data_file("pyx12_835-mult-loops.835").read_bytes())
    # The poster is on no team, so sees none of the patient data; a manager sees it all.
    assert token_client.get("/api/v1/denials/").data["count"] == 0
    token_client = manager_client
    denials = token_client.get("/api/v1/denials/").data
    assert denials["count"] == 1
    assert denials["results"][0]["level"] == "claim"
    assert token_client.get("/api/v1/denials/", {"category": "duplicate"}).data["count"] == 0


def test_openapi_schema_and_docs(api_client):
    assert api_client.get("/api/schema/").status_code == 200
    assert api_client.get("/api/docs/").status_code == 200


def test_large_body_streams_to_disk_past_djangos_memory_limits(token_client, settings):
    # Several times Django's in-memory limits: accepted, spooled to a temporary file.
    from remittance.generator import generate_file

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1 << 20
    body = generate_file(claims=8000, seed=5).encode("latin-1")
    assert len(body) > 3 * (1 << 20)
    response = post_raw(token_client, body)
    assert response.status_code == 202, response.content
    remittance = Remittance.objects.get(pk=response.data["id"])
    assert remittance.size == len(body)
    assert remittance.raw.read() == body


def test_integration_account_posts_and_reads_status_but_no_patient_data(
    data_file, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    robot = django_user_model.objects.create_user(username="clearinghouse")
    robot.groups.add(Group.objects.get_or_create(name="integration")[0])
    client = APIClient()
    client.force_authenticate(user=robot)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_raw(client, data_file("pyx12_835-mult-loops.835").read_bytes())
    assert response.status_code == 202
    assert client.get(response.data["status_url"]).data["status"] == "processed"
    assert client.get("/api/v1/claims/").status_code == 403
    assert client.get("/api/v1/denials/").status_code == 403
    assert client.get("/api/v1/worklist/items/").status_code == 403


def test_openapi_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/worklist/items/" in (tmp_path / "schema.yml").read_text()
