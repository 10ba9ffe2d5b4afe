"""Read any X12 file this product reads from disk:
``manage.py ingest [--json] [--dry-run] PATH...``.

Each file's kind comes from its own ST01/GS01: an 835 is booked as a remittance (its report
has the keys ``ingest_835`` prints), an 837, 277CA or 999 is read as a claim file. One JSON
object per file with ``--json``: ``file``, ``kind``, ``status`` (processed / failed),
``duplicate``, ``warnings``, ``error``; an 837 adds ``transactions``, ``claims``,
``service_lines``, ``charge_total``; a 277CA or 999 ``accepted`` and ``rejected``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.choices import FileKind, FileStatus
from claims.services.files import (
    FileSummary,
    claim_file_process,
    claim_file_read,
    inbound_receive,
    upload_kind,
)
from remittance.choices import RemittanceSource
from remittance.management.commands.ingest_835 import Command as Ingest835
from x12 import X12ParseError, detect_kind


class Command(BaseCommand):
    help = (
        "Read X12 835, 837, 277CA and 999 files (or every file in a directory), each by its "
        "own kind; --dry-run only checks them."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="X12 files or directories")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON line per file"
        )
        parser.add_argument("--dry-run", action="store_true", help="read and validate only")

    def handle(self, *args, paths, as_json: bool, dry_run: bool, **options):
        remittances = Ingest835(stdout=self.stdout, stderr=self.stderr)
        files = list(remittances._expand(paths))
        if not files:
            raise CommandError("No files found in the given paths.")
        failed = 0
        for path in files:
            with path.open("rb") as stream:
                kind = upload_kind(stream)
            if kind == "835":
                report = remittances._check(path) if dry_run else remittances._book(path)
                report = {"kind": "835", **report}
                if report["status"] == "duplicate":
                    report["status"], report["duplicate"] = "processed", True
                report.setdefault("duplicate", False)
            else:
                report = self._check(path, kind) if dry_run else self._read(path)
            failed += report["status"] == "failed"
            self._print(report, as_json=as_json)
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) failed.", returncode=1)

    def _read(self, path: Path) -> dict:
        with path.open("rb") as stream:
            inbound = inbound_receive(
                stream=stream, filename=path.name, source=RemittanceSource.COMMAND
            )
        if inbound.remittance is not None:  # the same bytes came in as an 835 before
            return {
                "file": str(path),
                "kind": "835",
                "status": "processed",
                "duplicate": True,
                "remittance_id": inbound.remittance.pk,
                "warnings": [],
                "error": None,
            }
        claim_file = inbound.claim_file
        if claim_file.status in (FileStatus.RECEIVED, FileStatus.PROCESSING):
            claim_file = claim_file_process(file_id=claim_file.pk)
        return {
            "file": str(path),
            "kind": claim_file.kind,
            "status": claim_file.status,
            "duplicate": not inbound.created,
            "claim_file_id": claim_file.pk,
            **_counts(claim_file.kind, claim_file.counts),
            "warnings": list(claim_file.warnings),
            "error": claim_file.error or None,
        }

    def _check(self, path: Path, kind: str) -> dict:
        report = {"file": str(path), "kind": kind, "status": "processed", "duplicate": False}
        try:
            kind = kind or _detect(path)
            with path.open("rb") as stream, transaction.atomic():
                summary = claim_file_read(stream=stream, kind=kind, book=False)
        except X12ParseError as exc:
            return {**report, "kind": kind, **_counts(kind, {}), "status": "failed",
                    "warnings": [], "error": f"{path.name}: {exc}"}  # fmt: skip
        return {**report, **_counts(kind, summary.counts()), "warnings": summary.warnings,
                "error": None}  # fmt: skip

    def _print(self, report: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report))
            return
        counts = ", ".join(
            f"{key.replace('_', ' ')} {report[key]}"
            for key in (
                "transactions",
                "claims",
                "service_lines",
                "charge_total",
                "accepted",
                "rejected",
                "denials",
                "posting_exceptions",
            )  # fmt: skip
            if key in report
        )
        style = self.style.ERROR if report["status"] == "failed" else self.style.SUCCESS
        again = " (received before)" if report.get("duplicate") else ""
        self.stdout.write(
            style(f"{report['file']}: {report['kind'] or '?'} {report['status']}{again} — {counts}")
        )
        if report.get("error"):
            self.stdout.write(self.style.ERROR(f"  error: {report['error']}"))
        for warning in report["warnings"]:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))


def _counts(kind: str, counts: dict) -> dict:
    """The report's counts for a kind: zeros where reading never got that far."""
    zero = FileSummary(kind or "").counts() if kind in FileKind.values else {}
    keys = ("transactions", "claims", "service_lines", "charge_total", "accepted", "rejected")
    return {key: counts.get(key, value) for key, value in zero.items() if key in keys}


def _detect(path: Path) -> str:
    with path.open("rb") as stream:
        return detect_kind(stream)
