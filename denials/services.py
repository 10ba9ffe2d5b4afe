"""Writes for denials: record the denials of a booked 835 transaction."""

from __future__ import annotations

import json

from django.utils import timezone

from remittance.booking import BookedTransaction
from remittance.bulk import insert_rows
from x12.remit835 import Transaction

from .models import Denial
from .rules import Catalog, Finding, find_denials

DENIAL_COLUMNS = [
    "remittance_id",
    "era_id",
    "claim_id",
    "service_line_id",
    "payer_id",
    "level",
    "group_code",
    "reason_code",
    "adjustment_codes",
    "remark_codes",
    "category",
    "severity",
    "appealable",
    "unprocessable",
    "next_action",
    "rule",
    "denied_amount",
    "charge_amount",
    "paid_amount",
    "service_date",
    "received_date",
    "created_at",
]


def denials_find(*, parsed: Transaction, catalog: Catalog) -> list[tuple[int, Finding]]:
    """Every denial in a parsed transaction, as (claim position, finding)."""
    return [
        (position, finding)
        for position, claim in enumerate(parsed.claims)
        for finding in find_denials(claim, catalog)
    ]


def denials_record(
    *, parsed: Transaction, booked: BookedTransaction, found: list[tuple[int, Finding]]
) -> int:
    """Write the denial rows of a freshly booked transaction in one bulk insert.

    Runs inside the booking's database transaction, so a failure leaves no denial without
    its claim and no claim without its denials."""
    if not found:
        return 0
    now = timezone.now()
    received = parsed.payment.production_date or parsed.payment.date or timezone.localdate(now)
    rows = []
    for position, f in found:
        line_id = None if f.line_index is None else booked.line_ids[position][f.line_index]
        rows.append(
            (
                booked.remittance_id,
                booked.era_id,
                booked.claim_ids[position],
                line_id,
                booked.payer_id,
                "claim" if line_id is None else "line",
                f.group_code,
                f.reason_code,
                json.dumps(f.adjustment_codes),
                json.dumps(f.remark_codes),
                f.category,
                f.severity,
                f.appealable,
                f.unprocessable,
                f.next_action,
                f.rule,
                f.denied_amount,
                f.charge_amount,
                f.paid_amount,
                f.service_date,
                received,
                now,
            )
        )
    return insert_rows(Denial, DENIAL_COLUMNS, rows)
