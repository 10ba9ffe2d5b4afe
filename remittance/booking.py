"""Book one parsed 835 transaction: write its ERA, claims, lines, adjustments, remarks and
provider adjustments in one pass per table, then link reversals to the claims they take
back and recoupments to their claims. Each claim's history (its earlier payment, the
correction after a reversal) follows the claim's identity, so it is linked once the claims
have one (``link_history``).

Called only from ``remittance.services`` inside its atomic block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import connection

from x12.remit835 import Transaction

from .bulk import insert_rows, reserve_ids
from .choices import FILING_INDICATOR_PAYER_TYPE, PayerType, PostingExceptionLevel
from .models import (
    Adjustment,
    Claim,
    Era,
    Payer,
    PostingException,
    ProviderAdjustment,
    Remark,
    ServiceLine,
)

RECOUPMENT_REASONS = ("WO", "FB", "72")


@dataclass(slots=True)
class BookedTransaction:
    """Primary keys of what was written, aligned with the parsed transaction."""

    remittance_id: int
    era_id: int
    payer_id: int
    claim_ids: list[int] = field(default_factory=list)
    line_ids: list[list[int]] = field(default_factory=list)  # per claim, per line


def payer_for(
    transaction: Transaction, cache: dict[str, int | None], *, create: bool
) -> int | None:
    """The id of the transaction's payer, created if ``create`` (else None when new)."""
    party = transaction.payer
    identifier = party.identifier or party.additional_ids.get("2U", "")
    name = (party.name or "Unknown payer").strip()
    key = f"id:{identifier.strip().upper()}" if identifier.strip() else f"name:{name.upper()}"
    if key not in cache:
        if create:
            payer, _ = Payer.objects.get_or_create(
                key=key[:120],
                defaults={
                    "payer_type": FILING_INDICATOR_PAYER_TYPE.get(
                        transaction.claims[0].filing_indicator if transaction.claims else "",
                        PayerType.OTHER,
                    ),
                    "name": name[:200],
                    "identifier": identifier[:80],
                    "id_qualifier": party.id_qualifier[:3],
                },
            )
            cache[key] = payer.pk
        else:
            cache[key] = Payer.objects.filter(key=key[:120]).values_list("pk", flat=True).first()
    return cache[key]


def find_duplicate(transaction: Transaction, payer_id: int | None) -> int | None:
    """The remittance id of an ERA already booked with the same payer, trace number and
    payment amount (the same payment sent twice), or None."""
    trace = transaction.payment.trace_number
    if not trace or payer_id is None:
        return None
    return (
        Era.objects.filter(
            payer_id=payer_id, trace_number=trace, payment_amount=transaction.payment.amount
        )
        .values_list("remittance_id", flat=True)
        .first()
    )


def book_transaction(
    transaction: Transaction, *, remittance_id: int, payer_id: int
) -> BookedTransaction:
    """Write every row of one transaction and link its claims. Returns the new keys."""
    claims = transaction.claims
    lines = [line for claim in claims for line in claim.service_lines]
    era_id = reserve_ids(Era, 1)[0]
    claim_ids = reserve_ids(Claim, len(claims))
    line_id_pool = iter(reserve_ids(ServiceLine, len(lines)))
    booked = BookedTransaction(remittance_id, era_id, payer_id, claim_ids)
    booked.line_ids = [[next(line_id_pool) for _ in c.service_lines] for c in claims]

    _write_era(transaction, booked)
    _write_claims(transaction, booked)
    _write_lines(transaction, booked)
    _write_adjustments(transaction, booked)
    _write_remarks(transaction, booked)
    _write_provider_adjustments(transaction, booked)
    _write_claim_exceptions(transaction, booked)
    _link_claims(era_id)
    return booked


def write_failed_transaction(transaction: Transaction, *, remittance_id: int) -> PostingException:
    """Keep a transaction that could not be read as one posting exception."""
    error = transaction.error
    return PostingException.objects.create(
        remittance_id=remittance_id,
        level=PostingExceptionLevel.TRANSACTION,
        transaction_position=transaction.index,
        transaction_control_number=transaction.control_number[:9],
        segment_number=error.segment_number,
        segment_id=(error.segment_id or "")[:10],
        element=error.element,
        message=transaction.error_message,
        raw_segments=transaction.raw,
    )


