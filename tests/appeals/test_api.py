"""The appeals REST API: the exact contract integrations use, scoping (another team's
appeal is a 404), refusals as 400s with the reason, and the filters."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from appeals.models import Appeal
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
API = "/api/v1/appeals/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_appeal_contract_from_start_to_decision(appealable, biller):
    api = client_for(biller)
    response = api.post(API, {"item": appealable.pk, "level": "first"}, format="json")
    assert response.status_code == 201, response.data
    body = response.json()
    assert {"id", "level", "status", "deadline"} <= body.keys()
    assert (body["level"], body["status"]) == ("first", "draft")
    assert body["deadline"] == appealable.appeal_deadline.isoformat()
    pk = body["id"]

    today = timezone.localdate().isoformat()
    response = api.post(
        f"{API}{pk}/submit/",
        {"method": "portal", "submitted_on": today, "reference": "WEB-1"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert (response.json()["status"], response.json()["reference"]) == ("submitted", "WEB-1")

    response = api.post(
        f"{API}{pk}/decide/",
        {"outcome": "partially_overturned", "recovered_amount": "250.00"},
        format="json",
    )
    assert response.status_code == 200, response.data
    detail = api.get(f"{API}{pk}/").json()
    assert detail["status"] == "decided"
    assert detail["outcome"] == "partially_overturned"
    assert D(detail["recovered_amount"]) == D("250.00")
    assert detail["decided_on"] == today
    assert detail["decided_by"] == "biller"
    assert AuditEvent.objects.filter(
        object_type="appeals.appeal", object_id=str(pk), action="view", channel="api"
    ).exists()


def test_an_undecided_appeal_reads_outcome_null(appealable, biller):
    api = client_for(biller)
    pk = api.post(API, {"item": appealable.pk}, format="json").json()["id"]
    detail = api.get(f"{API}{pk}/").json()
    assert (detail["outcome"], detail["decided_on"], detail["decided_by"]) == (None, None, None)


def test_another_teams_appeal_is_a_404(appealable, biller, outsider):
    pk = client_for(biller).post(API, {"item": appealable.pk}, format="json").json()["id"]
    api = client_for(outsider)
    assert api.get(f"{API}{pk}/").status_code == 404
    assert api.post(f"{API}{pk}/decide/", {"outcome": "upheld"}, format="json").status_code == 404
    assert api.get(f"{API}{pk}/letter.pdf").status_code == 404
    assert api.get(API).json()["results"] == []
    # ...nor can an appeal be started on an item the user cannot see.
    assert api.post(API, {"item": appealable.pk}, format="json").status_code == 404


def test_refusals_are_400s_with_the_reason(appealable, biller):
    api = client_for(biller)
    pk = api.post(API, {"item": appealable.pk}, format="json").json()["id"]
    response = api.post(API, {"item": appealable.pk}, format="json")
    assert response.status_code == 400
    assert "already has an open" in response.json()["detail"]
    response = api.post(f"{API}{pk}/decide/", {"outcome": "upheld"}, format="json")
    assert response.status_code == 400 and "submitted first" in response.json()["detail"]
    future = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    response = api.post(
        f"{API}{pk}/submit/", {"method": "portal", "submitted_on": future}, format="json"
    )
    assert response.status_code == 400 and "future" in response.json()["detail"]
    for bad in ({"method": "pigeon", "submitted_on": "2025-01-01"}, {"method": "portal"}):
        assert api.post(f"{API}{pk}/submit/", bad, format="json").status_code == 400
    assert api.post(API, {"item": "x"}, format="json").status_code == 400
    assert (
        api.post(API, {"item": appealable.pk, "level": "ninth"}, format="json").status_code == 400
    )


def test_the_letter_pdf_is_a_pdf(appealable, biller):
    api = client_for(biller)
    pk = api.post(API, {"item": appealable.pk}, format="json").json()["id"]
    response = api.get(f"{API}{pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_filters_open_and_overdue(appealable, biller):
    api = client_for(biller)
    pk = api.post(API, {"item": appealable.pk}, format="json").json()["id"]
    Appeal.objects.filter(pk=pk).update(
        status="submitted", expected_decision_on=timezone.localdate() - timezone.timedelta(days=4)
    )
    rows = api.get(API, {"overdue": "true"}).json()["results"]
    assert [(r["id"], r["days_overdue"]) for r in rows] == [(pk, 4)]
    assert api.get(API, {"open": "false"}).json()["results"] == []
    assert api.get(API, {"status": "bogus"}).status_code == 400


def test_evidence_is_attached_through_the_api(appealable, biller, outsider, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    api = client_for(biller)
    pk = api.post(API, {"item": appealable.pk}, format="json").json()["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    upload = SimpleUploadedFile("chart.pdf", png)  # the name lies; the content decides
    response = api.post(
        f"{API}{pk}/evidence/", {"file": upload, "description": "Chart"}, format="multipart"
    )
    assert response.status_code == 201, response.data
    assert (response.json()["content_type"], response.json()["description"]) == (
        "image/png",
        "Chart",
    )
    bad = SimpleUploadedFile("run.pdf", b"MZ\x90\x00 not a document")
    response = api.post(f"{API}{pk}/evidence/", {"file": bad}, format="multipart")
    assert response.status_code == 400 and "run.pdf" in response.json()["detail"]
    assert api.post(f"{API}{pk}/evidence/", {}, format="multipart").status_code == 400
    settings.APPEALS_EVIDENCE_MAX_BYTES = 10
    big = SimpleUploadedFile("big.png", png)
    assert api.post(f"{API}{pk}/evidence/", {"file": big}, format="multipart").status_code == 413
    other = client_for(outsider).post(
        f"{API}{pk}/evidence/", {"file": SimpleUploadedFile("x.png", png)}, format="multipart"
    )
    assert other.status_code == 404
    assert [e["name"] for e in api.get(f"{API}{pk}/").json()["evidence"]] == ["chart.pdf"]
