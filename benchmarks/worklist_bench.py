"""Classify, score and route denials through a real Celery worker on PostgreSQL.

    .venv/bin/python benchmarks/worklist_bench.py [--denials 100000] [--concurrency 2]

Books generated remittances into a scratch database (worklist intake switched off while
booking), then times, in one run:
- baseline: intake of a sample of denials in this process, no queue;
- the real thing: every denial through worklist intake tasks on a Celery worker
  (Redis broker, PostgreSQL), from the first enqueue to the last item written.
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
SCRATCH = "denials_worklist_bench"
BROKER = "redis://127.0.0.1:6379/13"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--denials", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--baseline", type=int, default=10_000)
    args = ap.parse_args()

    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", SCRATCH], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", SCRATCH], check=True)
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{SCRATCH}",
        "CELERY_BROKER_URL": BROKER,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": tempfile.mkdtemp(),
    }
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from config.celery_app import app
    from denials.models import Denial
    from remittance.signals import remittance_booked
    from worklist import services
    from worklist.models import Activity, ItemDenial, WorklistItem
    from worklist.tasks import worklist_intake_task

    call_command("migrate", verbosity=0)
    remittance_booked.receivers = []  # book only; the worklist is timed on its own below
    started = time.perf_counter()
    claims = _book(args.denials)
    total = Denial.objects.count()
    print(f"booked {claims:,} claims -> {total:,} denials in {time.perf_counter() - started:.0f} s")

    ids = list(Denial.objects.order_by("id").values_list("id", flat=True))
    sample = ids[: args.baseline]
    started = time.perf_counter()
    for start in range(0, len(sample), args.batch):
        services.worklist_intake(denial_ids=sample[start : start + args.batch])
    baseline = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(  # CASCADE: and what refers to the items (rejections, appeals)
            f"TRUNCATE {Activity._meta.db_table}, {ItemDenial._meta.db_table}, "
            f"{WorklistItem._meta.db_table} CASCADE"
        )
    connection.close()

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={args.concurrency}",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        while not app.control.ping(timeout=1):
            time.sleep(0.5)
        started = time.perf_counter()
        for start in range(0, len(ids), args.batch):
            worklist_intake_task.delay(denial_ids=ids[start : start + args.batch])
        # Done when every denial is on an item (a repeat denial joins an existing item).
        while (linked := ItemDenial.objects.count()) < total:
            if worker.poll() is not None:
                raise SystemExit("the worker died")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        done = WorklistItem.objects.count()
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    print(f"{'step':<44}{'items':>9}{'seconds':>9}{'items/s':>10}")
    print(
        f"{'baseline: intake in-process, no queue':<44}{len(sample):>9,}{baseline:>9.1f}"
        f"{len(sample) / baseline:>10,.0f}"
    )
    print(
        f"{'Celery worker x' + str(args.concurrency) + ' on Redis + PostgreSQL':<44}"
        f"{linked:>9,}{elapsed:>9.1f}{linked / elapsed:>10,.0f}"
    )
    print(f"(denials -> {done:,} items: a repeat denial of a claim joins its open item)")
    rate, base_rate = linked / elapsed, len(sample) / baseline
    print(f"worker throughput / in-process: {rate / base_rate:.2f}x")
    connection.close()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", SCRATCH], check=False)


def _book(denials: int) -> int:
    """Book generated remittances until there are enough denials. Returns claims booked."""
    from denials.models import Denial
    from remittance.generator import build_files, render
    from remittance.services import remittance_process, remittance_receive

    claims, seed = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        while Denial.objects.count() < denials:
            seed += 1
            for number, transactions in enumerate(build_files(claims=50_000, seed=seed, files=5)):
                path = Path(tmp) / f"bench-{seed}-{number}.835"
                path.write_text(
                    render(transactions, isa_control_start=number + 1), encoding="latin-1"
                )
                with path.open("rb") as stream:
                    received = remittance_receive(
                        stream=stream, filename=path.name, source="command"
                    )
                remittance = remittance_process(remittance_id=received.remittance.pk)
                claims += remittance.claim_count
                path.unlink()
    return claims


if __name__ == "__main__":
    main()