def _write_claim_exceptions(t: Transaction, booked: BookedTransaction) -> None:
    if not t.exceptions:
        return
    PostingException.objects.bulk_create(
        PostingException(
            remittance_id=booked.remittance_id,
            era_id=booked.era_id,
            level=PostingExceptionLevel.CLAIM,
            transaction_position=t.index,
            transaction_control_number=t.control_number[:9],
            claim_position=held.position,
            patient_control_number=held.patient_control_number[:50],
            segment_number=held.error.segment_number if held.error else None,
            segment_id=((held.error.segment_id if held.error else "") or "")[:10],
            element=held.error.element if held.error else None,
            message=held.message,
            raw_segments=held.raw,
        )
        for held in t.exceptions
    )


def _write_era(t: Transaction, booked: BookedTransaction) -> None:
    p, env = t.payment, t.envelope
    insert_rows(
        Era,
        [
            "id",
            "remittance_id",
            "position",
            "payer_id",
            "payee_name",
            "payee_npi",
            "payee_tax_id",
            "isa_control_number",
            "gs_control_number",
            "st_control_number",
            "version",
            "handling_code",
            "payment_amount",
            "credit_debit",
            "payment_method",
            "payment_date",
            "production_date",
            "trace_number",
            "originator_id",
            "warnings",
            "claim_count",
        ],
        [
            (
                booked.era_id,
                booked.remittance_id,
                t.index,
                booked.payer_id,
                t.payee.name[:200],
                t.payee.npi[:20],
                t.payee.tax_id[:20],
                env.isa_control_number[:9],
                env.gs_control_number[:9],
                t.control_number[:9],
                env.version[:12],
                p.transaction_handling[:2],
                p.amount,
                p.credit_debit[:1],
                p.method[:3],
                p.date,
                p.production_date,
                p.trace_number[:50],
                p.originator_id[:50],
                json.dumps(t.warnings),
                len(t.claims),
            )
        ],
    )


CLAIM_COLUMNS = [
    "id",
    "era_id",
    "remittance_id",
    "payer_id",
    "position",
    "patient_control_number",
    "status_code",
    "charge",
    "paid",
    "patient_responsibility",
    "filing_indicator",
    "payer_claim_control_number",
    "facility_type",
    "frequency_code",
    "drg_code",
    "drg_weight",
    "statement_from",
    "statement_to",
    "received_date",
    "patient_last_name",
    "patient_first_name",
    "patient_id",
    "insured_last_name",
    "insured_first_name",
    "insured_id",
    "corrected_insured_id",
    "rendering_provider_id",
    "coverage_amount",
]


def _write_claims(t: Transaction, booked: BookedTransaction) -> None:
    rows = (
        (
            cid,
            booked.era_id,
            booked.remittance_id,
            booked.payer_id,
            pos,
            c.patient_control_number[:50],
            c.status_code[:2],
            c.charge,
            c.paid,
            c.patient_responsibility,
            c.filing_indicator[:2],
            c.payer_claim_control_number[:50],
            c.facility_type[:2],
            c.frequency_code[:1],
            c.drg_code[:4],
            c.drg_weight,
            c.statement_from,
            c.statement_to,
            c.received_date,
            c.patient_last_name[:80],
            c.patient_first_name[:80],
            c.patient_id[:80],
            c.insured_last_name[:80],
            c.insured_first_name[:80],
            c.insured_id[:80],
            c.corrected_insured_id[:80],
            c.rendering_provider_id[:80],
            c.coverage_amount,
        )
        for pos, (cid, c) in enumerate(zip(booked.claim_ids, t.claims, strict=True))
    )
    insert_rows(Claim, CLAIM_COLUMNS, rows)


LINE_COLUMNS = [
    "id",
    "claim_id",
    "position",
    "procedure_qualifier",
    "procedure_code",
    "modifiers",
    "description",
    "charge",
    "paid",
    "revenue_code",
    "units",
    "original_procedure_code",
    "original_units",
    "service_date_from",
    "service_date_to",
    "control_number",
    "allowed_amount",
]


def _write_lines(t: Transaction, booked: BookedTransaction) -> None:
    def rows():
        for cid, lids, claim in zip(booked.claim_ids, booked.line_ids, t.claims, strict=True):
            for pos, (lid, s) in enumerate(zip(lids, claim.service_lines, strict=True)):
                yield (
                    lid,
                    cid,
                    pos,
                    s.procedure_qualifier[:2],
                    s.procedure_code[:48],
                    json.dumps(s.modifiers),
                    s.description[:80],
                    s.charge,
                    s.paid,
                    s.revenue_code[:48],
                    s.units,
                    s.original_procedure_code[:48],
                    s.original_units,
                    s.service_date_from,
                    s.service_date_to,
                    s.control_number[:50],
                    s.allowed_amount,
                )

    insert_rows(ServiceLine, LINE_COLUMNS, rows())


