"""Posting exceptions: a bad claim or transaction is kept aside and the rest of the file
books; staff list and resolve them (service, API, pages, command)."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from rest_framework.test import APIClient

from audit.models import AuditEvent
from remittance.models import Claim, Era, PostingException, Remittance
from remittance.services import (
    PostingExceptionResolved,
    posting_exception_resolve,
    remittance_process,
    remittance_receive,
)

pytestmark = pytest.mark.django_db

EMEDNY = "edi835parser_emedny-sample.835"
SECOND_CLP = "CLP*PATIENT ACCOUNT NUMBER*2*34*0**MC*1000220000000020*11"


def ingest_text(tmp_path, text, name="remit.835"):
    path = tmp_path / name
    path.write_text(text, encoding="latin-1")
    with open(path, "rb") as stream:
        received = remittance_receive(stream=stream, filename=name, source="command")
    return remittance_process(remittance_id=received.remittance.pk)


def emedny(data_file):
    return data_file(EMEDNY).read_text(encoding="latin-1")


@pytest.fixture
def quarantined(data_file, tmp_path):
    return ingest_text(tmp_path, emedny(data_file).replace(SECOND_CLP, "CLP*090909*22"))


@pytest.fixture
def integration(django_user_model):
    robot = django_user_model.objects.create_user(username="clearinghouse")
    robot.groups.add(Group.objects.get_or_create(name="integration")[0])
    return robot


def broken_then_good(text):
    """The sample's transaction twice: a header segment after LX breaks the first."""
    body = text[text.index("ST*835") : text.index("GE*")]
    broken = body.replace("ST*835*1740", "ST*835*1741").replace("LX*1~", "LX*1~BPR*I*1~")
    return text.replace("ST*835*1740", f"{broken}ST*835*1740").replace("GE*1*", "GE*2*")


# -- booking -----------------------------------------------------------------------------------


def test_bad_claim_is_kept_as_a_posting_exception_and_the_others_book(quarantined):
    assert quarantined.status == "processed", quarantined.error
    assert quarantined.claim_count == 2 and quarantined.posting_exception_count == 1
    assert quarantined.service_line_count == 8
    assert quarantined.payment_total == Decimal("45.75")
    assert Claim.objects.filter(remittance=quarantined).count() == 2
    held = PostingException.objects.get()
    assert (held.level, held.status, held.claim_position) == ("claim", "open", 1)
    assert held.era == Era.objects.get(remittance=quarantined)
    assert held.patient_control_number == "090909"
    assert (held.segment_number, held.segment_id, held.element) == (34, "CLP", 3)
    assert held.raw_segments.startswith("CLP*090909*22~NM1*QC*1*SUBMITTED LAST")
    assert held.raw_segments.endswith("CAS*CO*29*22~")
    assert "expected a decimal amount" in held.message
    assert any(
        "claim 2 ('090909', transaction segment 32) quarantined as a posting exception" in w
        for w in quarantined.warnings
    )


def test_payment_warning_names_the_quarantined_claim(data_file, tmp_path):
    text = emedny(data_file).replace("AMT*AU*34.25~", "AMT*AU*34.2X~")
    remittance = ingest_text(tmp_path, text)
    assert remittance.status == "processed"
    assert remittance.claim_paid_total == Decimal("11.5")
    (warning,) = [w for w in remittance.warnings if "BPR02" in w]
    assert "BPR02 payment 45.75 reconciles once quarantined claim 'PATIENT ACCOUNT NUMBER'" in (
        warning
    )
    assert "(AMT), element 02" in warning


def test_broken_transaction_fails_alone_and_the_next_one_books(data_file, tmp_path):
    remittance = ingest_text(tmp_path, broken_then_good(emedny(data_file)))
    assert remittance.status == "processed", remittance.error
    assert remittance.transaction_count == 2
    assert remittance.claim_count == 3 and remittance.posting_exception_count == 1
    assert remittance.payment_total == Decimal("45.75")  # the booked one only
    held = PostingException.objects.get()
    assert (held.level, held.era, held.transaction_position) == ("transaction", None, 0)
    assert (held.transaction_control_number, held.segment_id) == ("1741", "BPR")
    assert held.raw_segments.startswith("ST*835*1741~BPR*I*45.75")
    assert held.raw_segments.endswith("SE*65*1740~")
    assert any("not booked; kept as a posting exception" in w for w in remittance.warnings)
    assert Era.objects.count() == 1


