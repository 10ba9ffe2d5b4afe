"""The dashboard pages themselves, server time, on a database `analytics_bench.py` has
populated and rebuilt (run that first with --reuse; this only reads it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/denials_rollbench DEBUG=false \\
        .venv/bin/python benchmarks/dashboard_pages_bench.py [--month 2026-10] [--requests 20]

Each page is requested once to warm up, then ``--requests`` times through Django's test
client as a signed-in manager (in process: the view, its queries and the template; no
network). Prints one Markdown row per page: median and p95 in ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--month", default="2026-10")
    ap.add_argument("--requests", type=int, default=20)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from remittance.models import Payer

    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get_or_create(name="manager")[0])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    payer = Payer.objects.order_by("id").values_list("pk", flat=True).first()
    month = f"month={args.month}"
    pages = [
        ("overview", f"/analytics/?{month}"),
        ("payer", f"/analytics/payer/?{month}&payer={payer}"),
        ("root cause", f"/analytics/root-cause/?{month}"),
        ("deadline risk", f"/analytics/deadlines/?{month}"),
        ("team productivity", f"/analytics/productivity/?{month}"),
        ("payer scorecards", f"/analytics/scorecards/?{month}"),
    ]
    print("| page | median ms | p95 ms |\n|---|---:|---:|")
    for name, url in pages:
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
        p95 = statistics.quantiles(times, n=20)[18]
        print(f"| {name} | {statistics.median(times):.0f} | {p95:.0f} |", flush=True)


if __name__ == "__main__":
    main()
