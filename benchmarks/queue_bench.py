"""The queue page and "next item" for 20 billers who pause unevenly, with 1,000,000 worklist
items in PostgreSQL, served by gunicorn on loopback.

    .venv/bin/python benchmarks/queue_bench.py [--items 1000000] [--seconds 30]
        [--database denials_queue_bench] [--port 8791] [--keep] [--reuse] [--only next]

Each of the 20 users signs in, then repeats one request and pauses a random 0.5–1.5 s
after every answer (seeded, so runs are comparable): people do not click in lockstep.
"Next item" is timed as a person sees it: the POST that takes the item plus the item page
it redirects to. Prints p50/p95/p99 latency and requests/s for the sign-in page (the
in-run baseline: a template render with no worklist query), the team queue's first page,
a deep queue page (keyset cursor 100,000 items down) and next item, for each server
shape in the same run: 4 sync workers (one request at a time each: a slow request blocks
the ones queued behind it), 4 workers × 8 threads, and the production shape of
docker-compose.yml, deploy/nginx.conf in front of 4 sync workers (when nginx is installed),
and the same proxy in front of 8.

The data is varied: claims from a 20,000-claim synthetic remittance (several payers,
reason codes, patients), items spread over them, over 20 reason codes and over the
billers as assignees. Needs a local PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = "denials_queue_bench"
PORT = 8791
HOST = "127.0.0.1"
USERS = 20
PASSWORD = "bench-password-1"
TEAM = "ar-follow-up"
THINK = (0.5, 1.5)  # seconds, uniform, per answer
SHAPES = {  # name: gunicorn arguments
    "sync x4": ["--workers", "4"],
    "gthread 4x8": ["--workers", "4", "--worker-class", "gthread", "--threads", "8"],
    # The production shape (docker-compose.yml): deploy/nginx.conf in front of sync workers.
    "nginx+sync x4": ["--workers", "4"],
    # The same with more processes than cores: a request waiting for a worker is served
    # beside the running ones (the CPU shared) rather than after them.
    "nginx+sync x8": ["--workers", "8"],
}
BEHIND_NGINX = {"nginx+sync x4", "nginx+sync x8"}
NGINX_MAIN = """worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  include {dir}/site.conf;
}}
"""

ITEMS_SQL = """
WITH c AS (
    SELECT id, payer_id, patient_control_number, row_number() OVER (ORDER BY id) - 1 AS rn
    FROM remittance_claim
)
INSERT INTO worklist_worklistitem (
    claim_id, payer_id, patient_control_number, team_id, assignee_id, status, resolution,
    category, reason_code, guardrail, routing_rule, suggested_action, appealable,
    open_amount, recovered_amount, procedure_code, institutional, service_date,
    through_date, received_date, appeal_deadline, refile_deadline, deadline,
    deadline_state, recovery_probability, expected_net_recovery, priority,
    priority_explanation, problem, created_at, updated_at, follow_up_due, control_point,
    root_cause, new_claim_reference, write_off_requested, write_off_reason)
SELECT
    c.id, c.payer_id, c.patient_control_number, (%(teams)s)[1 + g %% 4],
    CASE WHEN g %% 10 IN (6, 7, 8) THEN (%(users)s)[1 + g %% %(nusers)s] END,
    (ARRAY['new', 'new', 'new', 'new', 'new', 'new', 'assigned', 'in_progress',
           'awaiting_payer', 'resolved'])[1 + g %% 10],
    CASE WHEN g %% 10 = 9 THEN 'written_off' ELSE '' END,
    (ARRAY['eligibility','coding','medical_necessity','missing_information','other',
           'authorization','duplicate','pricing'])[1 + g %% 8],
    (ARRAY['16','50','97','27','197','252','4','18','22','29','31','45','96','109','119',
           '151','167','170','181','204'])[1 + g %% 20],
    '', 'bench', 'appeal', true,
    round((random() * 5000)::numeric, 2), 0,
    (ARRAY['99213','99214','97110','80053','J1100'])[1 + g %% 5], false,
    current_date - (g %% 120), current_date - (g %% 120), current_date - (g %% 60),
    current_date + (g %% 90), current_date + (g %% 200), current_date + (g %% 90) - 30,
    (ARRAY['ok','at_risk','missed'])[1 + g %% 3],
    0.5, 100, round((random() * 10000)::numeric, 2), 'bench item', '',
    now(), now(), g %% 997 = 0, 'billing', 'Other', '', false, ''
