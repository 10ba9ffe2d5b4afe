"""The appeals pages: start from an item (proposal, route refusal in words), the appeal
page and its actions, the list with its filters, and who may open what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from appeals.models import Appeal
from appeals.services import appeal_start, appeal_submit
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_start_page_proposes_and_starts(appealable, biller):
    page = client_for(biller)
    body = page.get(f"/appeals/start/{appealable.pk}/").content.decode()
    assert "First level" in body
    assert appealable.appeal_deadline.isoformat() in body
    assert "CO-50" in body
    response = page.post(
        f"/appeals/start/{appealable.pk}/", {"kind": "appeal", "argument": "Needed care."}
    )
    appeal = Appeal.objects.get(item=appealable)
    assert response.status_code == 302 and response.url == f"/appeals/{appeal.pk}/"
    assert appeal.argument == "Needed care."


def test_a_refused_route_says_why_on_the_page(book, biller):
    from tests.worklist.test_services import denied
    from worklist.models import WorklistItem

    book(denied("TF9", "29", "300.00"), trace="P1")
    item = WorklistItem.objects.get(patient_control_number="TF9")
    item.team.members.add(biller)
    page = client_for(biller)
    assert "proof of timely filing" in page.get(f"/appeals/start/{item.pk}/").content.decode()
    response = page.post(f"/appeals/start/{item.pk}/", {"kind": "appeal"})
    assert response.status_code == 400
    assert "proof of timely filing" in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_appeal_page_and_its_actions(appealable, biller):
    appeal = appeal_start(item=appealable, actor=biller, argument="First draft.")
    page = client_for(biller)
    body = page.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "First draft." in body and "Draft" in body
    assert AuditEvent.objects.filter(
        object_type="appeals.appeal", object_id=str(appeal.pk), action="view", channel="page"
    ).exists()
    preview = page.post(f"/appeals/{appeal.pk}/preview/", {"edit-argument": "Typed, unsaved."})
    assert "Typed, unsaved." in preview.content.decode()
    appeal.refresh_from_db()
    assert appeal.argument == "First draft."
    response = page.post(f"/appeals/{appeal.pk}/edit/", {"edit-argument": "Saved argument."})
    assert response.status_code == 302
    today = timezone.localdate().isoformat()
    response = page.post(
        f"/appeals/{appeal.pk}/submit/",
        {"submit-method": "mail", "submit-submitted_on": today, "submit-reference": "CERT-9"},
    )
    assert response.status_code == 302
    response = page.post(f"/appeals/{appeal.pk}/decide/", {"decide-outcome": "won"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = page.post(
        f"/appeals/{appeal.pk}/decide/",
        {"decide-outcome": "upheld", "decide-decided_on": today},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.argument, appeal.status, appeal.outcome) == (
        "Saved argument.",
        "decided",
        "upheld",
    )
    body = page.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "Take it to the next level" in body
    assert page.post(f"/appeals/{appeal.pk}/fly/").status_code == 404


def test_the_list_shows_overdue_appeals(appealable, biller):
    appeal = appeal_start(item=appealable, actor=biller)
    appeal_submit(
        appeal=appeal,
        actor=biller,
        method="fax",
        submitted_on=timezone.localdate() - timezone.timedelta(days=75),
    )
    body = client_for(biller).get("/appeals/?overdue=true").content.decode()
    assert f"#{appeal.pk}" in body and "overdue 15 days" in body
    assert f"#{appeal.pk}" not in client_for(biller).get("/appeals/?overdue=false").content.decode()


def test_outsiders_and_integrations_are_kept_out(appealable, biller, outsider, integration):
    appeal = appeal_start(item=appealable, actor=biller)
    assert client_for(outsider).get(f"/appeals/{appeal.pk}/").status_code == 404
    assert client_for(outsider).get(f"/appeals/start/{appealable.pk}/").status_code == 404
    assert f"#{appeal.pk}" not in client_for(outsider).get("/appeals/").content.decode()
    assert client_for(integration).get("/appeals/").status_code == 403
