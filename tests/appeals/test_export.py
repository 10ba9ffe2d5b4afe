"""The appeals export: a ZIP of CSV files (appeals, events, notes, evidence), letters and
evidence files, for a team, a payer or a date range, within the user's scope; the page's
form errors, and its audit row."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from django.utils import timezone

from appeals.evidence_services import evidence_add
from appeals.export import appeals_export
from appeals.models import Appeal
from appeals.services import appeal_start, appeal_submit
from audit.models import AuditEvent
from tests.appeals.test_evidence import PDF, PNG, upload
from tests.worklist.test_services import LAKESHORE, denied
from worklist.models import Team, WorklistItem
from worklist.services import item_assign

pytestmark = pytest.mark.django_db

EXPORT = "/appeals/export/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def appeals(appealable, biller, outsider, book):
    """Three appeals: the biller's sent one with two files and a backdated draft (both on
    the clinical team, Northwind), and the outsider's draft on coding (Lakeshore)."""
    sent = appeal_start(item=appealable, actor=biller, argument="=The visit was needed.")
    evidence_add(appeal=sent, actor=biller, upload=upload(PDF, "records.pdf"), description="Notes")
    evidence_add(appeal=sent, actor=biller, upload=upload(PNG, "scan.pdf"))
    appeal_submit(appeal=sent, actor=biller, method="fax", submitted_on=timezone.localdate())

    book(denied("OLD1", "50", "250.00"), trace="E2")
    old = appeal_start(item=_hold("OLD1", biller), actor=biller, argument="Old one.")
    Appeal.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(datetime(2025, 1, 10, 12))
    )

    book(denied("OUT1", "50", "300.00"), trace="E3", payer=LAKESHORE)
    theirs = appeal_start(item=_hold("OUT1", outsider, team="coding"), actor=outsider)
    return {"sent": sent, "old": old, "theirs": theirs}


def _hold(account, user, team=""):
    item = WorklistItem.objects.get(patient_control_number=account)
    if team:
        item.team = Team.objects.get(slug=team)
        item.save(update_fields=["team"])
    item.team.members.add(user)
    return item_assign(item=item, assignee=user, actor=user)


def unzip(content: bytes) -> tuple[zipfile.ZipFile, dict[str, list[dict]]]:
    zf = zipfile.ZipFile(io.BytesIO(content))
    tables = {
        name: list(csv.DictReader(io.TextIOWrapper(zf.open(name), "utf-8")))
        for name in zf.namelist()
        if name.endswith(".csv")
    }
    return zf, tables


def export(client, user, **params):
    client.force_login(user)
    response = client.get(EXPORT, {"team": "", **params})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="appeals-export-')
    return unzip(b"".join(response.streaming_content))


def ids(tables) -> set[int]:
    return {int(row["id"]) for row in tables["appeals.csv"]}


def test_the_zip_holds_every_record_of_an_appeal(client, appeals, biller):
    sent = appeals["sent"]
    today = timezone.localdate().isoformat()
    zf, tables = export(
        client, biller, team=sent.item.team.slug, dates="submitted", date_from=today
    )
    assert ids(tables) == {sent.pk}
    row = tables["appeals.csv"][0]
    assert (row["item"], row["status"], row["method"], row["reason_codes"]) == (
        str(sent.item_id),
        "submitted",
        "fax",
        "CO-50",
    )
    assert (row["amount_appealed"], row["payer"], row["recovered_amount"]) == (
        "1000.00",
        "NORTHWIND HEALTH PLAN",
        "0.00",
    )
    kinds = [e["kind"] for e in tables["events.csv"]]
    assert kinds == ["created", "evidence", "evidence", "status"]
    assert {e["appeal"] for e in tables["events.csv"]} == {str(sent.pk)}
    assert tables["events.csv"][0]["actor"] == "biller"
    notes = tables["notes.csv"]
    assert notes and {n["item"] for n in notes} == {str(sent.item_id)}
    assert any("started" in n["note"] for n in notes)
    letter = zf.read(f"letters/appeal-{sent.pk}.html").decode()
    assert "=The visit was needed." in letter and "Notes" in letter  # the enclosures
    files = sorted(n for n in zf.namelist() if n.startswith("evidence/"))
    pdf, png = sent.evidence.order_by("id")
    assert files == [
        f"evidence/appeal-{sent.pk}/{pdf.pk}-records.pdf",
        f"evidence/appeal-{sent.pk}/{png.pk}-scan.png",
    ]
    assert zf.read(files[0]) == PDF and zf.read(files[1]) == PNG
    manifest = tables["evidence.csv"]
    assert [(m["sha256"], m["file"]) for m in manifest] == [
        (pdf.sha256, files[0]),
        (png.sha256, files[1]),
    ]


