"""End-to-end ingest rate into PostgreSQL: file -> booked claims, lines, adjustments, denials.

    .venv/bin/python benchmarks/ingest_bench.py [--claims 20000] [--runs 3]

Uses DATABASE_URL if set, else creates (and drops) a scratch database on the local
PostgreSQL (postgres@127.0.0.1:5432). Prints, for the same generated file in the same run,
the parse-only rate (baseline) and the full booking rate, best of --runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = "denials_bench"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    scratch = "DATABASE_URL" not in os.environ
    if scratch:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", SCRATCH], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", SCRATCH], check=True)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{SCRATCH}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from denials.models import Denial
    from remittance.generator import generate_file
    from remittance.models import Adjustment, Claim, Remittance, ServiceLine
    from remittance.services import remittance_process, remittance_receive
    from remittance.signals import remittance_booked
    from x12.remit835 import Reader

    assert connection.vendor == "postgresql", "the ingest benchmark needs PostgreSQL"
    call_command("migrate", verbosity=0)
    # Booking only: worklist intake runs on the Celery worker in production, and has its
    # own benchmark (benchmarks/worklist_bench.py).
    remittance_booked.receivers = []

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.835"
        path.write_text(generate_file(claims=args.claims, seed=7), encoding="latin-1")
        size = path.stat().st_size

        parse_best = min(_time(lambda: sum(1 for _ in Reader(path))) for _ in range(args.runs))
        book_best, rows = None, None
        for _ in range(args.runs):
            _reset(Remittance)
            started = time.perf_counter()
            with path.open("rb") as stream:
                received = remittance_receive(stream=stream, filename=path.name, source="command")
            remittance = remittance_process(remittance_id=received.remittance.pk)
            elapsed = time.perf_counter() - started
            assert remittance.status == "processed", remittance.error
            assert remittance.claim_count == args.claims
            book_best = elapsed if book_best is None else min(book_best, elapsed)
            rows = {
                "claims": Claim.objects.count(),
                "service lines": ServiceLine.objects.count(),
                "adjustments": Adjustment.objects.count(),
                "denials": Denial.objects.count(),
            }

    total_rows = sum(rows.values())
    print(f"file: {args.claims} claims, {size / 1e6:.1f} MB; best of {args.runs} runs")
    print(f"rows booked per run: {rows} = {total_rows}")
    print(f"{'step':<28}{'seconds':>9}{'claims/s':>12}{'rows/s':>12}")
    print(f"{'parse only (baseline)':<28}{parse_best:>9.2f}{args.claims / parse_best:>12,.0f}")
    print(
        f"{'ingest into PostgreSQL':<28}{book_best:>9.2f}{args.claims / book_best:>12,.0f}"
        f"{total_rows / book_best:>12,.0f}"
    )
    print(f"booking costs {book_best / parse_best:.1f}x parsing")
    if scratch:
        connection.close()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", SCRATCH], check=True)


def _time(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _reset(model) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE remittance_remittance, remittance_era, remittance_claim, "
            "remittance_serviceline, remittance_adjustment, remittance_remark, "
            "remittance_provideradjustment, remittance_payer, denials_denial CASCADE"
        )


if __name__ == "__main__":
    main()
