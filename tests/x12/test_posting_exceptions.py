"""Damage contained: a bad claim is quarantined, a broken transaction fails alone (no DB)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from x12.remit835 import ClaimException, X12ParseError, parse

DATA = Path(__file__).resolve().parent.parent / "data"
EMEDNY = (DATA / "edi835parser_emedny-sample.835").read_text(encoding="latin-1")
SECOND_CLP = "CLP*PATIENT ACCOUNT NUMBER*2*34*0**MC*1000220000000020*11"


def test_truncated_clp_in_a_real_sample_is_quarantined_and_the_other_claims_parse():
    (tx,) = parse(EMEDNY.replace(SECOND_CLP, "CLP*090909*22")).transactions
    assert not tx.failed
    assert [c.payer_claim_control_number for c in tx.claims] == [
        "1000210000000030",
        "1000230000000020",
    ]
    assert [len(c.service_lines) for c in tx.claims] == [4, 4]
    (quarantined,) = tx.exceptions
    assert isinstance(quarantined, ClaimException)
    assert quarantined.position == 1
    assert quarantined.patient_control_number == "090909"
    assert quarantined.paid is None
    assert quarantined.segment_number == 32  # its CLP, counted from ST
    assert quarantined.raw_segments[0] == "CLP*090909*22"
    assert quarantined.raw_segments[-1] == "CAS*CO*29*22"
    assert len(quarantined.raw_segments) == 12  # up to the next CLP
    assert quarantined.raw.startswith("CLP*090909*22~NM1*QC*1*SUBMITTED LAST")
    assert quarantined.raw.endswith("CAS*CO*29*22~")
    assert quarantined.message == (
        "segment 34 (CLP), element 03: required element is empty: expected a decimal amount"
    )
    assert (quarantined.error.segment_id, quarantined.error.element) == ("CLP", 3)
    # BPR02 45.75 = 34.25 + 11.50: the quarantined claim paid nothing; no payment warning
    assert not any("BPR02" in w for w in tx.warnings)


def test_quarantined_claim_that_paid_is_named_by_the_payment_warning():
    text = EMEDNY.replace("CLP*PATIENT ACCOUNT NUMBER*1*34.25*34.25", "CLP*PCN123*1*34.25*34.25")
    text = text.replace("AMT*AU*34.25~", "AMT*AU*34.2X~")
    (tx,) = parse(text).transactions
    assert len(tx.claims) == 2 and tx.exceptions[0].patient_control_number == "PCN123"
    assert tx.exceptions[0].paid == Decimal("34.25")
    (warning,) = [w for w in tx.warnings if "BPR02" in w]
    assert warning.startswith(
        "BPR02 payment 45.75 reconciles once quarantined claim 'PCN123' (transaction segment 13,"
        " paid 34.25: segment 21 (AMT), element 02: expected a decimal amount"
    )
    assert warning.endswith(
        "counted: claims paid 11.5 + quarantined 34.25 - provider adjustments 0 = 45.75"
    )


def test_broken_transaction_in_a_real_sample_fails_alone_and_the_next_parses():
    body = EMEDNY[EMEDNY.index("ST*835") : EMEDNY.index("GE*")]
    broken = body.replace("ST*835*1740", "ST*835*1741")
    broken = broken.replace("LX*1~", "LX*1~BPR*I*1~")  # a header segment after the header
    text = EMEDNY.replace("GE*1*", f"{broken}GE*2*")
    first, failed = parse(text).transactions
    assert not first.failed and len(first.claims) == 3
    assert failed.failed and failed.claims == [] and failed.exceptions == []
    assert failed.control_number == "1741"
    assert failed.error.segment_id == "BPR"
    assert failed.raw_segments[0] == "ST*835*1741" and failed.raw_segments[-1] == "SE*65*1740"

    # ...and the other way round: the broken one first
    text = EMEDNY.replace("ST*835*1740", f"{broken}ST*835*1740").replace("GE*1*", "GE*2*")
    failed, second = parse(text).transactions
    assert failed.failed and failed.index == 0
    assert not second.failed and len(second.claims) == 3 and second.index == 1


def test_error_at_the_file_envelope_still_fails_the_whole_file():
    with pytest.raises(X12ParseError):
        parse(EMEDNY.replace("ST*835*1740", "ST*999*1740"))
