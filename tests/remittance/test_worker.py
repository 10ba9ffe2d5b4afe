"""One remittance through the real stack: REST -> Redis -> Celery worker -> PostgreSQL."""

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