def _write_adjustments(t: Transaction, booked: BookedTransaction) -> None:
    def rows():
        for cid, lids, claim in zip(booked.claim_ids, booked.line_ids, t.claims, strict=True):
            pos = 0
            for a in claim.adjustments:
                yield (
                    cid,
                    None,
                    pos,
                    a.group_code[:2],
                    a.reason_code[:5],
                    a.amount,
                    a.quantity,
                )
                pos += 1
            for lid, line in zip(lids, claim.service_lines, strict=True):
                for a in line.adjustments:
                    yield (
                        cid,
                        lid,
                        pos,
                        a.group_code[:2],
                        a.reason_code[:5],
                        a.amount,
                        a.quantity,
                    )
                    pos += 1

    insert_rows(
        Adjustment,
        [
            "claim_id",
            "service_line_id",
            "position",
            "group_code",
            "reason_code",
            "amount",
            "quantity",
        ],
        rows(),
    )


def _write_remarks(t: Transaction, booked: BookedTransaction) -> None:
    def rows():
        for cid, lids, claim in zip(booked.claim_ids, booked.line_ids, t.claims, strict=True):
            source = claim.remark_source or "MOA"
            for code in claim.remark_codes:
                yield (cid, None, source, code[:8])
            for lid, line in zip(lids, claim.service_lines, strict=True):
                for code in line.remark_codes:
                    yield (cid, lid, "LQ", code[:8])

    insert_rows(Remark, ["claim_id", "service_line_id", "source", "code"], rows())


def _write_provider_adjustments(t: Transaction, booked: BookedTransaction) -> None:
    if not t.provider_adjustments:
        return
    insert_rows(
        ProviderAdjustment,
        [
            "era_id",
            "position",
            "provider_id",
            "fiscal_period_date",
            "reason_code",
            "reference",
            "amount",
        ],
        (
            (
                booked.era_id,
                pos,
                a.provider_id[:50],
                a.fiscal_period_date,
                a.reason_code[:2],
                a.reference[:50],
                a.amount,
            )
            for pos, a in enumerate(t.provider_adjustments)
        ),
    )


# Set-based linking, so a 20,000-claim ERA costs a few statements, not 20,000 lookups.
# Ids grow in booking order, so "earlier" is "smaller id".
LINK_SQL = [
    # A reversal (status 22) takes back the latest earlier non-reversal claim of the same
    # payer and patient account whose charge it negates: the latest with the same payer
    # claim control number (CLP07), when the reversal carries one, else the latest (two
    # visits billed under one account can have the same charge; the number tells them
    # apart).
    """
    UPDATE remittance_claim SET reversal_of_id = COALESCE(
        (SELECT MAX(p.id) FROM remittance_claim p
         WHERE p.patient_control_number = remittance_claim.patient_control_number
           AND p.payer_id = remittance_claim.payer_id
           AND p.status_code <> '22'
           AND p.charge = -remittance_claim.charge
           AND p.id < remittance_claim.id
           AND remittance_claim.payer_claim_control_number <> ''
           AND p.payer_claim_control_number = remittance_claim.payer_claim_control_number),
        (SELECT MAX(p.id) FROM remittance_claim p
         WHERE p.patient_control_number = remittance_claim.patient_control_number
           AND p.payer_id = remittance_claim.payer_id
           AND p.status_code <> '22'
           AND p.charge = -remittance_claim.charge
           AND p.id < remittance_claim.id))
    WHERE era_id = %(era)s AND status_code = '22'
    """,
    # PLB recoupments and forwarding balances name a claim by the payer's claim control
    # number or the patient control number.
    f"""
    UPDATE remittance_provideradjustment SET claim_id = (
        SELECT MAX(c.id) FROM remittance_claim c
        JOIN remittance_era e ON e.id = remittance_provideradjustment.era_id
        WHERE c.payer_id = e.payer_id
          AND remittance_provideradjustment.reference <> ''
          AND (c.payer_claim_control_number = remittance_provideradjustment.reference
               OR c.patient_control_number = remittance_provideradjustment.reference))
    WHERE era_id = %(era)s
      AND reason_code IN ({", ".join(f"'{r}'" for r in RECOUPMENT_REASONS)})
    """,
]


