"""Appeal evidence: the type told by content (no database), the size limit, storage
through the storage API (once per content), the holder-only upload and removal before
sending, the pages (upload with and without htmx, download, removal) for each persona,
and what deleting a remittance may not take with it."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.utils import timezone

from appeals.evidence import download_name, sniff
from appeals.evidence_services import EvidenceRefused, evidence_add, evidence_remove
from appeals.models import Evidence
from appeals.services import appeal_start, appeal_submit
from audit.models import AuditEvent
from remittance.models import Remittance
from worklist.services import AssignmentRefused

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
TIFF_LE = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 40
TIFF_BE = b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40
HTMX = {"HTTP_HX_REQUEST": "true"}


def upload(content: bytes, name: str = "notes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# ---- Sniffing (no database) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (TIFF_LE, "image/tiff"),
        (TIFF_BE, "image/tiff"),
        (EXE, None),
        (b"<html><body>%PDF-", None),  # the signature must be at the start
        (b"\x89PNG", None),  # a truncated signature
        (b"", None),
    ],
)
def test_sniff_tells_the_type_by_content(head, expected):
    assert sniff(head[:8]) == expected


def test_download_names_are_safe_and_carry_the_real_extension():
    assert download_name("scan.pdf", "image/png") == "scan.png"
    assert download_name("C:\\fakepath\\../../Röntgen bild.tiff", "image/tiff") == (
        "Rontgen_bild.tif"
    )
    assert download_name('a"b;\r\nc.pdf', "application/pdf") == "a_b_c.pdf"
    assert download_name("...", "image/jpeg") == "evidence.jpg"


# ---- The service ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(appealable, biller):
    return appeal_start(item=appealable, actor=biller, argument="The visit was needed.")


def send(appeal, user):
    return appeal_submit(
        appeal=appeal, actor=user, method="portal", submitted_on=timezone.localdate()
    )


@pytest.mark.django_db
def test_a_file_is_stored_under_its_hash_through_the_storage(draft, biller, media):
    evidence = evidence_add(
        appeal=draft, actor=biller, upload=upload(PDF, "records.pdf"), description=" Notes "
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert evidence.file.name == f"evidence/{digest[:2]}/{digest}"
    assert (media / evidence.file.name).read_bytes() == PDF
    assert default_storage.open(evidence.file.name).read() == PDF
    assert (evidence.name, evidence.content_type, evidence.size, evidence.description) == (
        "records.pdf",
        "application/pdf",
        len(PDF),
        "Notes",
    )
    assert draft.events.filter(kind="evidence", note__contains="records.pdf").exists()
    audit = AuditEvent.objects.get(object_type="appeals.evidence", action="create")
    assert "records" not in audit.detail  # a file's name may be patient data


@pytest.mark.django_db
def test_the_type_is_the_contents_not_the_name(draft, biller):
    evidence = evidence_add(appeal=draft, actor=biller, upload=upload(PNG, "scan.pdf"))
    assert evidence.content_type == "image/png"
    with pytest.raises(EvidenceRefused, match=r"setup\.pdf is not a PDF, PNG, JPEG or TIFF"):
        evidence_add(appeal=draft, actor=biller, upload=upload(EXE, "setup.pdf"))
    with pytest.raises(EvidenceRefused, match=r"blank\.pdf is empty"):
        evidence_add(appeal=draft, actor=biller, upload=upload(b"", "blank.pdf"))
    assert draft.evidence.count() == 1


@pytest.mark.django_db
def test_the_size_limit(draft, biller, settings):
    settings.APPEALS_EVIDENCE_MAX_BYTES = len(PDF) - 1
    with pytest.raises(EvidenceRefused, match=r"records\.pdf is .* at most"):
        evidence_add(appeal=draft, actor=biller, upload=upload(PDF, "records.pdf"))
    settings.APPEALS_EVIDENCE_MAX_BYTES = len(PDF)
    assert evidence_add(appeal=draft, actor=biller, upload=upload(PDF)).size == len(PDF)


@pytest.mark.django_db
def test_the_same_file_twice_is_stored_once(draft, biller, media):
    first = evidence_add(appeal=draft, actor=biller, upload=upload(PDF, "a.pdf"))
    again = evidence_add(appeal=draft, actor=biller, upload=upload(PDF, "b.pdf"))
    assert again.pk == first.pk
    assert draft.evidence.count() == 1
    assert len(list((media / "evidence").rglob("*"))) == 2  # one folder, one file


@pytest.mark.django_db
def test_only_the_holder_adds_or_removes(draft, biller, teammate):
    draft.item.team.members.add(teammate)
    with pytest.raises(AssignmentRefused):
        evidence_add(appeal=draft, actor=teammate, upload=upload(PDF))
    evidence = evidence_add(appeal=draft, actor=biller, upload=upload(PDF))
    with pytest.raises(AssignmentRefused):
        evidence_remove(evidence=evidence, actor=teammate)


@pytest.mark.django_db
def test_removal_only_before_sending(draft, biller, media, django_capture_on_commit_callbacks):
    evidence = evidence_add(appeal=draft, actor=biller, upload=upload(PDF))
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=evidence, actor=biller)
    assert not draft.evidence.exists()
    assert not (media / evidence.file.name).exists()
    assert draft.events.filter(kind="evidence", note__startswith="Removed").exists()

    kept = evidence_add(appeal=draft, actor=biller, upload=upload(PNG, "scan.png"))
    send(draft, biller)
    with pytest.raises(EvidenceRefused, match="kept as sent"):
        evidence_remove(evidence=kept, actor=biller)
    assert (media / kept.file.name).exists()


@pytest.mark.django_db
def test_deleting_the_remittance_keeps_the_evidence(draft, biller, media):
    evidence = evidence_add(appeal=draft, actor=biller, upload=upload(PDF))
    send(draft, biller)
    remittance = Remittance.objects.get(pk=draft.item.claim.remittance_id)
    with pytest.raises(ProtectedError):
        remittance.delete()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert (media / evidence.file.name).read_bytes() == PDF


# ---- The pages -----------------------------------------------------------------------


def url(appeal, *rest) -> str:
    return "/".join([f"/appeals/{appeal.pk}/evidence", *map(str, rest)]) + "/"


@pytest.mark.django_db
def test_the_holder_uploads_with_htmx_and_sees_the_list(client, draft, biller):
    client.force_login(biller)
    response = client.post(
        url(draft), {"file": upload(PNG, "scan.pdf"), "description": "X-ray"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="appeal-evidence"' in html and "<html" not in html
    assert "Attached scan.pdf" in html and "image/png" in html
    evidence = draft.evidence.get()
    assert url(draft, evidence.pk) in html


@pytest.mark.django_db
def test_a_plain_upload_redirects_back(client, draft, biller):
    client.force_login(biller)
    response = client.post(url(draft), {"file": upload(PDF), "next": "/worklist/"})
    assert (response.status_code, response["Location"]) == (302, "/worklist/")
    response = client.post(url(draft), {"file": upload(PNG), "next": "https://evil.example/"})
    assert response["Location"] == url(draft)
    page = client.get(url(draft))
    assert page.status_code == 200 and "Attached notes.pdf" in page.content.decode()
    audit = AuditEvent.objects.get(object_type="appeals.evidence", object_id="list")
    assert (audit.detail, audit.channel) == ("list: 2 rows", "page")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (lambda: {}, 400, "Choose a file to attach"),
        (lambda: {"file": upload(EXE, "setup.pdf")}, 400, "setup.pdf is not a PDF, PNG"),
        (lambda: {"file": upload(b"", "blank.pdf")}, 400, "blank.pdf is empty"),
        (lambda: {"file": upload(PDF * 10, "big.pdf")}, 413, "big.pdf is"),
        (lambda: {"file": upload(PDF), "description": "x" * 201}, 400, "at most 200"),
    ],
)
def test_bad_uploads_are_answered_in_words(client, draft, biller, settings, data, status, message):
    settings.APPEALS_EVIDENCE_MAX_BYTES = len(PDF) * 2
    client.force_login(biller)
    response = client.post(url(draft), data())
    assert response.status_code == status
    assert message in response.content.decode()
    htmx = client.post(url(draft), data(), **HTMX)
    assert htmx.status_code == 400  # htmx swaps a 400 in place (not a 413)
    assert message in htmx.content.decode()
    assert not draft.evidence.exists()


@pytest.mark.django_db
def test_a_body_far_over_the_limit_is_refused_before_it_is_read(client, draft, biller, settings):
    settings.APPEALS_EVIDENCE_MAX_BYTES = 10
    client.force_login(biller)
    response = client.post(url(draft), {"file": upload(PDF * 3000)})
    assert response.status_code == 413
    assert "the limit" in response.content.decode()


@pytest.mark.django_db
def test_the_holder_downloads_and_the_read_is_audited(client, draft, biller):
    evidence = evidence_add(appeal=draft, actor=biller, upload=upload(PNG, "Scan 1.pdf"))
    client.force_login(biller)
    response = client.get(url(draft, evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="Scan_1.png"'
    assert response["Cache-Control"] == "no-store"
    audit = AuditEvent.objects.get(object_type="appeals.evidence", action="view")
    assert (audit.object_id, audit.channel, audit.actor) == (str(evidence.pk), "page", biller)


@pytest.mark.django_db
def test_outsiders_get_404_everywhere(client, draft, biller, outsider):
    evidence = evidence_add(appeal=draft, actor=biller, upload=upload(PDF))
    client.force_login(outsider)
    assert client.get(url(draft)).status_code == 404
    assert client.get(url(draft, evidence.pk)).status_code == 404
    assert client.post(url(draft), {"file": upload(PNG)}).status_code == 404
    assert client.post(url(draft, evidence.pk, "remove")).status_code == 404
    assert draft.evidence.count() == 1
    assert not AuditEvent.objects.filter(object_type="appeals.evidence", action="view").exists()


@pytest.mark.django_db
def test_evidence_of_another_appeal_is_404(client, draft, biller, book):
    from tests.appeals.test_services import _held
    from tests.worklist.test_services import denied

    book(denied("AP9", "50", "200.00"), trace="A9")
    other = appeal_start(item=_held("AP9", biller), actor=biller)
    evidence = evidence_add(appeal=other, actor=biller, upload=upload(PDF))
    client.force_login(biller)
    assert client.get(url(draft, evidence.pk)).status_code == 404


@pytest.mark.django_db
def test_a_teammate_who_does_not_hold_the_item_is_refused(client, draft, teammate):
    draft.item.team.members.add(teammate)
    client.force_login(teammate)
    assert client.get(url(draft)).status_code == 200  # may read
    response = client.post(url(draft), {"file": upload(PDF)}, **HTMX)
    assert response.status_code == 403
    assert "held by biller" in response.content.decode()


@pytest.mark.django_db
def test_removal_on_the_page(client, draft, biller):
    evidence = evidence_add(appeal=draft, actor=biller, upload=upload(PDF, "old.pdf"))
    client.force_login(biller)
    response = client.post(url(draft, evidence.pk, "remove"), **HTMX)
    assert response.status_code == 200
    assert "Removed old.pdf" in response.content.decode()
    kept = evidence_add(appeal=draft, actor=biller, upload=upload(PNG))
    send(draft, biller)
    response = client.post(url(draft, kept.pk, "remove"), **HTMX)
    assert response.status_code == 400
    assert "kept as sent" in response.content.decode()
    assert client.get(url(draft, kept.pk, "remove")).status_code == 405


@pytest.mark.django_db
def test_one_stored_file_serves_two_appeals_until_both_let_go(
    draft, biller, book, media, django_capture_on_commit_callbacks
):
    from tests.appeals.test_services import _held
    from tests.worklist.test_services import denied

    book(denied("AP8", "50", "200.00"), trace="A8")
    other = appeal_start(item=_held("AP8", biller), actor=biller)
    mine = evidence_add(appeal=draft, actor=biller, upload=upload(PDF))
    theirs = evidence_add(appeal=other, actor=biller, upload=upload(PDF))
    assert mine.pk != theirs.pk and mine.file.name == theirs.file.name
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=mine, actor=biller)
    assert (media / theirs.file.name).read_bytes() == PDF
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=theirs, actor=biller)
    assert not (media / theirs.file.name).exists()


@pytest.mark.django_db
def test_a_plain_stream_is_measured_as_it_is_read(draft, biller, settings):
    import io

    stream = io.BytesIO(PDF)
    stream.name = "from-a-task.pdf"
    assert evidence_add(appeal=draft, actor=biller, upload=stream).size == len(PDF)
    settings.APPEALS_EVIDENCE_MAX_BYTES = 10
    big = io.BytesIO(PNG)
    big.name = "big.png"
    with pytest.raises(EvidenceRefused, match="at most 10"):
        evidence_add(appeal=draft, actor=biller, upload=big)
