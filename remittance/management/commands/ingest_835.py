"""Book 835 files from disk: ``manage.py ingest_835 [--json] [--dry-run] PATH...``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from remittance.choices import RemittanceSource, RemittanceStatus
from remittance.selectors import remittance_report
from remittance.services import remittance_check, remittance_process, remittance_receive, sniff_x12
from x12.remit835 import X12ParseError

X12_SUFFIXES = {".835", ".edi", ".x12", ".txt", ".dat", ".era"}


class Command(BaseCommand):
    help = "Book X12 835 files (or every file in a directory); --dry-run only checks them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="835 files or directories")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON line per file"
        )
        parser.add_argument("--dry-run", action="store_true", help="parse and validate only")

    def handle(self, *args, paths, as_json: bool, dry_run: bool, **options):
        files = list(self._expand(paths))
        if not files:
            raise CommandError("No files found in the given paths.")
        failed = 0
        for path in files:
            report = self._check(path) if dry_run else self._book(path)
            failed += report["status"] == "failed"
            self._print(report, as_json=as_json)
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) failed.", returncode=1)

    def _expand(self, paths):
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                yield from sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and (p.suffix.lower() in X12_SUFFIXES or not p.suffix)
                )
            elif path.exists():
                yield path
            else:
                raise CommandError(f"{raw}: no such file or directory")

    def _book(self, path: Path) -> dict:
        with path.open("rb") as stream:
            received = remittance_receive(
                stream=stream, filename=path.name, source=RemittanceSource.COMMAND
            )
        remittance = received.remittance
        unbooked = (RemittanceStatus.RECEIVED, RemittanceStatus.PROCESSING)
        if not received.created and remittance.status not in unbooked:
            return remittance_report(remittance, file=str(path), status="duplicate")
        # New, or received before but never booked (the queue was down): book it now.
        if remittance.status != RemittanceStatus.FAILED:
            remittance = remittance_process(remittance_id=remittance.pk)
        return remittance_report(remittance, file=str(path))

    def _check(self, path: Path) -> dict:
        report = {"file": str(path), "status": "processed", "remittance_id": None}
        with path.open("rb") as stream:
            problem = sniff_x12(stream.read(512))
            stream.seek(0)
            try:
                if problem:
                    raise X12ParseError(problem, segment_number=1)
                summary = remittance_check(stream=stream)
            except X12ParseError as exc:
                return {
                    **report,
                    **_empty_counts(),
                    "status": "failed",
                    "error": f"{path.name}: {exc}",
                }
        return {**report, **summary.report(), "error": None}

    def _print(self, report: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report))
            return
        line = (
            f"{report['file']}: {report['status']} — {report['transactions']} transactions, "
            f"{report['claims']} claims ({report['denied_claims']} denied), "
            f"{report['posting_exceptions']} posting exceptions, "
            f"{report['service_lines']} lines, {report['denials']} denials, "
            f"payments {report['payment_total']}, claims paid {report['claim_paid_total']}"
        )
        style = self.style.ERROR if report["status"] == "failed" else self.style.SUCCESS
        self.stdout.write(style(line))
        if report.get("error"):
            self.stdout.write(self.style.ERROR(f"  error: {report['error']}"))
        for warning in report["warnings"]:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))


def _empty_counts() -> dict:
    return {
        "transactions": 0,
        "duplicate_transactions": 0,
        "claims": 0,
        "posting_exceptions": 0,
        "denied_claims": 0,
        "service_lines": 0,
        "denials": 0,
        "payment_total": "0",
        "claim_paid_total": "0",
        "warnings": [],
    }