def _link_claims(era_id: int) -> None:
    with connection.cursor() as cursor:
        for sql in LINK_SQL:
            cursor.execute(sql, {"era": era_id})


# Each claim's history follows the claim's identity: the root of its submitted claim (the
# original of a replacement, else the submission itself; claims_submittedclaim is the
# claims app's table, named, not imported). A claim with no identity (booked before
# identities) is the same claim as another of the same payer and patient account.
HISTORY_SQL = [
    # Every claim of the ERA points at the latest earlier claim of the same claim: of its
    # identity (claims of the root submission, then of the root's replacements), or of
    # its payer and patient account where one of the two has no identity. Each lookup
    # reads one index (the other conditions are aggregate filters, so the planner has no
    # other index to pick), once per claim. Only claims that have an earlier one are
    # written: an UPDATE of every row would rewrite the whole ERA.
    """
    WITH era_claims AS (
        SELECT c.id, c.payer_id, c.patient_control_number, c.submitted_claim_id,
               COALESCE(s.original_id, s.id) AS root
        FROM remittance_claim c
        LEFT JOIN claims_submittedclaim s ON s.id = c.submitted_claim_id
        WHERE c.era_id = %(era)s
    ),
    earlier AS MATERIALIZED (
        SELECT m.id, (
            SELECT MAX(latest.id) FROM (
                SELECT MAX(p.id) FILTER (WHERE p.id < m.id) AS id
                FROM remittance_claim p WHERE p.submitted_claim_id = m.root
                UNION ALL
                SELECT MAX(p.id) FILTER (WHERE p.id < m.id)
                FROM claims_submittedclaim s
                JOIN remittance_claim p ON p.submitted_claim_id = s.id
                WHERE s.original_id = m.root
                UNION ALL
                SELECT MAX(p.id) FILTER (
                    WHERE p.payer_id = m.payer_id
                      AND (p.submitted_claim_id IS NULL OR m.submitted_claim_id IS NULL))
                FROM remittance_claim p
                WHERE p.patient_control_number = m.patient_control_number AND p.id < m.id
            ) AS latest
        ) AS previous_id
        FROM era_claims m
    )
    UPDATE remittance_claim SET previous_id = earlier.previous_id
    FROM earlier
    WHERE remittance_claim.id = earlier.id AND earlier.previous_id IS NOT NULL
    """,
    # A reversal is corrected by the next non-reversal claim of the same claim: walking
    # back from each non-reversal claim of the ERA along ``previous`` (just linked), the
    # reversals not corrected yet that come straight before it. (The same payer all the
    # way: links booked before identities could cross payers.)
    """
    WITH RECURSIVE back AS (
        SELECT m.id AS correction, m.payer_id, m.previous_id AS reversal
        FROM remittance_claim m
        WHERE m.era_id = %(era)s AND m.status_code <> '22' AND m.previous_id IS NOT NULL
      UNION ALL
        SELECT back.correction, back.payer_id, r.previous_id
        FROM back JOIN remittance_claim r ON r.id = back.reversal
        WHERE r.status_code = '22' AND r.corrected_by_id IS NULL
          AND r.payer_id = back.payer_id AND r.previous_id IS NOT NULL
    )
    UPDATE remittance_claim SET corrected_by_id = back.correction
    FROM (SELECT reversal, payer_id, MIN(correction) AS correction
          FROM back GROUP BY reversal, payer_id) AS back
    WHERE remittance_claim.id = back.reversal AND remittance_claim.payer_id = back.payer_id
      AND remittance_claim.status_code = '22' AND remittance_claim.corrected_by_id IS NULL
    """,
]


def link_history(era_id: int) -> None:
    """Link every claim of a booked ERA to the same claim's latest earlier one
    (``previous``), and each reversal its claims correct to the correction
    (``corrected_by``), by the claims' identity: run once the ERA's claims have one,
    inside the booking's transaction."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # PostgreSQL prices a large ERA's index lookups past its JIT thresholds, and
            # compiling them takes longer than running them (about 1 s more on a
            # 20,000-claim ERA): off for these statements, then back as it was.
            cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
            jit = cursor.fetchone()[0]
        for sql in HISTORY_SQL:
            cursor.execute(sql, {"era": era_id})
        if postgres:
            cursor.execute("SELECT set_config('jit', %s, true)", [jit])
