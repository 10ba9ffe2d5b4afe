"""The queue page and "next item" under 20 concurrent billers, with 1,000,000 worklist
items in PostgreSQL, served by gunicorn on loopback and loaded with wrk.

    .venv/bin/python benchmarks/queue_bench.py [--items 1000000] [--seconds 20]

Prints p50/p95/p99 latency and requests/s for: the team queue page (first page), a deep
queue page (keyset cursor far down the queue), the next-item action, and, as the
in-run baseline, the sign-in page (a template render with no worklist query).
Needs wrk (Debian package) and a local PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = "denials_queue_bench"
PORT = 8791
BASE = f"http://127.0.0.1:{PORT}"
USERS = 20
PASSWORD = "bench-password-1"
TEAM = "ar-follow-up"

LUA = r"""
local sessions = {}
local n = 0
for line in io.lines("%(cookies)s") do
  local cookie, token = line:match("([^\t]+)\t([^\t]+)")
  table.insert(sessions, {cookie = cookie, token = token})
end
request = function()
  n = n + 1
  local s = sessions[(n %% #sessions) + 1]
  local headers = {["Cookie"] = s.cookie, ["X-CSRFToken"] = s.token,
                   ["Referer"] = "%(base)s/"}
  return wrk.format("%(method)s", "%(path)s", headers, nil)
end
-- Think time: each user pauses this long after every answer.
delay = function()
  return %(think)d
end
local shown = false
response = function(status, headers, body)
  if status >= 400 and not shown then
    io.write("FIRST-ERROR " .. status .. " " .. string.sub(body, 1, 200) .. "\n")
    shown = true
  end
end
done = function(summary, latency, requests)
  local line = "RESULT p50=%%.2f p95=%%.2f p99=%%.2f rps=%%.1f errors=%%d non2xx3xx=%%d\n"
  io.write(string.format(line,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""

ITEMS_SQL = """
INSERT INTO worklist_worklistitem (
    claim_id, payer_id, patient_control_number, team_id, status, resolution, category,
    reason_code, guardrail, routing_rule, suggested_action, appealable, open_amount,
    recovered_amount, procedure_code, institutional, service_date, through_date,
    received_date, appeal_deadline, refile_deadline, deadline, deadline_state,
    recovery_probability, expected_net_recovery, priority, priority_explanation,
    created_at, updated_at, follow_up_due, control_point, root_cause, new_claim_reference,
    write_off_requested, write_off_reason)
SELECT
    %(claim)s, %(payer)s, 'PCN' || g, (%(teams)s)[1 + g %% 4],
    (ARRAY['new', 'new', 'new', 'new', 'new', 'new', 'assigned', 'in_progress',
           'awaiting_payer', 'resolved'])[1 + g %% 10],
    CASE WHEN g %% 10 = 9 THEN 'written_off' ELSE '' END,
    (ARRAY['eligibility','coding','medical_necessity','missing_information','other'])[1 + g %% 5],
    (ARRAY['16','50','97','27','197'])[1 + g %% 5], '', 'bench', 'appeal', true,
    round((random() * 5000)::numeric, 2), 0, '99213', false,
    current_date - (g %% 120), current_date - (g %% 120), current_date - (g %% 60),
    current_date + (g %% 90), current_date + (g %% 200), current_date + (g %% 90) - 30,
    (ARRAY['ok','at_risk','missed'])[1 + g %% 3],
    0.5, 100, round((random() * 10000)::numeric, 2), 'bench item',
    now(), now(), g %% 997 = 0, 'billing', 'Other', '', false, ''
FROM generate_series(1, %(items)s) AS g
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument(
        "--think-ms",
        type=int,
        default=1000,
        help="each user's pause between requests in the paced runs",
    )
    ap.add_argument("--only-populate", action="store_true")
    args = ap.parse_args()

    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", SCRATCH], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", SCRATCH], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{SCRATCH}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": tempfile.mkdtemp(),
    }
    os.environ.update(env)
    import django

    django.setup()
    _populate(args.items)
    if args.only_populate:
        return

    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
    )
    try:
        _wait_for_server()
        cookies = _sign_in_everyone()
        deep = _deep_cursor(cookies[0])
        runs = [
            ("sign-in page (baseline)", "GET", "/login/"),
            ("queue page, first page", "GET", f"/worklist/team/{TEAM}/"),
            ("queue page, deep (keyset)", "GET", f"/worklist/team/{TEAM}/?after={deep}"),
            ("next item (POST)", "POST", "/worklist/next/"),
        ]
        results = [
            (f"{name}, {mode}", _wrk(method, path, cookies, args.seconds, think))
            for think, mode in [(args.think_ms, f"paced {args.think_ms} ms"), (0, "saturated")]
            if think or mode == "saturated"
            for name, method, path in runs
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{args.items:,} items; {USERS} concurrent users; gunicorn x{args.workers}; "
        f"{args.seconds} s per run"
    )
    print(f"{'request':<30}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'errors':>8}")
    for name, r in results:
        print(
            f"{name:<30}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['rps']:>9.1f}"
            f"{r['errors'] + r['non2xx3xx']:>8}"
        )
    from django.db import connection

    connection.close()
    if not args.keep:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", SCRATCH], check=False)


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
        tmp.write(generate_file(claims=200, seed=3).encode("latin-1"))
        tmp.flush()
        tmp.seek(0)
        received = remittance_receive(stream=tmp, filename="seed.835", source="command")
    remittance = remittance_process(remittance_id=received.remittance.pk)
    claim = remittance.claims.first()
    teams = list(Team.objects.order_by("id").values_list("id", flat=True))[:4]
    with connection.cursor() as cursor:
        cursor.execute(
            ITEMS_SQL.replace("%(teams)s", "ARRAY[" + ",".join(map(str, teams)) + "]")
            % {"claim": claim.id, "payer": claim.payer_id, "items": items}
        )
        cursor.execute("ANALYZE worklist_worklistitem")
    team = Team.objects.get(slug=TEAM)
    users = get_user_model()
    billers = Group.objects.get_or_create(name="biller")[0]
    for n in range(USERS):
        user = users.objects.create_user(f"biller{n}", password=PASSWORD)
        team.members.add(user)
        user.groups.add(billers)
    print(f"populated {items:,} items in {time.perf_counter() - started:.0f} s")


def _wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def _sign_in_everyone() -> list[tuple[str, str]]:
    out = []
    for n in range(USERS):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{BASE}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": f"biller{n}", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        opener.open(
            urllib.request.Request(
                f"{BASE}/login/", data=data, headers={"Referer": f"{BASE}/login/"}
            )
        )
        values = {c.name: c.value for c in jar}
        if "sessionid" not in values:
            raise SystemExit(f"biller{n} could not sign in")
        out.append(
            (
                f"sessionid={values['sessionid']}; csrftoken={values['csrftoken']}",
                values["csrftoken"],
            )
        )
    return out


def _deep_cursor(session: tuple[str, str]) -> str:
    """A cursor about 100,000 items down the team queue, computed like the page does."""
    from worklist.models import WorklistItem
    from worklist.selectors import encode_cursor

    row = (
        WorklistItem.objects.open()
        .filter(team__slug=TEAM)
        .order_by("-follow_up_due", "-priority", "-id")
        .values_list("follow_up_due", "priority", "id")[100_000]
    )
    return urllib.parse.quote(encode_cursor([row[0], str(row[1]), row[2]]))


def _wrk(method: str, path: str, cookies: list[tuple[str, str]], seconds: int, think: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cookie_file = Path(tmp) / "cookies.tsv"
        cookie_file.write_text("".join(f"{c}\t{t}\n" for c, t in cookies))
        script = Path(tmp) / "load.lua"
        script.write_text(
            LUA
            % {"cookies": cookie_file, "base": BASE, "method": method, "path": path, "think": think}
        )
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{USERS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                BASE,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    match = re.search(
        r"RESULT p50=([\d.]+) p95=([\d.]+) p99=([\d.]+) rps=([\d.]+) "
        r"errors=(\d+) non2xx3xx=(\d+)",
        out,
    )
    if not match:
        raise SystemExit(out)
    keys = ["p50", "p95", "p99", "rps", "errors", "non2xx3xx"]
    return {k: float(v) for k, v in zip(keys, match.groups(), strict=True)}


if __name__ == "__main__":
    main()
