"""The item page and the next-item POST alone, one signed-in biller, on queue_bench.py's data
(1,000,000 items by default), in-process through Django's test client (no HTTP server, so
nothing else queues in front): milliseconds per request (wall, and this process's CPU) and
queries per request.

    .venv/bin/python benchmarks/item_page_bench.py [--pages 300] [--next 60]
        [--database denials_item_page_bench] [--reuse] [--keep] [--against main]

The pages are the team queue's first ``--pages`` open items (new ones and ones a biller
holds), opened one after the other, after a warm-up. ``--next`` POSTs to next item that
many times (each takes an item). ``--against REF`` also runs the same measurement on the
code of git REF (``git archive``), on the same database and items, alternating the two
``--rounds`` times, and prints the ratio: before and after in one run, under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATABASE = "denials_item_page_bench"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--next", type=int, default=60, help="next-item POSTs to time")
    ap.add_argument("--against", metavar="REF", help="also measure the code of this git ref")
    ap.add_argument("--rounds", type=int, default=2, help="alternations with --against")
    ap.add_argument("--database", default=DATABASE)
    ap.add_argument("--reuse", action="store_true", help="a database an earlier --keep run left")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--code", help=argparse.SUPPRESS)  # internal: measure the code in this tree
    args = ap.parse_args()
    if args.code:
        print(json.dumps(measure(args)))
        return

    if not args.reuse:
        _setup(args.database, args.items)
    trees = {"this tree": str(ROOT)}
    scratch = None
    if args.against:
        scratch = tempfile.TemporaryDirectory()
        archive = subprocess.run(
            ["git", "archive", args.against], cwd=ROOT, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(scratch.name, filter="data")
        trees = {args.against: scratch.name, **trees}
    results: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.rounds if args.against else 1):
        for name, tree in trees.items():
            results[name].append(_child(args, tree))
    _report(args, results)
    if not args.keep:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=False)


def _setup(database: str, items: int) -> None:
    """queue_bench.py's data, in ``database``, in a process of its own."""
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import queue_bench as q; "
        f"q.prepare(database={database!r}, items={items}, reuse=False)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def _child(args, tree: str) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--code",
        tree,
        "--database",
        args.database,
        "--pages",
        str(args.pages),
        "--next",
        str(args.next),
    ]
    out = subprocess.run(command, cwd=tree, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(args) -> dict:
    """In the child: Django on the code in ``args.code``; time the pages, then next item."""
    sys.path.insert(0, str(HERE))
    import queue_bench

    sys.path.insert(0, args.code)  # ahead of this tree, which queue_bench put first
    queue_bench.prepare(database=args.database, items=0, reuse=True)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import config.settings.base as base
    from worklist.models import WorklistItem

    assert str(Path(base.__file__).resolve()).startswith(str(Path(args.code).resolve()))
    biller = get_user_model().objects.get(username="biller0")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(biller)
    queue = WorklistItem.objects.open().filter(team__slug=queue_bench.TEAM)
    ids = list(queue.order_by("-follow_up_due", "-priority", "-id").values_list("id", flat=True))
    ids = ids[: args.pages]
    pages = [f"/worklist/items/{pk}/" for pk in ids]

    for url in pages[:20]:  # warm-up: templates, connection, caches
        assert client.get(url).status_code == 200
    page = _time(lambda url: client.get(url), pages)
    with CaptureQueriesContext(connection) as queries:
        for url in pages[:20]:
            client.get(url)
    page["queries"] = len(queries) / 20
    page["bytes"] = len(client.get(pages[0]).content)

    def take(_):
        response = client.post("/worklist/next/")
        assert response.status_code == 302, response.status_code

    take(None)
    nxt = _time(take, range(args.next))
    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            take(None)
    nxt["queries"] = len(queries) / 10
    return {"page": page, "next": nxt}


def _time(request, targets) -> dict:
    wall, cpu = [], []
    for target in targets:
        w, c = time.perf_counter(), time.process_time()
        request(target)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    cuts = statistics.quantiles(wall, n=20, method="inclusive")
    return {
        "n": len(wall),
        "median": statistics.median(wall),
        "mean": statistics.fmean(wall),
        "p95": cuts[18],
        "cpu": statistics.fmean(cpu),
    }


def _report(args, results: dict[str, list[dict]]) -> None:
    print(f"load average {os.getloadavg()[0]:.2f} at the end; {args.pages} pages, one user")
    print(
        f"{'code':<12}{'request':<12}{'median ms':>10}{'mean ms':>9}{'p95 ms':>8}"
        f"{'CPU ms':>8}{'queries':>9}{'KB':>6}"
    )
    for name, runs in results.items():
        for run in runs:
            for what in ("page", "next"):
                r = run[what]
                kb = f"{r['bytes'] / 1024:.0f}" if "bytes" in r else ""
                print(
                    f"{name:<12}{what:<12}{r['median']:>10.1f}{r['mean']:>9.1f}{r['p95']:>8.1f}"
                    f"{r['cpu']:>8.1f}{r['queries']:>9.1f}{kb:>6}"
                )
    if len(results) == 2:
        (old, before), (new, after) = results.items()
        for what in ("page", "next"):
            a = statistics.median(r[what]["median"] for r in before)
            b = statistics.median(r[what]["median"] for r in after)
            print(f"{what}: {old} / {new} = {a / b:.2f}x (median of the medians)")


if __name__ == "__main__":
    main()
