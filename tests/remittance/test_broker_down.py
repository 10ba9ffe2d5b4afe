"""With the broker unreachable an upload is stored and answered in JSON (503 with
Retry-After), never an HTML 500; posting it again once the broker is back queues it, and
the sweep books it anyway."""

from datetime import timedelta

import pytest
from django.utils import timezone

from remittance.models import Remittance
from remittance.tasks import remittance_sweep_task

pytestmark = pytest.mark.django_db

URL = "/api/v1/remittances/"


def post(client, body: bytes):
    return client.post(URL, data=body, content_type="application/edi-x12")


def test_upload_with_the_broker_down_is_stored_and_answered_503(
    token_client, data_file, broker_unreachable
):
    body = data_file("lfh-x12_managed-care.835").read_bytes()
    with broker_unreachable():
        response = post(token_client, body)
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert response["Retry-After"] == "60"
        assert response.data["queued"] is False
        assert "booked automatically once the queue is back" in response.data["detail"]
        remittance = Remittance.objects.get(pk=response.data["id"])
        assert (remittance.status, remittance.queued_at is not None) == ("received", True)
        assert remittance.raw.read() == body

        again = post(token_client, body)  # still down: same answer, same remittance
        assert (again.status_code, again.data["id"]) == (503, remittance.pk)
        assert again.data["duplicate"] is True
    assert Remittance.objects.count() == 1

    # The broker is back (tasks run in-process here): posting again queues and books it.
    back = post(token_client, body)
    assert back.status_code == 202, back.data
    assert (back.data["id"], back.data["duplicate"], back.data["queued"]) == (
        remittance.pk,
        True,
        True,
    )
    remittance.refresh_from_db()
    assert remittance.status == "processed"
    # Now it is booked: the same file again is a plain duplicate.
    assert post(token_client, body).status_code == 200


def test_the_sweep_books_a_file_the_broker_never_took(token_client, data_file, broker_unreachable):
    body = data_file("tastypackets_profee.835").read_bytes()
    with broker_unreachable():
        response = post(token_client, body)
        assert response.status_code == 503
        # While the broker is down the sweep cannot queue it either; nothing breaks.
        Remittance.objects.update(queued_at=timezone.now() - timedelta(hours=1))
        assert remittance_sweep_task.apply().get() == {"requeued": [], "given_up": []}
    Remittance.objects.update(queued_at=timezone.now() - timedelta(hours=1))
    assert remittance_sweep_task.delay().get()["requeued"] == [response.data["id"]]
    assert Remittance.objects.get().status == "processed"


def test_a_re_upload_reports_its_own_file_name(api_client, data_file):
    with open(data_file("pyx12_835-mult-loops.835"), "rb") as fh:
        first = api_client.post(URL, {"file": fh}, format="multipart")
    assert first.status_code == 202
    body = data_file("pyx12_835-mult-loops.835").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("renamed-copy.835", body)
    again = api_client.post(URL, {"file": upload}, format="multipart")
    assert again.status_code == 200
    assert again.data["duplicate"] is True
    assert again.data["received_filename"] == "renamed-copy.835"
    assert again.data["filename"] == "pyx12_835-mult-loops.835"
    assert again.data["detail"] == (
        "renamed-copy.835: the same file was received before as remittance "
        f"{first.data['id']} (pyx12_835-mult-loops.835)."
    )
