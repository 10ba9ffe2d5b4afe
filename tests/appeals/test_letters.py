"""Letters: template checks, the merge fields in HTML and in the PDF's text, the packet
(PDF evidence joined, proof of timely filing for a timely-filing denial), the managers'
template pages and who may download what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from fpdf import FPDF
from pypdf import PdfReader

from appeals import letters, pdf
from appeals.defaults import install_letter_templates
from appeals.letters.services import letter_template_save
from appeals.models import Appeal, Evidence, LetterTemplate
from appeals.services import appeal_start, appeal_submit
from audit.models import AuditEvent
from claims.models import ClaimEvent, ClaimFile, SubmittedClaim, SubmittedLine
from remittance.models import Claim
from tests.worklist.test_services import denied
from worklist.models import WorklistItem
from worklist.services import item_assign

pytestmark = pytest.mark.django_db

ARGUMENT = "The enclosed visit notes document the chest pain that made the visit necessary."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def small_pdf(text: str) -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(0, 10, text)
    return bytes(doc.output())


def submitted_for(item: WorklistItem, **fields) -> SubmittedClaim:
    """The claim as submitted (837), linked to the item's 835 claim."""
    claim = SubmittedClaim.objects.create(
        identity_key=f"837:{item.patient_control_number}",
        payer=item.payer,
        payer_identifier=item.payer.identifier,
        patient_control_number=item.patient_control_number,
        charge=D("1000.00"),
        submitted_on=date(2025, 1, 6),
        source="837",
        patient_first_name="Robin",
        patient_last_name="Quill",
        member_id="MEM778899",
        billing_npi="1234567893",
        billing_tax_id="12-3456789",
        diagnosis_codes=["R07.9"],
        clearinghouse_trace_number="TRACE-4455",
        **fields,
    )
    SubmittedLine.objects.create(
        claim=claim, line_number=1, procedure_code="99285", charge=D("1000.00"), units=1
    )
    Claim.objects.filter(pk=item.claim_id).update(submitted_claim=claim)
    return claim


def started(item, user, **kwargs) -> Appeal:
    return appeal_start(item=item, actor=user, argument=ARGUMENT, **kwargs)


# ---- Checking templates ----------------------------------------------------------------


def test_a_good_template_has_no_errors():
    assert letters.validate_template(letters.DEFAULT_BODY, letters.DEFAULT_SUBJECT) == []
    for template in LetterTemplate.objects.all():  # the installed defaults
        assert letters.validate_template(template.body, template.subject) == [], template.name


def test_a_syntax_error_names_its_line():
    errors = letters.validate_template("<p>Dear payer,</p>\n{% if payer.name %}\n<p>x</p>")
    assert len(errors) == 1
    assert errors[0].startswith("Body: line 2:")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{% load static %}", "{% load %} tag is not allowed"),
        ('{% include "base.html" %}', "{% include %} tag is not allowed"),
        ('{% extends "base.html" %}', "{% extends %} tag is not allowed"),
        ("{% debug %}", "{% debug %} tag is not allowed"),
        ('{% url "home" %}', "{% url %} tag is not allowed"),
        ('<img src="/etc/passwd">', "<img> markup is not allowed"),
    ],
)
def test_forbidden_tags_and_markup_are_errors(body, words):
    errors = letters.validate_template("<p>x</p>\n" + body)
    assert any(words in e and "line 2" in e for e in errors), errors


def test_variables_that_are_not_merge_fields_are_errors():
    body = (
        "{{ payer.name }} {{ secrets }} {{ payer.adress }}\n"
        "{% for line in claim.lines %}{{ line.charge }}{% endfor %}{{ x|default:settings }}"
    )
    errors = letters.validate_template(body, "{{ user.password }}")
    assert errors == [
        "Subject: line 1: {{ user }} is not a merge field.",
        "Body: line 1: {{ secrets }} is not a merge field.",
        "Body: line 1: {{ payer.adress }} is not a merge field.",
        "Body: line 2: {{ x }} is not a merge field.",
        "Body: line 2: {{ settings }} is not a merge field.",
    ]


def test_a_template_failing_at_render_time_is_an_error_and_never_raises():
    body = "{{ appeal.amount|divisibleby:0 }}"
    assert "rendering with the sample appeal failed" in letters.validate_template(body)[0]
    html = letters.render_body(body, letters.sample_context())
    assert "could not be produced from its template" in html


def test_the_service_refuses_a_bad_template_whatever_the_door(manager, biller):
    template = LetterTemplate(name="Bad", subject="S", body="{% debug %}")
    with pytest.raises(ValidationError) as refused:
        letter_template_save(template=template, actor=manager)
    assert "body" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        letter_template_save(
            template=LetterTemplate(name="Ok", subject="S", body="x"), actor=biller
        )


