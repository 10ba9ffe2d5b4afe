"""One remittance through the real stack: REST -> Redis -> Celery worker -> PostgreSQL."""

import io
import os
import signal
import time

import pytest

from denials.models import Denial
from remittance.models import Remittance

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_posted_file_is_booked_by_a_live_worker(live_celery_worker, token_client, data_file):
    body = data_file("pyx12_835-mult-loops.835").read_bytes()
    response = token_client.post(
        "/api/v1/remittances/", data=body, content_type="application/edi-x12"
    )
    assert response.status_code == 202
    deadline = time.monotonic() + 60
    status = response.data
    while status["status"] not in ("processed", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        status = token_client.get(response.data["status_url"]).data
    assert status["status"] == "processed", status
    remittance = Remittance.objects.get(pk=response.data["id"])
    assert remittance.claim_count == 1
    assert Denial.objects.filter(remittance=remittance).count() == 1


def test_a_file_whose_worker_was_killed_mid_booking_is_booked_again(live_celery_worker):
    """SIGKILL a worker while it books a large file: its transaction dies with it (no
    half-booked rows), the file is left in processing with no worker holding it, and the
    sweep queues it again for the other worker, which books it once."""
    from datetime import timedelta

    from django.utils import timezone

    from remittance.generator import generate_file
    from remittance.models import Claim
    from remittance.pipeline import stuck_remittances
    from remittance.services import remittance_receive
    from remittance.tasks import remittance_process_task, remittance_sweep_task
    from tests.conftest import start_worker, wait_for_worker

    body = generate_file(claims=20_000, seed=5).encode("latin-1")
    remittance = remittance_receive(
        stream=io.BytesIO(body), filename="big.835", source="api"
    ).remittance
    queue = f"doomed-{os.getpid()}"  # its own queue: nothing left over from another run
    doomed = start_worker("doomed", f"--queues={queue}")
    try:
        wait_for_worker(doomed, "doomed")
        remittance_process_task.apply_async(args=[remittance.pk], queue=queue)
        assert wait(lambda: _status(remittance.pk) == "processing", 60)
        time.sleep(0.5)  # well inside a booking that takes seconds
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    assert _status(remittance.pk) == "processing"
    assert not Claim.objects.filter(remittance_id=remittance.pk).exists()

    # Once PostgreSQL has rolled the dead worker's transaction back, no one holds the row.
    later = timezone.now() + timedelta(minutes=5)
    assert wait(lambda: stuck_remittances(now=later) == [remittance.pk], 30)
    Remittance.objects.filter(pk=remittance.pk).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    assert remittance_sweep_task.apply().get()["requeued"] == [remittance.pk]
    assert wait(lambda: _status(remittance.pk) == "processed", 120), _status(remittance.pk)
    booked = Remittance.objects.get(pk=remittance.pk)
    assert (booked.claim_count, booked.attempts) == (20_000, 2)
    assert Claim.objects.filter(remittance_id=remittance.pk).count() == 20_000


def _status(pk: int) -> str:
    return Remittance.objects.values_list("status", flat=True).get(pk=pk)


def wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
