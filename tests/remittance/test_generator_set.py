"""The seeded claims set: 837 batches, 277CA acknowledgements and 835s for the same claims.
Pure unit tests (no database): everything is parsed back with the repository's readers."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from remittance.generator import ClaimSet, build_claim_set
from remittance.generator.build import PAYEE, PAYERS
from remittance.generator.claimset import submitted_id
from x12.ack277ca import parse_277ca
from x12.claim837 import INSTITUTIONAL, PROFESSIONAL, parse_837
from x12.remit835 import parse

START = date(2026, 10, 1)


@pytest.fixture(scope="module")
def claim_set() -> ClaimSet:
    return build_claim_set(claims=1000, seed=7, start=START)


@pytest.fixture(scope="module")
def parsed(claim_set):
    """(day, transactions) per file kind, asserting every file reads back cleanly."""
    out = {"837": [], "277": [], "835": []}
    for f in claim_set.batches:
        result = parse_837(f.text)
        assert not result.warnings
        for tx in result.transactions:
            assert not tx.failed and not tx.exceptions and not tx.warnings, f.name
        out["837"].append((f.day, result.transactions))
    for f in claim_set.acks:
        result = parse_277ca(f.text)
        assert not result.warnings
        for tx in result.transactions:
            assert not tx.failed and not tx.warnings, f.name
        out["277"].append((f.day, result.transactions))
    for f in claim_set.remits:
        result = parse(f.text)
        assert not result.warnings
        for tx in result.transactions:
            assert tx.error is None and not tx.exceptions and not tx.warnings, f.name
        out["835"].append((f.day, result.transactions))
    return out


def _claims_837(parsed):
    """(837 day, claim) for every submitted claim."""
    return [(tx.created_on, c) for _, txs in parsed["837"] for tx in txs for c in tx.claims]


def _acks(parsed):
    return [(tx.created_on, c) for _, txs in parsed["277"] for tx in txs for c in tx.claims]


def _remits(parsed):
    return [(tx, c) for _, txs in parsed["835"] for tx in txs for c in tx.claims]


def test_files_named_by_day_and_parse_back(claim_set, parsed):
    assert claim_set.batches[0].name == "2026-10-01_batch-001.837"
    assert claim_set.acks[0].name == "2026-10-02_ack-001.277ca"
    assert min(f.day for f in claim_set.files) == START
    for f in claim_set.files:
        assert f.name.startswith(f.day.isoformat() + "_")
    names = [f.name for f in claim_set.files]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert [f.day for f in claim_set.files] == sorted(f.day for f in claim_set.files)
    assert len(claim_set.batches) == len(claim_set.acks)
    assert {PROFESSIONAL, INSTITUTIONAL} == {tx.kind for _, txs in parsed["837"] for tx in txs}
    # one 835 file per payment day
    pay_days = [{tx.payment.date for tx in txs} for _, txs in parsed["835"]]
    assert all(len(days) == 1 for days in pay_days)
    assert [d for (d,) in pay_days] == [day for day, _ in parsed["835"]]
    assert len({day for day, _ in parsed["835"]}) == len(parsed["835"])
    assert claim_set.claims == 1000
    assert claim_set.submissions == len(_claims_837(parsed))
    assert claim_set.paid_claims == len(_remits(parsed))
    assert "1000 claims" in claim_set.summary()


def test_every_835_claim_has_exactly_one_submitted_837_claim(parsed):
    submitted = Counter(
        (c.payer.payer_id, c.patient_control_number, c.charge) for _, c in _claims_837(parsed)
    )
    accepted = {
        (a.payer_id, a.patient_control_number, a.clearinghouse_trace)
        for _, a in _acks(parsed)
        if a.accepted
    }
    by_trace = {
        (c.payer.payer_id, c.patient_control_number, c.clearinghouse_trace): c
        for _, c in _claims_837(parsed)
    }
    matched_accepted = Counter()
    for tx, clp in _remits(parsed):
        payer_id = tx.payer.identifier or tx.payer.additional_ids["2U"]
        key = (payer_id, clp.patient_control_number, clp.charge)
        # one submission, or a rejected one and its accepted resubmission
        assert submitted[key] in (1, 2), key
        hits = [
            by_trace[k] for k in accepted if k[0] == payer_id and k[1] == clp.patient_control_number
        ]
        assert len(hits) == 1
        matched_accepted[key] += 1
        claim = hits[0]
        assert claim.payer.name == tx.payer.name
        assert claim.charge == clp.charge
        assert claim.frequency_code == "1"
        assert claim.billing_provider.npi == tx.payee.npi == PAYEE.npi
        institutional = bool(clp.drg_code) or any(
            svc.revenue_code or svc.procedure_qualifier == "NU" for svc in clp.service_lines
        )
        assert claim.kind == (INSTITUTIONAL if institutional else PROFESSIONAL)
        assert claim.facility_code == clp.facility_type
        assert sum((x.charge for x in claim.lines), Decimal("0")) == clp.charge
        if clp.service_lines:
            assert len(claim.lines) == len(clp.service_lines)
            for line, svc in zip(claim.lines, clp.service_lines, strict=True):
                assert line.charge == svc.charge
                assert line.line_control_number == svc.control_number
                assert line.service_date_from == svc.service_date_from
                code = svc.original_procedure_code or svc.procedure_code
                if svc.procedure_qualifier == "NU":
                    assert line.revenue_code == code
                else:
                    assert line.procedure_code == code
                    assert line.modifiers == tuple(svc.modifiers)
                    assert line.units == (svc.original_units or svc.units)
    assert all(n == 1 for n in matched_accepted.values())
    assert {submitted_id(p) for p in PAYERS} >= {k[0] for k in submitted}


def test_every_837_claim_is_in_exactly_one_277ca(parsed):
    acks = Counter((a.patient_control_number, a.clearinghouse_trace) for _, a in _acks(parsed))
    claims = [(c.patient_control_number, c.clearinghouse_trace) for _, c in _claims_837(parsed)]
    assert len(set(claims)) == len(claims)
    assert all(trace for _, trace in claims)
    assert all(acks[key] == 1 for key in claims)
    assert sum(acks.values()) == len(claims)


def test_rejected_share_and_codes(claim_set, parsed):
    acks = [a for _, a in _acks(parsed)]
    rejected = [a for a in acks if a.rejected]
    assert claim_set.rejected == len(rejected)
    assert 0.05 <= len(rejected) / claim_set.claims <= 0.08
    assert 0.05 <= len(rejected) / len(acks) <= 0.08
    for a in rejected:
        assert a.category_code in ("A3", "A6", "A7")
        assert a.status_code in ("21", "33", "145", "562")
        assert a.entity_code and a.action_code == "U"
    for a in acks:
        assert a.rejected or (a.accepted and a.payer_claim_control_number)


def test_rejected_claims_are_paid_only_after_an_accepted_resubmission(claim_set, parsed):
    submissions = defaultdict(list)  # pcn -> [(277CA day, ack)]
    for day, a in _acks(parsed):
        submissions[a.patient_control_number].append((day, a))
    paid = Counter(clp.patient_control_number for _, clp in _remits(parsed))
    resubmitted = 0
    for pcn, acks in submissions.items():
        acks.sort(key=lambda x: x[0])
        if not any(a.rejected for _, a in acks):
            assert len(acks) == 1 and paid[pcn] == 1
            continue
        if len(acks) == 1:  # rejected, never sent again: never adjudicated
            assert paid[pcn] == 0
            continue
        (first_day, first), (second_day, second) = acks
        assert first.rejected and second.accepted
        assert first.clearinghouse_trace != second.clearinghouse_trace
        assert 3 <= (second_day - first_day).days <= 10
        assert paid[pcn] == 1
        resubmitted += 1
    assert resubmitted == claim_set.resubmitted
    rejected = claim_set.rejected
    assert rejected // 2 - 1 <= resubmitted <= rejected // 2 + 1


def test_277ca_is_the_day_after_its_837(claim_set, parsed):
    days_837 = {
        (c.patient_control_number, c.clearinghouse_trace): d for d, c in _claims_837(parsed)
    }
    for day, a in _acks(parsed):
        submitted = days_837[(a.patient_control_number, a.clearinghouse_trace)]
        assert day == a.status_date == submitted + timedelta(days=1)
    for batch, ack in zip(claim_set.batches, claim_set.acks, strict=True):
        assert ack.day == batch.day + timedelta(days=1)
        assert ack.name.split("_ack-")[1][:-6] == batch.name.split("_batch-")[1][:-4]


def test_835_dates_are_14_to_45_days_after_the_accepted_837(parsed):
    accepted = {
        (a.patient_control_number, a.clearinghouse_trace) for _, a in _acks(parsed) if a.accepted
    }
    day_of = {
        c.patient_control_number: (d, c)
        for d, c in _claims_837(parsed)
        if (c.patient_control_number, c.clearinghouse_trace) in accepted
    }
    for tx, clp in _remits(parsed):
        submitted, claim = day_of[clp.patient_control_number]
        assert 14 <= (tx.payment.date - submitted).days <= 45
        assert 14 <= (tx.payment.production_date - submitted).days <= 45
        end = max(x.service_date_to or x.service_date_from for x in claim.lines)
        assert end < submitted  # billed after the services
        if clp.received_date:
            assert clp.received_date == submitted + timedelta(days=1)


def test_deterministic_for_a_seed():
    a = build_claim_set(claims=150, seed=3, start=START, files=2)
    b = build_claim_set(claims=150, seed=3, start=START, files=2)
    assert a == b
    c = build_claim_set(claims=150, seed=4, start=START, files=2)
    assert [f.text for f in c.files] != [f.text for f in a.files]


def test_files_split_each_day(claim_set):
    split = build_claim_set(claims=1000, seed=7, start=START, files=2)
    assert len(split.batches) > len(claim_set.batches)
    assert split.summary().split(":")[0] == claim_set.summary().split(":")[0]
    assert [f.text for f in split.remits] == [f.text for f in claim_set.remits]


def test_small_and_invalid_sizes():
    assert build_claim_set(claims=0, seed=1, start=START).files == []
    one = build_claim_set(claims=1, seed=1, start=START)
    assert [f.name[-5:] for f in one.files] == ["1.837", "277ca", "1.835"]
    with pytest.raises(ValueError):
        build_claim_set(claims=-1, seed=1, start=START)
    with pytest.raises(ValueError):
        build_claim_set(claims=10, seed=1, start=START, files=0)


def test_management_command_writes_the_files(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "generate_claim_set", claims=40, seed=5, out=str(tmp_path), start="2026-10-01", stdout=out
    )
    expected = build_claim_set(claims=40, seed=5, start=START)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f.name for f in expected.files]
    first = expected.batches[0]
    assert (tmp_path / first.name).read_text(encoding="ascii") == first.text
    assert out.getvalue().count("\n") == 1 and "40 claims" in out.getvalue()