def test_file_whose_only_transaction_is_broken_is_failed_and_writes_nothing(data_file, tmp_path):
    remittance = ingest_text(tmp_path, emedny(data_file).replace("LX*1~", "LX*1~BPR*I*1~"))
    assert remittance.status == "failed"
    assert remittance.error.startswith("remit.835: segment 15 (BPR)")
    assert remittance.error_detail["segment_id"] == "BPR"
    assert PostingException.objects.count() == 0
    assert Era.objects.count() == 0 and Claim.objects.count() == 0


def test_transactions_already_booked_are_counted_apart_with_one_summary_line(data_file):
    with open(data_file(EMEDNY), "rb") as stream:
        first = remittance_receive(stream=stream, filename="a.835", source="command")
    remittance_process(remittance_id=first.remittance.pk)
    with open(data_file("tastypackets_profee.835"), "rb") as stream:
        second = remittance_receive(stream=stream, filename="b.835", source="command")
    remittance = remittance_process(remittance_id=second.remittance.pk)
    assert remittance.transaction_count == 1 and remittance.duplicate_transaction_count == 1
    assert remittance.claim_count == 0 and remittance.service_line_count == 0
    assert remittance.denial_count == 0 and remittance.payment_total == 0
    assert f"1 of 1 transaction was already booked from remittance {first.remittance.pk}" in (
        remittance.warnings
    )
    assert any("not booked again" in w for w in remittance.warnings)


# -- resolving ---------------------------------------------------------------------------------


def test_resolving_records_who_when_and_why_with_an_audit_row(quarantined, manager):
    held = PostingException.objects.get()
    posting_exception_resolve(exception=held, actor=manager, note="posted by hand")
    held.refresh_from_db()
    assert (held.status, held.resolved_by, held.resolution_note) == (
        "resolved",
        manager,
        "posted by hand",
    )
    assert held.resolved_at is not None
    event = AuditEvent.objects.get(action="change")
    assert (event.object_type, event.object_id) == ("remittance.postingexception", str(held.pk))
    assert "posted by hand" not in event.detail
    with pytest.raises(PostingExceptionResolved):
        posting_exception_resolve(exception=held, actor=manager, note="again")


# -- API ---------------------------------------------------------------------------------------

API = "/api/v1/posting-exceptions/"


def test_api_lists_and_filters(api_client, quarantined):
    response = api_client.get(API)
    assert response.status_code == 200
    assert [row["level"] for row in response.data["results"]] == ["claim"]
    assert "raw_segments" not in response.data["results"][0]
    assert api_client.get(API, {"status": "resolved"}).data["count"] == 0
    assert api_client.get(API, {"remittance": quarantined.pk}).data["count"] == 1
    assert api_client.get(API, {"remittance": quarantined.pk + 1}).data["count"] == 0


def test_api_detail_is_audited(api_client, user, quarantined):
    held = PostingException.objects.get()
    response = api_client.get(f"{API}{held.pk}/")
    assert response.status_code == 200
    assert response.data["raw_segments"].startswith("CLP*090909*22~")
    event = AuditEvent.objects.get(action="view", object_type="remittance.postingexception")
    assert (event.actor, event.object_id, event.channel) == (user, str(held.pk), "api")


