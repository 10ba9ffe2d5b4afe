"""An appeal's letter as a PDF, and its packet: the letter, the proof of timely filing (for
a timely-filing denial) and the evidence, in one PDF to upload, fax or mail.

fpdf2 draws the pages and pypdf joins them: both are pure Python wheels, so nothing here
needs a system library. The letter uses a core PDF font (no font files shipped), which
covers Latin-1; other characters are transliterated ("—" to "-") or replaced by "?"."""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from io import BytesIO

from django.utils.html import strip_tags
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from . import letters
from .choices import EvidenceType

logger = logging.getLogger(__name__)

FONT = "helvetica"
PLAIN = str.maketrans(
    {
        "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-",
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2026": "...", "\u2022": "-", "\u2192": "->", "\u2190": "<-", "\u2264": "<=",
        "\u2265": ">=", "\u2260": "!=", "\u20ac": "EUR", "\u2122": "TM", "\u2713": "x",
        "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
        "\u200b": "", "\ufeff": "",
    }
)  # fmt: skip
# Markup the PDF must not act on (an <img> would make fpdf2 fetch a file or a URL).
UNSAFE = re.compile(
    r"<(script|style)\b.*?</\1\s*>|<(img|link|meta|iframe|object|embed|base)\b[^>]*>", re.I | re.S
)
ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def latin1(text: str) -> str:
    """Text a core PDF font can draw: Latin-1, with the rest transliterated or "?"."""
    text = text.translate(PLAIN)
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(plain or "?")
    return "".join(out)


def printable_html(markup: str) -> str:
    """A letter's HTML made safe for fpdf2: no images or scripts, and entities and
    characters brought to Latin-1 (an entity stays escaped: ``&lt;`` is not a tag)."""
    markup = UNSAFE.sub("", markup)
    markup = ENTITY.sub(lambda m: html.escape(latin1(html.unescape(m.group(0))), False), markup)
    return latin1(markup)


def document(title: str = "") -> FPDF:
    pdf = FPDF(format="letter", unit="mm")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(latin1(title))
    pdf.set_creator("Denials")
    pdf.add_page()
    pdf.set_font(FONT, size=11)
    return pdf


def html_pdf(markup: str, title: str = "") -> bytes:
    """HTML drawn with fpdf2's HTML subset; HTML it cannot draw is printed as plain text
    rather than failing."""
    try:
        pdf = document(title)
        pdf.write_html(printable_html(markup))
        return bytes(pdf.output())
    except Exception as exc:
        logger.warning("letter HTML not drawn, printed as text: %s", type(exc).__name__)
        pdf = document(title)
        text = re.sub(r"<\s*(br|/p|/li|/h\d|/tr|/div)\b[^>]*>", "\n", markup, flags=re.I)
        pdf.multi_cell(0, 5.5, latin1(html.unescape(strip_tags(text))).strip())
        return bytes(pdf.output())


def letter_pdf(appeal) -> bytes:
    """The letter as a PDF: the frozen letter of a sent appeal, a draft's as it stands."""
    return html_pdf(letters.current_html(appeal), letters.render_subject(appeal))


def proof_pdf(appeal, proof: letters.TimelyFilingProof) -> bytes:
    """A page of the facts that show the original claim was filed in time."""
    pdf = document("Proof of timely filing")
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 10, "Proof of timely filing", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    rows = [
        ("Payer", appeal.payer.name),
        ("Claim (account) number", proof.patient_control_number),
        ("Payer claim number", appeal.payer_claim_control_number or "not given"),
        ("Original claim submitted on", _day(proof.submitted_on)),
        ("Submitted in file", proof.claim_file or "not on record"),
        ("Clearinghouse trace number", proof.trace_number or "not on record"),
        ("Accepted on", _day(proof.accepted_on)),
        ("Acceptance (277CA or 999)", proof.acceptance),
    ]
    for label, value in rows:
        pdf.set_font(FONT, "B", 11)
        pdf.cell(65, 7, latin1(label))
        pdf.set_font(FONT, size=11)
        pdf.multi_cell(0, 7, latin1(str(value)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(
        0,
        6,
        latin1(
            "The original claim was received and accepted on the dates above, as the "
            "acknowledgment on record shows. We ask that the claim be considered filed "
            "on its original submission date."
        ),
    )
    return bytes(pdf.output())


def _day(value) -> str:
    return f"{value:%B} {value.day}, {value.year}" if value else "not on record"


def packet_pdf(appeal) -> bytes:
    """The letter, then the proof of timely filing (a timely-filing denial with an
    acceptance on record), then the evidence: PDFs whole, PNG and JPEG images a page
    each. Evidence that cannot be joined (a TIFF, an unreadable or protected file) is
    listed on a last page as enclosed separately."""
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(letter_pdf(appeal))))
    proof = letters.timely_filing(appeal)
    if proof is not None:
        writer.append(PdfReader(BytesIO(proof_pdf(appeal, proof))))
    separate = []
    for evidence in appeal.evidence.all():
        if not _append_evidence(writer, evidence):
            separate.append(evidence.description or evidence.name)
    if separate:
        writer.append(PdfReader(BytesIO(_separate_pdf(separate))))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _append_evidence(writer: PdfWriter, evidence) -> bool:
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read()
        if evidence.content_type == EvidenceType.PDF:
            reader = PdfReader(BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                return False
            writer.append(reader)
            return True
        if evidence.content_type in (EvidenceType.PNG, EvidenceType.JPEG):
            writer.append(PdfReader(BytesIO(_image_pdf(data, evidence.description))))
            return True
    except Exception as exc:  # one bad file must not stop the packet
        logger.warning("evidence %s not joined: %s", evidence.pk, type(exc).__name__)
    return False


def _image_pdf(data: bytes, caption: str) -> bytes:
    pdf = document(caption)
    if caption:
        pdf.cell(0, 6, latin1(caption), new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    pdf.image(BytesIO(data), x=pdf.l_margin, y=top, w=pdf.epw, h=pdf.eph - top + pdf.t_margin,
              keep_aspect_ratio=True)  # fmt: skip
    return bytes(pdf.output())


def _separate_pdf(names: list[str]) -> bytes:
    pdf = document("Enclosed separately")
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, "Enclosed separately", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(0, 6, "These enclosures could not be joined to this file and are sent "
                   "with it separately:", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    for name in names:
        pdf.multi_cell(0, 6, latin1(f"- {name}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