def test_drafts_get_their_letter_as_it_would_be_now(client, appeals, biller):
    old = appeals["old"]
    zf, tables = export(client, biller, date_from="2025-01-01", date_to="2025-01-31")
    assert ids(tables) == {old.pk}
    assert "Old one." in zf.read(f"letters/appeal-{old.pk}.html").decode()
    assert tables["evidence.csv"] == []


def test_free_text_never_runs_as_a_formula(client, appeals, biller):
    Appeal.objects.filter(pk=appeals["sent"].pk).update(reference="=HYPERLINK(1)")
    _, tables = export(client, biller, payer=appeals["sent"].payer_id)
    assert tables["appeals.csv"][0]["reference"] == "'=HYPERLINK(1)"


def test_each_user_exports_only_their_scope(client, appeals, biller, outsider, manager):
    sent, old, theirs = appeals["sent"], appeals["old"], appeals["theirs"]
    assert ids(export(client, biller)[1]) == {sent.pk, old.pk}
    _, tables = export(client, outsider)
    assert ids(tables) == {theirs.pk}
    assert {n["item"] for n in tables["notes.csv"]} == {str(theirs.item_id)}
    assert {e["appeal"] for e in tables["events.csv"]} == {str(theirs.pk)}
    assert ids(export(client, manager)[1]) == {sent.pk, old.pk, theirs.pk}
    assert ids(export(client, manager, team="coding")[1]) == {theirs.pk}
    assert ids(export(client, manager, payer=theirs.payer_id)[1]) == {theirs.pk}
    today = timezone.localdate().isoformat()
    assert ids(export(client, manager, dates="submitted", date_to=today)[1]) == {sent.pk}


def test_the_service_narrows_to_the_actor_too(appeals, outsider):
    _, tables = unzip(appeals_export(appeals_qs=Appeal.objects.all(), actor=outsider))
    assert ids(tables) == {appeals["theirs"].pk}


def test_a_biller_cannot_pick_another_team(client, appeals, biller):
    client.force_login(biller)
    response = client.get(EXPORT, {"team": "coding"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "yesterday"}, "Enter a valid date"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "before its start"),
        ({"dates": "decided"}, "Select a valid choice"),
        ({"payer": "x"}, "Select a valid choice"),
    ],
)
def test_invalid_filters_show_the_form_with_errors(client, biller, params, message):
    client.force_login(biller)
    response = client.get(EXPORT, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_blank_form(client, appeals, biller):
    client.force_login(biller)
    response = client.get(EXPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Download the ZIP" in html
    assert "coding" not in html.lower()  # not one of the biller's teams


def test_one_audit_row_names_the_count(client, appeals, manager):
    export(client, manager, team="clinical-appeals")
    audit = AuditEvent.objects.get(object_type="appeals.appeal", object_id="list")
    assert (audit.actor, audit.channel) == (manager, "page")
    assert audit.detail.startswith("list: 2 rows; filters: team")
    files = AuditEvent.objects.get(object_type="appeals.evidence", object_id="list")
    assert files.detail.startswith("list: 2 rows")


def test_people_with_no_role_are_refused(client, appeals):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(EXPORT, {"team": ""}).status_code == 403


def test_a_missing_stored_file_is_named_and_the_export_goes_on(client, appeals, biller):
    from django.core.files.storage import default_storage

    pdf = appeals["sent"].evidence.order_by("id").first()
    default_storage.delete(pdf.file.name)
    today = timezone.localdate().isoformat()
    _, tables = export(client, biller, payer=pdf.appeal.payer_id, date_from=today)
    assert [m["file"] for m in tables["evidence.csv"]][0] == "missing"


def test_dates_are_iso(client, appeals, biller):
    today = timezone.localdate()
    _, tables = export(client, biller, dates="submitted", date_from=today.isoformat())
    row = tables["appeals.csv"][0]
    assert row["submitted_on"] == today.isoformat()
    assert date.fromisoformat(row["deadline"]) == appeals["sent"].deadline
    assert datetime.fromisoformat(row["created_at"]).tzinfo is not None