def test_api_resolve(api_client, quarantined):
    held = PostingException.objects.get()
    url = f"{API}{held.pk}/resolve/"
    response = api_client.post(url, {"note": "keyed in"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "resolved" and response.data["resolution_note"] == "keyed in"
    assert AuditEvent.objects.filter(action="change", channel="api").count() == 1
    assert api_client.post(url, {"note": "again"}, format="json").status_code == 409


def test_api_refuses_integration_accounts_and_strangers(integration, quarantined):
    held = PostingException.objects.get()
    client = APIClient()
    assert client.get(API).status_code in (401, 403)
    client.force_authenticate(user=integration)
    assert client.get(API).status_code == 403
    assert client.get(f"{API}{held.pk}/").status_code == 403
    assert client.post(f"{API}{held.pk}/resolve/", {}, format="json").status_code == 403
    assert PostingException.objects.get().status == "open"


def test_api_missing_exception_is_404(api_client):
    assert api_client.get(f"{API}999999/").status_code == 404


# -- pages -------------------------------------------------------------------------------------


def test_list_page_and_link_from_the_remittance(client, user, quarantined):
    client.force_login(user)
    page = client.get("/remittances/exceptions/?status=open")
    assert page.status_code == 200
    held = PostingException.objects.get()
    assert f"/remittances/exceptions/{held.pk}/" in page.content.decode()
    detail = client.get(f"/remittances/{quarantined.pk}/").content.decode()
    assert f"/remittances/exceptions/?remittance={quarantined.pk}" in detail
    assert 'href="/remittances/exceptions/?status=open"' in detail  # the nav link


def test_detail_page_is_audited_and_resolves(client, manager, quarantined):
    held = PostingException.objects.get()
    client.force_login(manager)
    page = client.get(f"/remittances/exceptions/{held.pk}/")
    assert page.status_code == 200
    assert "CLP*090909*22~" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="view", object_type="remittance.postingexception", object_id=str(held.pk)
    ).exists()
    response = client.post(f"/remittances/exceptions/{held.pk}/", {"note": "done by hand"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.resolved_by) == ("resolved", manager)
    again = client.post(f"/remittances/exceptions/{held.pk}/", {"note": "twice"}, follow=True)
    assert "already resolved" in again.content.decode()


def test_pages_refuse_integration_accounts(client, integration, quarantined):
    held = PostingException.objects.get()
    client.force_login(integration)
    assert client.get("/remittances/exceptions/").status_code == 403
    assert client.get(f"/remittances/exceptions/{held.pk}/").status_code == 403
    assert client.post(f"/remittances/exceptions/{held.pk}/", {"note": "x"}).status_code == 403
    assert PostingException.objects.get().status == "open"


def test_pages_require_login(client):
    response = client.get("/remittances/exceptions/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_missing_exception_page_is_404(client, user):
    client.force_login(user)
    assert client.get("/remittances/exceptions/999999/").status_code == 404


# -- command -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [False, True])
def test_command_json_reports_posting_exceptions(data_file, tmp_path, capsys, dry_run):
    path = tmp_path / "held.835"
    path.write_text(emedny(data_file).replace(SECOND_CLP, "CLP*090909*22"), encoding="latin-1")
    call_command("ingest_835", "--json", *(["--dry-run"] if dry_run else []), str(path))
    report = json.loads(capsys.readouterr().out.strip())
    assert report["status"] == "processed"
    assert report["claims"] == 2 and report["posting_exceptions"] == 1
    assert list(report).index("posting_exceptions") == list(report).index("claims") + 1
    assert Remittance.objects.count() == (0 if dry_run else 1)
    assert PostingException.objects.count() == (0 if dry_run else 1)


# -- filterset ---------------------------------------------------------------------------------


def test_filterset_counts(data_file, tmp_path, quarantined, manager):
    from remittance.filtersets import PostingExceptionFilterSet

    other = ingest_text(tmp_path, broken_then_good(emedny(data_file)).replace("1740", "1750"))
    posting_exception_resolve(exception=PostingException.objects.get(level="claim"), actor=manager)
    queryset = PostingException.objects.all()

    def count(**params):
        return PostingExceptionFilterSet(params, queryset=queryset).qs.count()

    assert count() == 2
    assert count(status="open") == 1 and count(status="resolved") == 1
    assert count(level="transaction") == 1
    assert count(remittance=other.pk) == 1 and count(remittance=quarantined.pk) == 1
