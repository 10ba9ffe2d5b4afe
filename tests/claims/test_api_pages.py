"""The feed (JSON and CSV), the list and detail API and pages, access and payer aliases."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from audit.models import AuditEvent
from claims.models import PayerAlias, SubmittedClaim
from claims.services import submitted_claims_book
from remittance.models import Claim, Payer
from tests.factories import WorklistItemFactory

from .conftest import Clp, book_835, claim_in, render_835

pytestmark = pytest.mark.django_db

URL = "/api/v1/submitted-claims/"
GOOD = {
    "patient_control_number": "ACCT1",
    "payer_id": "PAYER01",
    "charge": "100.00",
    "submitted_on": "2026-01-11",
    "service_date_from": "2026-01-10",
    "diagnosis_codes": ["E11.9"],
    "lines": [{"procedure_code": "99213", "modifiers": ["25"], "charge": "100.00"}],
}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_feed_keeps_good_rows_and_reports_bad_ones(manager_client):
    bad = {**GOOD, "patient_control_number": "ACCT2", "charge": "lots"}
    bad_line = {**GOOD, "patient_control_number": "ACCT3", "lines": [{"charge": "-1"}]}
    response = manager_client.post(URL, {"claims": [GOOD, bad, bad_line, {**GOOD}]}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["created"] == 1 and response.data["duplicates"] == 1
    fields = {(e["row"], e["field"]) for e in response.data["errors"]}
    assert fields == {(1, "charge"), (2, "lines[0].charge")}
    assert [c["row"] for c in response.data["claims"]] == [0, 3]
    assert SubmittedClaim.objects.get().lines.get().modifiers == ["25"]
    again = manager_client.post(URL, {"claims": [GOOD]}, format="json")
    assert again.status_code == 200 and again.data["duplicates"] == 1


def test_feed_refuses_a_malformed_body(manager_client):
    assert manager_client.post(URL, {"rows": []}, format="json").status_code == 400
    assert manager_client.post(URL, [GOOD], format="json").status_code == 400


def test_integration_account_may_post_but_not_read(integration):
    client = client_for(integration)
    assert client.post(URL, {"claims": [GOOD]}, format="json").status_code == 201
    assert client.get(URL).status_code == 403


def test_list_filters_and_detail_with_timeline(manager_client):
    submitted_claims_book(claims=[claim_in(), claim_in("ACCT2")], source="feed")
    book_835(render_835([Clp("ACCT1", icn="ICN1")]))
    response = manager_client.get(URL, {"patient_control_number": "ACCT1"})
    assert response.status_code == 200
    (row,) = response.data["results"]
    remittance_claim = Claim.objects.get()
    assert row["adjudications"] == [remittance_claim.pk]
    assert row["payer"]["name"] == "TEST PAYER" and row["payer_id"] == "PAYER01"
    assert "patient_last_name" not in row and "member_id" not in row
    assert manager_client.get(URL, {"status": "submitted"}).data["count"] == 1
    detail = manager_client.get(f"{URL}{row['id']}/")
    assert [e["kind"] for e in detail.data["timeline"]] == ["submitted", "adjudicated_paid"]
    assert AuditEvent.objects.filter(object_type="claims.submittedclaim", action="view").exists()


def test_outsider_sees_nothing_and_biller_sees_own_teams_claims(biller, outsider):
    submitted_claims_book(claims=[claim_in(), claim_in("ACCT2")], source="feed")
    book_835(render_835([Clp("ACCT1", status="4", paid="0.00"), Clp("ACCT2")]))
    WorklistItemFactory(claim=Claim.objects.get(patient_control_number="ACCT1"))
    mine = SubmittedClaim.objects.get(patient_control_number="ACCT1")
    other = SubmittedClaim.objects.get(patient_control_number="ACCT2")
    as_biller = client_for(biller)
    assert [r["id"] for r in as_biller.get(URL).data["results"]] == [mine.pk]
    assert as_biller.get(f"{URL}{other.pk}/").status_code == 404
    as_outsider = client_for(outsider)
    assert as_outsider.get(URL).data["results"] == []
    assert as_outsider.get(f"{URL}{mine.pk}/").status_code == 404
    as_outsider.force_login(outsider)
    assert as_outsider.get(f"/claims/{mine.pk}/").status_code == 404


def test_pages_list_detail_and_csv_upload(client, manager):
    client.force_login(manager)
    csv = (
        "patient_control_number,payer_id,charge,submitted_on,diagnosis_codes,line_charge,"
        "line_procedure_code\n"
        "ACCT1,PAYER01,100.00,2026-01-11,E11.9 I10,100.00,99213\n"
        "ACCT2,PAYER01,abc,2026-01-11,,,\n"
        "ACCT3,PAYER01,50,,,,\n"
    )
    upload = SimpleUploadedFile("claims.csv", csv.encode(), content_type="text/csv")
    response = client.post("/claims/upload/", {"file": upload})
    assert response.status_code == 200
    errors = {(e["row"], e["field"]) for e in response.context["result"]["errors"]}
    assert errors == {(3, "charge"), (4, "submitted_on")}
    claim = SubmittedClaim.objects.get()
    assert claim.diagnosis_codes == ["E11.9", "I10"] and claim.lines.count() == 1
    page = client.get("/claims/", {"status": "submitted"})
    assert page.status_code == 200 and b"ACCT1" in page.content
    detail = client.get(f"/claims/{claim.pk}/")
    assert detail.status_code == 200 and b"Timeline" in detail.content
    assert b"Submitted claims" in client.get("/claims/").content  # nav link


def test_payer_alias_crud_for_managers_only(manager_client, api_client):
    payer = Payer.objects.create(key="id:ERA", name="ERA PAYER", identifier="ERA")
    submitted_claims_book(claims=[claim_in(payer_identifier="SUB")], source="feed")
    response = manager_client.post(
        "/api/v1/payer-aliases/", {"identifier": "sub", "payer": payer.pk}, format="json"
    )
    assert response.status_code == 201, response.data
    alias = PayerAlias.objects.get()
    assert alias.identifier == "SUB" and SubmittedClaim.objects.get().payer == payer
    assert AuditEvent.objects.filter(object_type="claims.payeralias", action="create").exists()
    edited = manager_client.patch(
        f"/api/v1/payer-aliases/{alias.pk}/", {"note": "837 id differs"}, format="json"
    )
    assert edited.status_code == 200 and edited.data["note"] == "837 id differs"
    assert api_client.get("/api/v1/payer-aliases/").status_code == 403
    deleted = manager_client.delete(f"/api/v1/payer-aliases/{alias.pk}/")
    assert deleted.status_code == 204 and not PayerAlias.objects.exists()


def test_payer_alias_page(client, manager, biller):
    payer = Payer.objects.create(key="id:ERA", name="ERA PAYER", identifier="ERA")
    client.force_login(biller)
    assert client.get("/claims/payer-aliases/").status_code == 403
    client.force_login(manager)
    response = client.post("/claims/payer-aliases/new/", {"identifier": "x1", "payer": payer.pk})
    assert response.status_code == 302
    assert PayerAlias.objects.get().identifier == "X1"
    assert b"X1" in client.get("/claims/payer-aliases/").content