def test_installing_the_default_letters_again_keeps_edits():
    count = LetterTemplate.objects.count()
    LetterTemplate.objects.filter(name="General appeal").update(body="<p>Edited.</p>")
    install_letter_templates(django_apps)
    assert LetterTemplate.objects.count() == count == 7
    assert LetterTemplate.objects.get(name="General appeal").body == "<p>Edited.</p>"


# ---- Rendering ---------------------------------------------------------------------------


def test_the_letter_merges_the_submitted_claim(appealable, biller):
    submitted_for(appealable, prior_authorization="PA-1")
    appeal = started(appealable, biller)
    html = letters.render_html(appeal)
    for text in ("NORTHWIND", "Robin Quill", "MEM778899", "ICNAP1", "CO-50", "99285", ARGUMENT):
        assert text.lower() in html.lower(), text
    assert "1,000.00" in html
    context = letters.letter_context(appeal)
    assert context["provider"]["npi"] == "1234567893"
    assert context["claim"]["diagnosis_codes"] == "R07.9"
    assert context["denial_codes"][0]["description"]  # CO-50 in the code catalog
    assert set(context) == {name.partition(".")[0] for name in letters.MERGE_FIELDS}


def test_without_a_submitted_claim_the_835_fills_in(appealable, biller):
    appeal = started(appealable, biller)
    context = letters.letter_context(appeal)
    assert context["patient"]["name"] == "Alpha Sample"
    assert context["patient"]["member_id"] == "MAP1"
    assert context["claim"]["number"] == "ICNAP1"
    assert context["claim"]["lines"] or context["claim"]["charge"] == "1,000.00"


def test_a_sent_appeal_keeps_its_frozen_letter(appealable, biller):
    appeal = started(appealable, biller)
    appeal = appeal_submit(appeal=appeal, actor=biller, method="mail", submitted_on=date.today())
    Appeal.objects.filter(pk=appeal.pk).update(argument="Changed later.")
    appeal.refresh_from_db()
    assert ARGUMENT in letters.current_html(appeal)
    assert "Changed later." in letters.render_html(appeal)


def test_the_letter_pdf_text_holds_the_merge_fields(appealable, biller):
    submitted_for(appealable)
    template = LetterTemplate.objects.get(name="Medical necessity appeal")
    appeal = started(appealable, biller, template=template)
    data = pdf.letter_pdf(appeal)
    assert data.startswith(b"%PDF")
    text = " ".join(text_of(data).split())
    for expected in ("NORTHWIND", "ICNAP1", "CO-50", "MEM778899", "R07.9", ARGUMENT):
        assert expected.lower() in text.lower(), expected


def test_characters_a_core_font_lacks_do_not_break_the_pdf(appealable, biller):
    appeal = started(appealable, biller)
    Appeal.objects.filter(pk=appeal.pk).update(argument="Denied — twice “in error” → 日本 ✓")
    appeal.refresh_from_db()
    text = text_of(pdf.letter_pdf(appeal))
    assert 'Denied - twice "in error" ->' in text


# ---- The packet --------------------------------------------------------------------------


def test_the_packet_joins_the_letter_and_the_pdf_evidence(appealable, biller):
    appeal = started(appealable, biller)
    data = small_pdf("EVIDENCE PAGE 7741")
    evidence = Evidence(
        appeal=appeal,
        name="notes.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256="ab" * 32,
        description="Visit notes",
    )
    evidence.file.save("notes.pdf", ContentFile(data), save=False)
    evidence.save()
    Evidence.objects.create(
        appeal=appeal,
        file="evidence/xx/missing",
        name="scan.tif",
        content_type="image/tiff",
        size=10,
        sha256="cd" * 32,
        description="Fax scan",
    )
    packet = PdfReader(BytesIO(pdf.packet_pdf(appeal)))
    letter_pages = len(PdfReader(BytesIO(pdf.letter_pdf(appeal))).pages)
    assert len(packet.pages) == letter_pages + 2
    assert "Visit notes" in packet.pages[0].extract_text()  # listed as an enclosure
    assert "EVIDENCE PAGE 7741" in packet.pages[letter_pages].extract_text()
    assert "Fax scan" in packet.pages[-1].extract_text()  # enclosed separately


def test_a_timely_filing_packet_includes_the_proof(book, biller):
    book(denied("TF1", "29", "300.00"), trace="TF")
    item = WorklistItem.objects.get(patient_control_number="TF1")
    item.team.members.add(biller)
    item = item_assign(item=item, assignee=biller, actor=biller)
    file = ClaimFile.objects.create(
        kind="837", source="upload", filename="batch-0106.837", sha256="e" * 64
    )
    claim = submitted_for(item, file=file)
    ClaimEvent.objects.create(
        submitted_claim=claim, kind="accepted", occurred_on=date(2025, 1, 7), detail="A1:20"
    )
    template = LetterTemplate.objects.get(name="Timely filing appeal")
    appeal = started(item, biller, template=template)  # the acceptance is the proof
    assert letters.enclosures(appeal, letters.timely_filing(appeal)) == ["Proof of timely filing"]
    text = " ".join(text_of(pdf.packet_pdf(appeal)).split())
    assert "Proof of timely filing" in text
    for expected in ("January 6, 2025", "January 7, 2025", "TRACE-4455", "batch-0106.837"):
        assert expected in text, expected


