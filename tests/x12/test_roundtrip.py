"""Round trip: parse(render(build_transactions(...))) gives back what was generated.

The generator (remittance.generator) writes synthetic 835 files from the parser's own
dataclasses; every field it sets must come back equal from the parser, with no warnings
(balancing, SE/GE/IEA counts) on generated data.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remittance.generator import build_files, build_transactions, generate_file, render
from x12.remit835 import Delimiters, parse

# (element, component, repetition, segment): none of these occurs in generated data, which
# uses only A-Z, 0-9, space, '.' and '-'.
DELIMITER_SETS = [
    ("*", ":", "^", "~"),
    ("|", ">", "^", "~"),
    ("*", "^", "{", "\n"),
    ("*", ">", "^", "~"),
    ("!", ":", "^", "'"),
    ("^", "\\", "{", "~"),
]
PARSER_ONLY = {"segment_number", "segment_count", "warnings", "index", "envelope"}


def normalized(transactions) -> list[dict]:
    """asdict() of each transaction without the fields only the parser fills."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in PARSER_ONLY}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [strip(dataclasses.asdict(tx)) for tx in transactions]


def first_difference(expected, got, path="transactions") -> str | None:
    """Where two normalized structures first differ, for a readable failure message."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in expected.keys() | got.keys():
            found = first_difference(expected.get(key), got.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return f"{path}: {len(expected)} items generated, {len(got)} parsed"
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    if expected != got or type(expected) is not type(got):
        return f"{path}: generated {expected!r}, parsed {got!r}"
    return None


def assert_round_trip(transactions, text, isa_control_number=1):
    result = parse(text)
    assert result.warnings == []
    assert [tx.warnings for tx in result.transactions] == [[] for _ in result.transactions]
    expected, got = normalized(transactions), normalized(result.transactions)
    difference = first_difference(expected, got)
    assert difference is None, difference
    assert expected == got
    for position, tx in enumerate(result.transactions):
        assert tx.index == position
        assert tx.envelope.version == "005010X221A1"
        assert tx.envelope.isa_control_number == f"{isa_control_number:09d}"
        assert tx.envelope.gs_control_number == str(isa_control_number)
    return result


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    claims=st.integers(min_value=1, max_value=40),
    transactions=st.one_of(st.none(), st.integers(min_value=1, max_value=8)),
    newline=st.booleans(),
    delimiters=st.sampled_from(DELIMITER_SETS),
    isa_control=st.integers(min_value=1, max_value=999_999_999),
)
def test_parse_render_round_trip(seed, claims, transactions, newline, delimiters, isa_control):
    txs = build_transactions(claims=claims, seed=seed, transactions=transactions)
    assert sum(len(tx.claims) for tx in txs) == claims
    if transactions is not None:
        assert len(txs) == transactions
    text = render(
        txs,
        delimiters=Delimiters(*delimiters),
        newline=newline,
        isa_control_start=isa_control,
    )
    assert_round_trip(txs, text, isa_control)


def test_large_round_trip_covers_every_scenario():
    txs = build_transactions(claims=3000, seed=11, transactions=24)
    text = render(txs, newline=True)
    assert_round_trip(txs, text)
    statuses = Counter(c.status_code for tx in txs for c in tx.claims)
    assert set(statuses) >= {"1", "2", "4", "19", "22"}
    assert 0.55 < statuses["1"] / 3000 < 0.90
    assert 0.06 < statuses["4"] / 3000 < 0.15
    assert 0.015 < statuses["22"] / 3000 < 0.05
    reasons = {p.reason_code for tx in txs for p in tx.provider_adjustments}
    assert {"WO", "L6"} <= reasons
    line_reasons = Counter(
        f"{a.group_code}-{a.reason_code}"
        for tx in txs
        for c in tx.claims
        for s in c.service_lines
        for a in s.adjustments
    )
    for code in ("CO-45", "PR-1", "PR-2", "PR-3", "CO-16", "CO-97", "OA-23", "CO-253"):
        assert line_reasons[code] > 0, code
    assert any(
        c.drg_code and not c.service_lines and c.adjustments for tx in txs for c in tx.claims
    )


def test_generated_money_balances():
    for tx in build_transactions(claims=2500, seed=3, transactions=25):
        total = Decimal("0")
        for claim in tx.claims:
            pr = Decimal("0")
            for line in claim.service_lines:
                assert line.charge - line.paid == sum(a.amount for a in line.adjustments)
                pr += sum(a.amount for a in line.adjustments if a.group_code == "PR")
            pr += sum(a.amount for a in claim.adjustments if a.group_code == "PR")
            if claim.service_lines:
                assert claim.charge == sum(s.charge for s in claim.service_lines)
                assert claim.paid == sum(s.paid for s in claim.service_lines)
                assert not claim.adjustments
            else:
                assert claim.charge - claim.paid == sum(a.amount for a in claim.adjustments)
            assert claim.patient_responsibility == pr
            for value in (claim.charge, claim.paid, claim.patient_responsibility):
                assert value == value.quantize(Decimal("0.01"))
            total += claim.paid
        total -= sum(p.amount for p in tx.provider_adjustments)
        assert tx.payment.amount == total >= 0
        if total == 0:
            assert (tx.payment.transaction_handling, tx.payment.method) == ("H", "NON")


def test_reversals_follow_their_original():
    txs = build_transactions(claims=6000, seed=5, transactions=30)
    seen: dict[tuple[str, str], list[tuple[int, object]]] = {}
    reversals = 0
    originals_found = 0
    for position, tx in enumerate(txs):
        claims = tx.claims
        for i, claim in enumerate(claims):
            if claim.status_code == "22":
                reversals += 1
                corrected = claims[i + 1]
                assert corrected.patient_control_number == claim.patient_control_number
                assert corrected.status_code == "1"
                earlier = seen.get((tx.payer.identifier, claim.patient_control_number), [])
                matches = [
                    (p, c)
                    for p, c in earlier
                    if c.charge == -claim.charge and c.status_code != "22"
                ]
                if matches:
                    originals_found += 1
                    assert all(p < position for p, _ in matches)
                    original = matches[-1][1]
                    assert original.payer_claim_control_number == claim.payer_claim_control_number
                    assert claim.paid == -original.paid
        for claim in claims:
            seen.setdefault((tx.payer.identifier, claim.patient_control_number), []).append(
                (position, claim)
            )
    assert reversals > 50
    assert originals_found > reversals / 2


def test_forwarded_balance_is_recouped_later():
    """A negative net forwards with FB < 0; the payer's later remit recoups it with FB > 0."""
    for seed in range(40):
        txs = build_transactions(claims=60, seed=seed, transactions=20)
        forwarded = [p for tx in txs for p in tx.provider_adjustments if p.reason_code == "FB"]
        if any(p.amount < 0 for p in forwarded) and any(p.amount > 0 for p in forwarded):
            negative = next(p for p in forwarded if p.amount < 0)
            assert any(p.amount > 0 and p.reference == negative.reference for p in forwarded)
            return
    pytest.fail("no forwarded balance in 40 seeds")


