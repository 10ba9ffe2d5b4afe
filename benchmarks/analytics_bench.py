"""Dashboards over the analytics rollups, on a large book in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/denials_rollbench \\
        .venv/bin/python benchmarks/analytics_bench.py [--lines 5000000] [--keep]

Populates the database in DATABASE_URL (it is emptied first: use a scratch one) with
generated 835 claims, service lines, adjustments and denials (one claim in four denied,
so 5,000,000 lines give 2,000,000 claims and 500,000 denials), the submissions behind
nine claims in ten, rejections, denial items with activities, and decided appeals,
spread over 22 months, 12 payers, 10 categories and 4 teams, with INSERT ... SELECT over
generate_series. Then times:
- the full rebuild of the rollups (``analytics.services.rollups_rebuild``);
- the incremental refresh after booking one generated 20,000-claim remittance (booked
  with the real services, Celery eager; only the refresh is timed);
- ``all_metrics()`` 20 times for each dashboard-like filter, printing p50 and p95.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
START, DAYS, TODAY = "2025-01-01", 670, "2026-11-27"
CATEGORIES = (
    "eligibility", "authorization", "medical_necessity", "coding", "missing_information",
    "duplicate", "timely_filing", "coordination_of_benefits", "non_covered", "pricing",
)  # fmt: skip
CARCS = ("27", "197", "50", "16", "252", "18", "29", "22", "96", "45")
# The seeded teams, by category.
TEAM_OF = (
    "front-end", "ar-follow-up", "clinical-appeals", "coding", "front-end", "ar-follow-up",
    "ar-follow-up", "front-end", "clinical-appeals", "ar-follow-up",
)  # fmt: skip
CONTROL_POINT_OF = (
    "registration", "prior_authorization", "clinical_documentation", "coding", "billing",
    "billing", "billing", "registration", "", "",
)  # fmt: skip
PAYER_TYPES = (
    "commercial", "commercial", "commercial", "medicare", "medicare_advantage", "medicaid",
    "commercial", "medicaid", "workers_comp", "other", "medicare", "commercial",
)  # fmt: skip


def arr(values) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values) + "]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--seed", type=int, default=11, help="of the 20,000-claim remittance")
    ap.add_argument("--reuse", action="store_true", help="keep the populated database")
    ap.add_argument("--dashboards-only", action="store_true", help="with --reuse")
    args = ap.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("set DATABASE_URL to a scratch PostgreSQL database")
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks run eagerly, in this process
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp())
    os.environ.setdefault("DEBUG", "false")
    # The refresh reads what changed since the rebuild began: with no overlap, exactly the
    # remittance booked (not also a file booked just before the rebuild, with --reuse).
    os.environ.setdefault("ANALYTICS_REFRESH_OVERLAP_SECONDS", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if not args.reuse:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
        claims = args.lines * 2 // 5  # 1 to 4 lines a claim, 2.5 on average
        started = time.perf_counter()
        counts = populate(claims)
        populated = time.perf_counter() - started
        print(
            f"populated in {populated:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
    if args.dashboards_only:
        dashboards(args.requests)
        return

    from analytics.services import rollups_counts, rollups_rebuild

    run = rollups_rebuild()
    rows = rollups_counts()
    print(
        f"full rebuild: {run.seconds:.1f} s for {run.facts:,} claim facts "
        f"({rows['codes']:,} codes, {rows['ar_segments']:,} A/R segments, "
        f"{rows['items']:,} item facts)"
    )
    incremental = book_and_refresh(args.seed)
    print(
        f"incremental refresh after a 20,000-claim remittance: {incremental.seconds:.2f} s "
        f"({incremental.identities:,} identities in scope, {incremental.facts:,} facts written)"
    )
    dashboards(args.requests)


def populate(claims: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from remittance.models import Payer
    from worklist.models import Team

    team_ids = dict(Team.objects.values_list("slug", "pk"))
    payers = [
        Payer.objects.create(key=f"BENCH{n}", name=f"BENCH PAYER {n}", identifier=f"B{n}",
                             payer_type=kind).pk
        for n, kind in enumerate(PAYER_TYPES)
    ]  # fmt: skip
    user = get_user_model().objects.create_user("bench-biller").pk
    params = {
        "n": claims,
        "days": DAYS,
        "start": f"DATE '{START}'",
        "today": f"DATE '{TODAY}'",
        "payers": arr(payers),
        "payer_of": "(ARRAY[0,0,0,1,1,1,2,2,3,3,4,4,5,5,6,6,7,7,8,9,10,11,11])[1 + g % 23]",
        "categories": arr(CATEGORIES),
        "carcs": arr(CARCS),
        "teams": arr([team_ids[slug] for slug in TEAM_OF]),
        "points": arr(CONTROL_POINT_OF),
        "user": user,
    }
    with connection.cursor() as cursor:
        for step in POPULATE:
            sql = step
            for key, value in params.items():
                sql = sql.replace("{" + key + "}", str(value))
            cursor.execute(sql)
        cursor.execute("ANALYZE")
        out = {}
        for table in (
            "remittance_claim", "remittance_serviceline", "denials_denial",
            "claims_submittedclaim", "worklist_worklistitem", "appeals_appeal",
        ):  # fmt: skip
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            out[table.split("_", 1)[1]] = cursor.fetchone()[0]
    return out


# g: the claim number. Claim g is adjudicated on day (g - 1) * days / n; claims with
# g % 10 = 9 have no submission (835 only), g % 20 = 1 is a second adjudication of
# claim g - 1's submission, g % 4 = 0 is denied (category, reason and team by g / 4 % 10);
# recovered denials are paid by a later 835 claim. Timestamps predate the rebuild (the
# refresh reads changes since then).
POPULATE = [
    """INSERT INTO remittance_remittance (id, source, filename, raw, sha256, size, status, error,
        error_detail, warnings, received_at, processed_at, isa_control_number,
        gs_control_number, transaction_count, duplicate_transaction_count, claim_count,
        denied_claim_count, service_line_count, denial_count, payment_total, claim_paid_total,
        attempts, posting_exception_count)
    SELECT d + 1, 'command', 'bench-' || d, '', md5('bench' || d), 0, 'processed', '', '{}',
        '[]', {start} + d, {start} + d, '', '', 12, 0, 0, 0, 0, 0, 0, 0, 1, 0
    FROM generate_series(0, {days} - 1) d""",
    """INSERT INTO remittance_era (id, remittance_id, position, payer_id, payee_name, payee_npi,
        payee_tax_id, isa_control_number, gs_control_number, st_control_number, version,
        handling_code, payment_amount, credit_debit, payment_method, payment_date,
        production_date, trace_number, originator_id, warnings, claim_count)
    SELECT d * 12 + p + 1, d + 1, p, ({payers})[p + 1], 'BENCH CLINIC', '', '', '', '',
        lpad(p::text, 4, '0'), '005010X221A1', 'I', 0, 'C', 'ACH', {start} + d, {start} + d,
        'TR' || d || '-' || p, '', '[]', 0
    FROM generate_series(0, {days} - 1) d, generate_series(0, 11) p""",
    """INSERT INTO claims_submittedclaim (id, identity_key, external_id, payer_id,
        payer_identifier, payer_name, patient_control_number, charge, submitted_on, source,
        kind, frequency_code, original_id, payer_claim_control_number,
        replaces_payer_claim_control_number, primary_payer_claim_control_number,
        other_payer_identifier, clearinghouse_trace_number, facility_code, place_of_service,
        prior_authorization, referral_number, diagnosis_codes, billing_npi, billing_tax_id,
        rendering_npi, patient_last_name, patient_first_name, member_id, status, created_at,
        updated_at, transaction_control_number)
    SELECT g, 'bench:' || g, '', ({payers})[1 + {payer_of}], 'B', '', 'P' || g,
        100 + (g * 37) % 4900, {start} + ((g - 1)::bigint * {days} / {n})::int - 10 - g % 30,
        '837', 'professional', '1', NULL, '', '', '', '', '',
        (ARRAY['11', '22', '13', '21'])[1 + g % 4], (ARRAY['11', '22'])[1 + g % 2], '', '',
        '[]', '1234567890', '', '10000000' || lpad((g % 20)::text, 2, '0'), '', '', '',
        'submitted', {start}, {start}, ''
    FROM generate_series(1, {n}) g WHERE g % 10 <> 9 AND (g % 20 <> 1 OR g = 1)""",
    # Submissions with no remittance yet: the open A/R of the last weeks.
    """INSERT INTO claims_submittedclaim (id, identity_key, external_id, payer_id,
        payer_identifier, payer_name, patient_control_number, charge, submitted_on, source,
        kind, frequency_code, payer_claim_control_number, replaces_payer_claim_control_number,
        primary_payer_claim_control_number, other_payer_identifier,
        clearinghouse_trace_number, facility_code, place_of_service, prior_authorization,
        referral_number, diagnosis_codes, billing_npi, billing_tax_id, rendering_npi,
        patient_last_name, patient_first_name, member_id, status, created_at, updated_at,
        transaction_control_number)
    SELECT {n} + g, 'bench:' || ({n} + g), '', ({payers})[1 + {payer_of}], 'B', '',
        'P' || ({n} + g), 100 + (g * 37) % 4900, {today} - 60 + g % 55, '837', 'professional',
        '1', '', '', '', '', '', '11', '11', '', '', '[]', '1234567890', '',
        '10000000' || lpad((g % 20)::text, 2, '0'), '', '', '', 'submitted', {start}, {start}, ''
    FROM generate_series(1, {n} / 20) g""",
    # Replacements (frequency 7) of one submission in fifty, three weeks later.
    """INSERT INTO claims_submittedclaim (id, identity_key, external_id, payer_id,
        payer_identifier, payer_name, patient_control_number, charge, submitted_on, source,
        kind, frequency_code, original_id, payer_claim_control_number,
        replaces_payer_claim_control_number, primary_payer_claim_control_number,
        other_payer_identifier, clearinghouse_trace_number, facility_code, place_of_service,
        prior_authorization, referral_number, diagnosis_codes, billing_npi, billing_tax_id,
        rendering_npi, patient_last_name, patient_first_name, member_id, status, created_at,
        updated_at, transaction_control_number)
    SELECT 10 * {n} + s.id, s.identity_key || ':7', '', s.payer_id, 'B', '',
        s.patient_control_number, s.charge, s.submitted_on + 21, '837', 'professional', '7',
        s.id, '', '', '', '', '', s.facility_code, s.place_of_service, '', '', '[]',
        '1234567890', '', s.rendering_npi, '', '', '', 'submitted', {start}, {start}, ''
    FROM claims_submittedclaim s WHERE s.id % 50 = 3 AND s.id <= {n}""",
    """SELECT setval(pg_get_serial_sequence('claims_submittedclaim', 'id'), 11 * {n})""",
    """INSERT INTO claims_submittedline (claim_id, line_number, procedure_code, revenue_code,
        modifiers, charge, line_control_number)
    SELECT id, 1, (ARRAY['99213', '99214', '97110', '80053', 'J1100', '99283', '71046',
        '93000', '36415', '85025'])[1 + id % 10], '', '[]', charge, ''
    FROM claims_submittedclaim""",
    """INSERT INTO remittance_claim (id, era_id, remittance_id, payer_id, position,
        patient_control_number, status_code, charge, paid, filing_indicator,
        payer_claim_control_number, facility_type, frequency_code, drg_code,
        patient_last_name, patient_first_name, patient_id, insured_last_name,
        insured_first_name, insured_id, corrected_insured_id, rendering_provider_id,
        submitted_claim_id)
    SELECT g, c.day * 12 + c.p + 1, c.day + 1, ({payers})[c.p + 1], g,
        CASE WHEN g % 10 = 9 THEN 'U' || g WHEN g % 20 = 1 AND g > 1 THEN 'P' || (g - 1)
             ELSE 'P' || g END,
        CASE WHEN g % 4 = 0 THEN '4' ELSE '1' END, c.charge,
        CASE WHEN g % 4 = 0 THEN 0 ELSE round(c.charge * 0.7, 2) END, 'CI', 'PCCN' || g,
        (ARRAY['11', '13'])[1 + g % 2], '1', '', '', '', '', '', '', '', '',
        '10000000' || lpad((g % 20)::text, 2, '0'),
        CASE WHEN g % 10 = 9 THEN NULL WHEN g % 20 = 1 AND g > 1 THEN g - 1 ELSE g END
    FROM generate_series(1, {n}) g,
        LATERAL (SELECT ((g - 1)::bigint * {days} / {n})::int AS day, {payer_of} AS p,
                        (100 + (g * 37) % 4900)::numeric AS charge) c""",
    """SELECT setval(pg_get_serial_sequence('remittance_claim', 'id'), {n})""",
    """INSERT INTO remittance_serviceline (claim_id, position, procedure_qualifier,
        procedure_code, modifiers, description, charge, paid, revenue_code,
        original_procedure_code, control_number)
    SELECT g, l, 'HC', (ARRAY['99213', '99214', '97110', '80053', 'J1100', '99283', '71046',
        '93000', '36415', '85025'])[1 + (g + l) % 10], '[]', '', 40, 0,
        CASE WHEN g % 2 = 1 THEN (ARRAY['0450', '0300', '0320'])[1 + l % 3] ELSE '' END, '', ''
    FROM generate_series(1, {n}) g, generate_series(1, 1 + g % 4) l""",
    """INSERT INTO remittance_adjustment (claim_id, position, group_code, reason_code, amount)
    SELECT id, 0, 'CO', CASE WHEN status_code = '4' THEN ({carcs})[1 + id / 4 % 10] ELSE '45' END,
        charge - paid
    FROM remittance_claim""",
    """INSERT INTO denials_denial (id, remittance_id, era_id, claim_id, payer_id, level,
        group_code, reason_code, adjustment_codes, remark_codes, category, severity,
        appealable, unprocessable, next_action, rule, denied_amount, charge_amount,
        paid_amount, created_at)
    SELECT id, remittance_id, era_id, id, payer_id, 'claim', 'CO', ({carcs})[1 + id / 4 % 10],
        jsonb_build_array('CO-' || ({carcs})[1 + id / 4 % 10]), '[]',
        ({categories})[1 + id / 4 % 10],
        'hard', true, false, 'appeal', 'bench', charge, charge, 0, {start}
    FROM remittance_claim WHERE status_code = '4'""",
    # One item per denial, created the day after; older items mostly resolved.
    """INSERT INTO worklist_worklistitem (id, kind, claim_id, payer_id, patient_control_number,
        team_id, status, resolution, category, reason_code, guardrail, routing_rule,
        suggested_action, appealable, open_amount, recovered_amount, procedure_code,
        institutional, deadline, deadline_state, recovery_probability,
        expected_net_recovery, priority, priority_explanation, created_at, updated_at,
        resolved_at, control_point, follow_up_due, new_claim_reference, root_cause,
        write_off_reason, write_off_requested, problem)
    SELECT d.id, 'denial', d.claim_id, d.payer_id, 'P' || d.claim_id,
        ({teams})[1 + d.id / 4 % 10],
        CASE WHEN r.done THEN 'resolved' ELSE 'new' END,
        CASE WHEN NOT r.done THEN '' ELSE (ARRAY['recovered_full', 'recovered_full',
            'written_off', 'recovered_partial', 'written_off', 'patient_or_secondary',
            'recovered_full', 'recovered_partial', 'written_off', 'recovered_full'])
            [1 + (d.id / 40) % 10] END,
        d.category, d.reason_code, '', 'bench', 'appeal', true, d.denied_amount,
        CASE WHEN NOT r.done THEN 0 WHEN (d.id / 40) % 10 IN (0, 1, 6, 9) THEN d.denied_amount
             WHEN (d.id / 40) % 10 IN (3, 7) THEN round(d.denied_amount / 2, 2) ELSE 0 END,
        '', false, r.created::date + 90, 'ok', 0.5, 0, 0, '', r.created, r.created,
        CASE WHEN r.done THEN r.created + ((5 + d.id % 50) || ' days')::interval END,
        ({points})[1 + d.id / 4 % 10], false, '', '', '', false, ''
    FROM denials_denial d JOIN remittance_era e ON e.id = d.era_id,
        LATERAL (SELECT e.payment_date + interval '1 day 9 hours' AS created,
                        e.payment_date < {today} - 60 AND d.id % 5 <> 0 AS done) r""",
    """INSERT INTO worklist_itemdenial (item_id, denial_id, note)
    SELECT id, id, '' FROM worklist_worklistitem""",
    """INSERT INTO worklist_activity (item_id, at, actor_id, kind, from_status, to_status, note)
    SELECT id, created_at + ((id % 10) || ' days 3 hours')::interval, {user}, 'note', '', '',
        'bench' FROM worklist_worklistitem WHERE id % 5 IN (0, 1, 2)""",
    """INSERT INTO appeals_appeal (item_id, payer_id, payer_type, kind, level, status,
        patient_control_number, payer_claim_control_number, category, reason_codes,
        procedure_code, amount_appealed, deadline_explanation, expected_explanation,
        clerical_error, argument, letter_html, method, submitted_on, reference, outcome,
        decided_on, recovered_amount, decision_source, created_at, updated_at)
    SELECT i.id, i.payer_id, p.payer_type, 'appeal', 'first', 'decided',
        i.patient_control_number, '', i.category, jsonb_build_array('CO-' || i.reason_code), '',
        i.open_amount, '', '', false, '', '', 'portal', i.created_at::date + 10, '',
        (ARRAY['overturned', 'upheld', 'partially_overturned', 'upheld'])[1 + i.id % 4],
        i.created_at::date + 40,
        CASE i.id % 4 WHEN 0 THEN i.open_amount WHEN 2 THEN round(i.open_amount / 2, 2)
             ELSE 0 END, 'user', i.created_at, i.created_at
    FROM worklist_worklistitem i JOIN remittance_payer p ON p.id = i.payer_id
    WHERE i.id / 4 % 10 = i.id / 40 % 10 AND i.created_at < {today} - 45""",
    # What the payer paid on the denials recovered: a later 835 claim on the same day.
    """INSERT INTO remittance_claim (id, era_id, remittance_id, payer_id, position,
        patient_control_number, status_code, charge, paid, filing_indicator,
        payer_claim_control_number, facility_type, frequency_code, drg_code,
        patient_last_name, patient_first_name, patient_id, insured_last_name,
        insured_first_name, insured_id, corrected_insured_id, rendering_provider_id,
        submitted_claim_id)
    SELECT {n} + i.id, r.day * 12 + (c.era_id - 1) % 12 + 1, r.day + 1, c.payer_id, i.id,
        c.patient_control_number, '1', c.charge, i.recovered_amount, 'CI',
        c.payer_claim_control_number,
        c.facility_type, '7', '', '', '', '', '', '', '', '', c.rendering_provider_id,
        c.submitted_claim_id
    FROM worklist_worklistitem i JOIN remittance_claim c ON c.id = i.claim_id,
        LATERAL (SELECT (i.resolved_at::date - {start}) AS day) r
    WHERE i.recovered_amount > 0 AND r.day < {days}""",
    """SELECT setval(pg_get_serial_sequence('remittance_claim', 'id'),
        (SELECT max(id) FROM remittance_claim))""",
    """INSERT INTO claims_claimrejection (submitted_claim_id, source, category_code,
        status_code, entity_code, status_codes, trace_numbers, rejected_on, resolved_by_kind,
        created_at)
    SELECT id, '277ca', 'A7', '21', '', '[]', '[]', submitted_on + 1, '', {start}
    FROM claims_submittedclaim WHERE id % 33 = 5""",
    """INSERT INTO claims_claimevent (submitted_claim_id, kind, occurred_on, detail, created_at)
    SELECT id, 'accepted', submitted_on + 5, '', {start}
    FROM claims_submittedclaim WHERE id % 33 = 5 AND id % 2 = 0""",
    *(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        for table in (
            "remittance_remittance",
            "remittance_era",
            "denials_denial",
            "worklist_worklistitem",
        )  # fmt: skip
    ),
]


def book_and_refresh(seed: int):
    """Book one generated 20,000-claim remittance with the real services (follow-up and
    intake eager), then time the rollups' refresh alone."""
    import analytics.signals
    from analytics.services import rollups_refresh
    from remittance.generator import generate_file
    from remittance.services import remittance_process, remittance_receive

    analytics.signals._refresh_soon = lambda: None  # the refresh is timed by itself below
    with tempfile.NamedTemporaryFile(suffix=".835") as tmp:
        tmp.write(generate_file(claims=20_000, seed=seed).encode("latin-1"))
        tmp.flush()
        tmp.seek(0)
        received = remittance_receive(stream=tmp, filename="bench.835", source="command")
    clock = time.perf_counter()
    remittance_process(remittance_id=received.remittance.pk)
    print(f"booked the 20,000-claim remittance in {time.perf_counter() - clock:.1f} s")
    return rollups_refresh()


def dashboards(requests: int) -> None:
    from analytics.filters import MetricFilters
    from analytics.metrics import all_metrics
    from remittance.models import Payer
    from worklist.models import Team

    payer = Payer.objects.get(key="BENCH0").pk
    coding = Team.objects.get(slug="coding").pk
    cuts = [
        ("month 2026-10", MetricFilters.for_month(2026, 10)),
        ("month, one payer", MetricFilters.for_month(2026, 10, payer=payer)),
        ("month, one category", MetricFilters.for_month(2026, 10, category="coding")),
        ("month, one team", MetricFilters.for_month(2026, 10, team=coding)),
        ("3 months 2026-08..10", MetricFilters(date(2026, 8, 1), date(2026, 10, 31))),
        ("month 2025-06 (older)", MetricFilters.for_month(2025, 6)),
    ]
    print(f"{'all_metrics() for':<26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, filters in cuts:
        times = []
        for _ in range(requests):
            clock = time.perf_counter()
            all_metrics(filters)
            times.append((time.perf_counter() - clock) * 1000)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
        print(f"{name:<26}{statistics.median(times):>9.1f}{p95:>9.1f}{max(times):>9.1f}")


if __name__ == "__main__":
    main()