def test_other_denials_have_no_proof_page(appealable, biller):
    submitted_for(appealable)
    appeal = started(appealable, biller)
    assert letters.timely_filing(appeal) is None
    assert "Proof of timely filing" not in text_of(pdf.packet_pdf(appeal))


# ---- Downloads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["appeals:letter_html", "appeals:letter_pdf", "appeals:packet_pdf"]
)
def test_downloads_are_audited_reads_and_never_stored(client, appealable, biller, name):
    appeal = started(appealable, biller)
    client.force_login(biller)
    response = client.get(reverse(name, args=[appeal.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content
    assert (b"%PDF" in body[:8]) if name.endswith("pdf") else (ARGUMENT.encode() in body)
    assert AuditEvent.objects.filter(
        action="view", object_type="appeals.appeal", object_id=str(appeal.pk)
    ).exists()


@pytest.mark.parametrize(
    "name", ["appeals:letter_html", "appeals:letter_pdf", "appeals:packet_pdf"]
)
def test_outsider_gets_404_on_downloads(client, appealable, biller, outsider, name):
    appeal = started(appealable, biller)
    client.force_login(outsider)
    assert client.get(reverse(name, args=[appeal.pk])).status_code == 404


# ---- Template pages --------------------------------------------------------------------------


def form_data(**changes) -> dict:
    data = {
        "name": "Payer letter",
        "category": "medical_necessity",
        "payer": "",
        "kind": "",
        "subject": "Appeal: {{ claim.number }}",
        "body": "<p>{{ payer.name }}</p>",
        "active": "on",
    }
    return {**data, **changes}


def test_a_manager_creates_a_template_and_it_is_audited(client, manager):
    client.force_login(manager)
    assert client.get(reverse("appeals:template_list")).status_code == 200
    assert client.get(reverse("appeals:template_create")).status_code == 200
    response = client.post(reverse("appeals:template_create"), form_data())
    assert response.status_code == 302
    template = LetterTemplate.objects.get(name="Payer letter")
    assert template.updated_by == manager
    assert AuditEvent.objects.filter(
        action="create", object_type="appeals.lettertemplate", object_id=str(template.pk)
    ).exists()


def test_a_template_error_is_a_form_error_not_a_500(client, manager):
    client.force_login(manager)
    template = LetterTemplate.objects.get(name="General appeal")
    url = reverse("appeals:template_edit", args=[template.pk])
    response = client.post(url, form_data(body="<p>x</p>\n{% load static %}{{ oops }"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "{% load %} tag is not allowed" in errors["body"][0]
    assert "line 2" in errors["body"][0]
    assert "Please correct the errors" in response.content.decode()
    response = client.post(url, form_data(subject="{{ patient.ssn }}"))
    assert "{{ patient.ssn }} is not a merge field" in response.context["form"].errors["subject"][0]


def test_the_preview_renders_with_a_sample_or_an_appeal(client, manager, appealable, biller):
    appeal = started(appealable, biller)
    client.force_login(manager)
    url = reverse("appeals:template_preview")
    sample = client.post(
        url, {"subject": "S {{ claim.number }}", "body": "<p>{{ patient.name }}</p>"}
    )
    assert "Alex Sample" in sample.content.decode()
    mine = client.post(
        url, {"subject": "S", "body": "{{ claim.number }}", "preview_appeal": appeal.pk}
    )
    assert "ICNAP1" in mine.content.decode()
    assert AuditEvent.objects.filter(
        actor=manager, action="view", object_type="appeals.appeal", object_id=str(appeal.pk)
    ).exists()
    broken = client.post(url, {"subject": "S", "body": "{% include 'x' %}"})
    assert broken.status_code == 200
    assert "not allowed" in broken.content.decode()


def test_deleting_a_used_template_deactivates_it(client, manager, appealable, biller):
    used = LetterTemplate.objects.get(name="Medical necessity appeal")
    started(appealable, biller, template=used)
    unused = LetterTemplate.objects.get(name="Coding appeal")
    client.force_login(manager)
    client.post(reverse("appeals:template_delete", args=[used.pk]))
    client.post(reverse("appeals:template_delete", args=[unused.pk]))
    used.refresh_from_db()
    assert not used.active
    assert not LetterTemplate.objects.filter(pk=unused.pk).exists()


@pytest.mark.parametrize("name", ["template_list", "template_create", "template_edit"])
def test_billers_may_not_open_template_pages(client, biller, name):
    template = LetterTemplate.objects.first()
    args = [template.pk] if name == "template_edit" else []
    client.force_login(biller)
    assert client.get(reverse(f"appeals:{name}", args=args)).status_code in (403, 404)
    response = client.post(reverse("appeals:template_preview"), {"body": "x", "subject": "y"})
    assert response.status_code in (403, 404)