def test_deterministic_and_seed_sensitive():
    assert generate_file(claims=300, seed=9) == generate_file(claims=300, seed=9)
    assert generate_file(claims=300, seed=9) != generate_file(claims=300, seed=10)


def test_envelope_layout():
    txs = build_transactions(claims=50, seed=1)
    text = render(txs, isa_control_start=42)
    segments = text.split("~")
    assert segments[-1] == ""
    isa = segments[0]
    assert len(isa) == 105 and len(isa + "~") == 106
    fields = isa.split("*")
    assert [len(f) for f in fields[1:]] == [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1]
    assert fields[11] == "^" and fields[12] == "00501" and fields[13] == "000000042"
    assert fields[16] == ":"
    assert segments[1].split("*")[1] == "HP" and segments[1].endswith("*X*005010X221A1")
    assert segments[-3] == f"GE*{len(txs)}*42" and segments[-2] == "IEA*1*000000042"
    st_segments = [s for s in segments if s.startswith("ST*")]
    assert len(st_segments) == len(txs)
    # no element ends a segment empty (trailing empties are omitted)
    assert not [s for s in segments[1:-1] if s.endswith("*")]
    assert not re.search(r":\*|:~", text[len(isa) + 1 :])  # nor a composite empty


def test_newline_and_default_transaction_count():
    txs = build_transactions(claims=20_000, seed=2)
    assert len(txs) == 10
    assert len({tx.payer.identifier for tx in txs}) == 6
    assert len({tx.payment.trace_number for tx in txs}) == len(txs)
    small = build_transactions(claims=3, seed=2)
    assert len(small) == 3
    text = render(small, newline=True)
    assert all(line.endswith("~") for line in text.splitlines())


def test_build_files_keep_payment_cycles_in_order():
    groups = build_files(claims=3000, seed=1, files=3)
    assert len(groups) == 3 and all(groups)
    assert sum(len(tx.claims) for g in groups for tx in g) == 3000
    for position, group in enumerate(groups, 1):
        assert_round_trip(group, render(group, isa_control_start=position), position)
    dates: dict[str, date] = {}
    for group in groups:
        for tx in group:
            payer = tx.payer.identifier
            assert dates.get(payer, date.min) < tx.payment.date
            dates[payer] = tx.payment.date
