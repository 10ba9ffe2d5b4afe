"""No lock-in: appeals with their history, the item's notes, letters and evidence as one
ZIP of CSV files and documents, readable without this product.

    appeals.csv   one row per appeal
    events.csv    every change of those appeals
    notes.csv     the activity (notes, status changes) of their worklist items
    evidence.csv  one row per evidence file, with its place in the ZIP
    letters/appeal-<id>.html              the letter as sent (drafts: as it would be now)
    evidence/appeal-<id>/<id>-<name>      the files, read through the storage API

The ZIP is written to a spooled temporary file (memory, then disk past a few MB), so a
large export never sits whole in memory."""

from __future__ import annotations

import csv
import io
import logging
import shutil
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from tempfile import SpooledTemporaryFile

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from worklist.models import Activity

from . import letters
from .evidence import download_name
from .models import Appeal, AppealEvent, Evidence

logger = logging.getLogger(__name__)

SPOOL_BYTES = 8 * 1024 * 1024
COPY_CHUNK = 1 << 20

APPEAL_COLUMNS = [
    "id", "item", "team", "previous", "kind", "level", "status", "payer", "payer_identifier",
    "patient_control_number", "payer_claim_control_number", "category", "reason_codes",
    "amount_appealed", "deadline", "expected_decision_on", "method", "submitted_on",
    "reference", "outcome", "decided_on", "recovered_amount", "decision_source", "created_at",
]  # fmt: skip
EVENT_COLUMNS = ["appeal", "at", "actor", "kind", "from", "to", "remittance", "note"]
NOTE_COLUMNS = ["item", "at", "actor", "kind", "from", "to", "note"]
EVIDENCE_COLUMNS = [
    "appeal", "id", "name", "description", "content_type", "size", "sha256", "uploaded_by",
    "uploaded_at", "file",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportFile:
    file: SpooledTemporaryFile  # the ZIP, positioned at its start; the caller closes it
    appeals: int
    evidence: int


def appeals_for_export(
    appeals_qs: QuerySet[Appeal],
    *,
    team=None,
    payer=None,
    dates: str = "created",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Appeal]:
    """The appeals of a team, a payer and a date range (of creation, or of submission:
    ``dates`` "created" or "submitted"), from ``appeals_qs`` (the user's scope)."""
    qs = appeals_qs
    if team is not None:
        qs = qs.filter(item__team=team)
    if payer is not None:
        qs = qs.filter(payer=payer)
    field = "submitted_on" if dates == "submitted" else "created_at__date"
    if date_from is not None:
        qs = qs.filter(**{f"{field}__gte": date_from})
    if date_to is not None:
        qs = qs.filter(**{f"{field}__lte": date_to})
    return qs


def appeals_export(*, appeals_qs: QuerySet[Appeal], actor) -> bytes:
    """The export ZIP's bytes (see ``appeals_export_file`` to stream it instead)."""
    export = appeals_export_file(appeals_qs=appeals_qs, actor=actor)
    with export.file as spool:
        return spool.read()


def appeals_export_file(*, appeals_qs: QuerySet[Appeal], actor) -> ExportFile:
    """The export of ``appeals_qs``, narrowed to what ``actor`` may see, as a ZIP in a
    spooled temporary file."""
    appeals = list(
        Appeal.objects.for_user(actor)
        .filter(pk__in=appeals_qs.values("pk"))
        .select_related("payer", "item__team", "template", "submitted_claim")
        .order_by("id")
    )
    spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller's to close)
    try:
        evidence = _write_zip(spool, appeals)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return ExportFile(spool, appeals=len(appeals), evidence=evidence)


def _write_zip(spool, appeals: list[Appeal]) -> int:
    ids = [a.pk for a in appeals]
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _write_csv(zf, "appeals.csv", APPEAL_COLUMNS, (_appeal_row(a) for a in appeals))
        _write_csv(zf, "events.csv", EVENT_COLUMNS, _event_rows(ids))
        _write_csv(zf, "notes.csv", NOTE_COLUMNS, _note_rows({a.item_id for a in appeals}))
        for appeal in appeals:
            html = appeal.letter_html or letters.render_html(appeal)
            zf.writestr(f"letters/appeal-{appeal.pk}.html", html)
        evidence = _copy_evidence(zf, ids)  # before its CSV: one entry is written at a time
        _write_csv(zf, "evidence.csv", EVIDENCE_COLUMNS, evidence)
    return len(evidence)


# ---- Rows ----------------------------------------------------------------------------


def _appeal_row(a: Appeal) -> list:
    return [
        a.pk, a.item_id, a.item.team.slug, a.previous_id, a.kind, a.level, a.status,
        _text(a.payer.name), a.payer.identifier, _text(a.patient_control_number),
        _text(a.payer_claim_control_number), a.category, " ".join(a.reason_codes),
        a.amount_appealed, a.deadline, a.expected_decision_on, a.method, a.submitted_on,
        _text(a.reference), a.outcome, a.decided_on, a.recovered_amount, a.decision_source,
        a.created_at,
    ]  # fmt: skip


def _event_rows(appeal_ids: list[int]):
    events = (
        AppealEvent.objects.filter(appeal_id__in=appeal_ids)
        .select_related("actor")
        .order_by("appeal_id", "at", "id")
    )
    for e in events.iterator(chunk_size=2000):
        yield [
            e.appeal_id, e.at, _username(e.actor), e.kind, e.from_status, e.to_status,
            e.remittance_id, _text(e.note),
        ]  # fmt: skip


def _note_rows(item_ids: set[int]):
    activities = (
        Activity.objects.filter(item_id__in=item_ids)
        .select_related("actor")
        .order_by("item_id", "at", "id")
    )
    for a in activities.iterator(chunk_size=2000):
        yield [a.item_id, a.at, _username(a.actor), a.kind, a.from_status, a.to_status,
               _text(a.note)]  # fmt: skip


def _copy_evidence(zf: zipfile.ZipFile, appeal_ids: list[int]) -> list[list]:
    """Copy each evidence file into the ZIP (stored, not deflated: PDFs and images are
    compressed already) and return its row. A file missing from storage is named
    "missing" in its row, and the export goes on."""
    rows = (
        Evidence.objects.filter(appeal_id__in=appeal_ids)
        .select_related("uploaded_by")
        .order_by("appeal_id", "id")
    )
    out = []
    for e in rows.iterator(chunk_size=500):
        arcname = f"evidence/appeal-{e.appeal_id}/{e.pk}-{download_name(e.name, e.content_type)}"
        try:
            with default_storage.open(e.file.name, "rb") as source:
                info = zipfile.ZipInfo(arcname, date_time=e.uploaded_at.timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED
                info.external_attr = 0o644 << 16  # rw-r--r-- when unpacked
                with zf.open(info, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, COPY_CHUNK)
        except FileNotFoundError:
            logger.error("export: evidence %s: stored file %s is missing", e.pk, e.file.name)
            arcname = "missing"
        out.append([
            e.appeal_id, e.pk, _text(e.name), _text(e.description), e.content_type, e.size,
            e.sha256, _username(e.uploaded_by), e.uploaded_at, arcname,
        ])  # fmt: skip
    return out


# ---- Writing -------------------------------------------------------------------------


def _write_csv(zf: zipfile.ZipFile, name: str, columns: list[str], rows) -> None:
    with zf.open(name, "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
        text.flush()
        text.detach()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _text(value: str) -> str:
    """Free text as a spreadsheet shows it, never as a formula it would run."""
    return f"'{value}" if value and value.startswith(FORMULA_STARTS) else value


def _username(user) -> str:
    return user.get_username() if user is not None else ""