FROM generate_series(1, %(items)s) AS g
JOIN c ON c.rn = g %% %(claims)s  -- an expression of g alone: a hash join
"""


def main() -> None:
    global PORT
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--shape", choices=sorted(SHAPES), action="append", help="default: both")
    ap.add_argument("--only", help="the requests whose name starts with this, e.g. 'next'")
    add_database_arguments(ap)
    ap.add_argument("--port", type=int, default=PORT, help="gunicorn behind nginx: the next one")
    args = ap.parse_args()
    PORT = args.port
    env = prepare(database=args.database, items=args.items, reuse=args.reuse)
    deep = _deep_cursor()
    runs = [
        ("sign-in page (baseline)", [("GET", "/login/")]),
        ("queue page, first page", [("GET", f"/worklist/team/{TEAM}/")]),
        ("queue page, deep (keyset)", [("GET", f"/worklist/team/{TEAM}/?after={deep}")]),
        ("next item + its page", [("POST", "/worklist/next/"), ("FOLLOW", "")]),
    ]
    if args.only:
        runs = [run for run in runs if run[0].startswith(args.only)]
    results = []
    shapes = args.shape or [s for s in SHAPES if s not in BEHIND_NGINX or shutil.which("nginx")]
    for shape in shapes:
        proxy = _start_nginx() if shape in BEHIND_NGINX else None
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{PORT + 1 if proxy else PORT}",
                "--log-level",
                "warning",
                *SHAPES[shape],
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_for_server()
            users = [_sign_in(n) for n in range(USERS)]
            for name, steps in runs:
                results.append((shape, name, _load(users, steps, args.seconds)))
        finally:
            server.terminate()
            server.wait(timeout=30)
            if proxy is not None:
                proxy.terminate()
                proxy.wait(timeout=30)
    print(
        f"{args.items:,} items; {USERS} users pausing {THINK[0]}–{THINK[1]} s at random; "
        f"{args.seconds} s per run"
    )
    print(
        f"{'server':<15}{'request':<28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'req/s':>8}{'errors':>8}"
    )
    for shape, name, r in results:
        print(
            f"{shape:<15}{name:<28}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
            f"{r['rps']:>8.1f}{r['errors']:>8}"
        )
    from django.db import connection

    connection.close()
    if not (args.keep or args.reuse):
        subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", args.database], check=False)


def add_database_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--database", default=SCRATCH, help="the scratch database's name")
    ap.add_argument(
        "--reuse", action="store_true", help="use the database an earlier --keep run populated"
    )


def prepare(*, database: str, items: int, reuse: bool) -> dict[str, str]:
    """Point Django at ``database`` (recreated and populated unless ``reuse``), set it up,
    and return the environment for the servers."""
    if not reuse:
        subprocess.run(
            ["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", database], check=True
        )
        subprocess.run(["createdb", "-h", HOST, "-U", "postgres", database], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": tempfile.mkdtemp(),
    }
    env.pop("CELERY_BROKER_URL", None)  # nothing here enqueues work worth a broker
    os.environ.update(env)
    import django

    django.setup()
    if not reuse:
        _populate(items)
    return env


def _populate(items: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from remittance.generator import generate_file
    from remittance.services import remittance_process, remittance_receive
    from worklist.models import Team

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".835") as tmp:
        tmp.write(generate_file(claims=20_000, seed=3).encode("latin-1"))
        tmp.flush()
        tmp.seek(0)
        received = remittance_receive(stream=tmp, filename="seed.835", source="command")
    remittance_process(remittance_id=received.remittance.pk)
    team = Team.objects.get(slug=TEAM)
    billers = Group.objects.get_or_create(name="biller")[0]
    user_ids = []
    for n in range(USERS):
        user = get_user_model().objects.create_user(f"biller{n}", password=PASSWORD)
        team.members.add(user)
        user.groups.add(billers)
        user_ids.append(user.pk)
    teams = list(Team.objects.order_by("id").values_list("id", flat=True))[:4]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE worklist_activity, worklist_itemdenial, worklist_itemrejection, "
            "worklist_worklistitem CASCADE"  # and what refers to them (appeals)
        )
        sql = ITEMS_SQL.replace("%(teams)s", "ARRAY[" + ",".join(map(str, teams)) + "]")
        sql = sql.replace("%(users)s", "ARRAY[" + ",".join(map(str, user_ids)) + "]")
        cursor.execute("SELECT count(*) FROM remittance_claim")
        claims = cursor.fetchone()[0]
        cursor.execute(sql % {"items": items, "nusers": len(user_ids), "claims": claims})
        cursor.execute("ANALYZE")
    print(f"populated {items:,} items in {time.perf_counter() - started:.0f} s")


def _start_nginx() -> subprocess.Popen:
    """deploy/nginx.conf as it is, listening on PORT and passing to gunicorn on PORT + 1."""
    work = Path(tempfile.mkdtemp())
    site = (ROOT / "deploy/nginx.conf").read_text()
    site = site.replace("server web:8000;", f"server {HOST}:{PORT + 1};")
    site = site.replace("listen 80;", f"listen {HOST}:{PORT};")
    (work / "site.conf").write_text(site)
    (work / "nginx.conf").write_text(NGINX_MAIN.format(dir=work))
    return subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-g", "daemon off;"])


def _deep_cursor() -> str:
    """A cursor about 100,000 items down the team queue, computed like the page does."""
    from worklist.models import WorklistItem
    from worklist.selectors import encode_cursor

    queue = WorklistItem.objects.open().filter(team__slug=TEAM)
    depth = min(100_000, queue.count() // 2)  # smaller runs: halfway down
    row = queue.order_by("-follow_up_due", "-priority", "-id").values_list(
        "follow_up_due", "priority", "id"
    )[depth]
    return urllib.parse.quote(encode_cursor([row[0], str(row[1]), row[2]]))


def _wait_for_server() -> None:
    """Until the sign-in page answers 200: nginx answers 502 while gunicorn starts."""
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/login/")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


class Session:
    """One signed-in person: a keep-alive connection, cookies and the CSRF token."""

    def __init__(self) -> None:
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if method == "POST":
            data = urllib.parse.urlencode(body or {}).encode()
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.cookies.get("csrftoken", ""),
                    "Referer": f"http://{HOST}:{PORT}/",
                }
            )
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # the server closed a kept-alive connection: open another
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), content


def _sign_in(n: int) -> Session:
    session = Session()
    _, _, page = session.request("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, _, _ = session.request(
        "POST",
        "/login/",
        {"username": f"biller{n}", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    if status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"biller{n} could not sign in ({status})")
    return session


def _load(users: list[Session], steps: list[tuple[str, str]], seconds: int) -> dict:
    """Every user repeats ``steps`` (timed together) and pauses 0.5–1.5 s, for
    ``seconds``. FOLLOW requests the previous answer's redirect."""
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def person(index: int, session: Session) -> None:
        pause = random.Random(index)
        time.sleep(pause.uniform(0, THINK[1]))  # arrive at different moments
        while time.monotonic() < stop:
            started = time.perf_counter()
            location, ok = None, True
            for method, path in steps:
                if method == "FOLLOW":
                    if not location:
                        break
                    method, path = "GET", urllib.parse.urlsplit(location).path
                status, location, _ = session.request(method, path)
                ok = ok and status < 400
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                errors[0] += not ok
            time.sleep(pause.uniform(*THINK))

    threads = [threading.Thread(target=person, args=(i, s)) for i, s in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cuts = statistics.quantiles([t * 1000 for t in timings], n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "rps": len(timings) / seconds,
        "errors": errors[0],
    }


if __name__ == "__main__":
    main()
