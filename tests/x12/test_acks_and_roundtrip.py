"""277CA and 999 readers, kind detection, render -> parse round trips and corruption."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

import x12
from remittance.generator.claims import build_277ca, build_837
from x12 import X12ParseError
from x12.ack277ca import parse_277ca
from x12.ack277ca.writer import render_277ca
from x12.ack999 import parse_999
from x12.ack999.writer import render_999
from x12.claim837 import INSTITUTIONAL, PROFESSIONAL, Reader837, parse_837
from x12.claim837.writer import render_837

ISA = (
    "ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SUBMITTER      *261127*1200*^*00501"
    "*000000001*0*P*:~"
)
ACK_999 = (
    ISA + "GS*FA*RCV*SUB*20261127*1200*1*X*005010X231A1~ST*999*0001*005010X231A1~"
    "AK1*HC*17*005010X222A1~AK2*837*0001*005010X222A1~IK5*A~AK2*837*0002*005010X222A1~"
    "IK3*CLM*22*2300*8~IK4*2*782*6*12X.5~IK3*NM1*9*2010BA*8~IK4*9:1*67*7*ABC~IK5*R*5~"
    "AK9*P*2*2*1~SE*12*0001~GE*1*1~IEA*1*000000001~"
)
ACK_277 = (
    ISA + "GS*HN*RCV*SUB*20261127*1200*1*X*005010X214~ST*277*0001*005010X214~"
    "BHT*0085*08*TRACE1*20261127*1200*TH~HL*1**20*1~NM1*PR*2*ACME HEALTH*****PI*12345~"
    "TRN*1*SRC1~DTP*050*D8*20261126~HL*2*1*21*1~NM1*41*2*BILLING CO*****46*SUB1~TRN*2*BATCH1~"
    "STC*A1:19:PR*20261127*WQ*350~QTY*90*1~QTY*AA*1~AMT*YU*100~AMT*YY*250~"
    "HL*3*2*19*1~NM1*85*2*CLINIC*****XX*1234567893~HL*4*3*PT~NM1*QC*1*DOE*JANE~"
    "TRN*2*PCN0001~STC*A2:20:PR*20261127*WQ*100~REF*1K*ICN0001~REF*D9*CH0001~"
    "DTP*472*RD8*20261101-20261102~HL*5*3*PT~NM1*QC*1*ROE*RICK~TRN*2*PCN0002~"
    "STC*A7:562:85*20261127*U*250******A7:21:PR~REF*D9*CH0002~DTP*472*D8*20261103~"
    "SE*30*0001~GE*1*1~IEA*1*000000001~"
)


def _norm(claim):
    lines = tuple(replace(x, segment_index=0) for x in claim.lines)
    return replace(claim, segment_index=0, lines=lines)


# -- kind detection ----------------------------------------------------------------------


def test_detect_kind_of_each_set():
    assert x12.detect_kind(ACK_999) == "999"
    assert x12.detect_kind(ACK_277) == "277CA"
    assert x12.detect_kind(render_837(build_837(seed=1, claims=2))) == "837"
    assert x12.detect_kind(ACK_999.encode()) == "999"


def test_detect_kind_falls_back_to_gs01_and_rejects_others():
    only_gs = ISA + "GS*HC*A*B*20261127*1200*1*X*999999X999X9~"
    assert x12.detect_kind(only_gs) == "837"
    with pytest.raises(X12ParseError, match=r"segment 3 \(ST\), element 01: unsupported.*834"):
        x12.detect_kind(ISA + "GS*BE*A*B*20261127*1200*1*X*005010X220A1~ST*834*1~")
    with pytest.raises(X12ParseError, match="not an X12 file"):
        x12.detect_kind("hello, world")


def test_generic_read_dispatches():
    assert [len(tx.sets) for tx in x12.read(ACK_999)] == [2]
    assert [len(tx.claims) for tx in x12.read(ACK_277)] == [2]


# -- 277CA -------------------------------------------------------------------------------


def test_277ca_claim_statuses():
    tx = parse_277ca(ACK_277).transactions[0]
    assert not tx.failed and tx.warnings == ()
    ok, bad = tx.claims
    assert ok.patient_control_number == "PCN0001"
    assert (ok.payer_claim_control_number, ok.clearinghouse_trace) == ("ICN0001", "CH0001")
    assert ok.accepted and not ok.rejected
    assert (ok.category_code, ok.status_code, ok.total_charge) == ("A2", "20", D("100"))
    assert (ok.payer_name, ok.payer_id, ok.provider_npi) == ("ACME HEALTH", "12345", "1234567893")
    assert str(ok.service_date_from) == "2026-11-01" and str(ok.service_date_to) == "2026-11-02"
    assert bad.rejected and not bad.accepted
    assert (bad.category_code, bad.status_code, bad.entity_code) == ("A7", "562", "85")
    assert bad.statuses[0].categories == ("A7", "A7")
    assert bad.statuses[0].codes[1].code == "21"
    assert bad.action_code == "U"


def test_277ca_file_level_statuses():
    levels = parse_277ca(ACK_277).transactions[0].levels
    receiver = next(x for x in levels if x.level == "21")
    assert receiver.trace == "BATCH1"
    assert receiver.statuses[0].codes[0].category == "A1"
    assert (receiver.accepted_quantity, receiver.rejected_quantity) == (1, 1)
    assert (receiver.accepted_amount, receiver.rejected_amount) == (D("100"), D("250"))


def test_277ca_bad_stc_amount_names_segment_and_element():
    text = ACK_277.replace("WQ*100~", "WQ*1O0~")
    tx = parse_277ca(text).transactions[0]
    assert tx.failed
    assert tx.error.segment_id == "STC" and tx.error.element == 4
    assert "(STC), element 04: expected a decimal amount, found '1O0'" in tx.error_message


def test_277ca_builder_rejects_a_realistic_share_and_round_trips():
    txs = build_837(seed=5, claims=1000)
    ack = build_277ca(txs, seed=5)
    back = parse_277ca(render_277ca([ack])).transactions[0]
    assert [replace(c, segment_index=0) for c in back.claims] == list(ack.claims)
    share = sum(c.rejected for c in back.claims) / len(back.claims)
    assert 0.04 <= share <= 0.09
    assert {c.category_code for c in back.claims if c.rejected} <= {"A3", "A6", "A7"}
    assert back.levels == ack.levels


# -- 999 ---------------------------------------------------------------------------------


def test_999_set_responses_with_segment_and_element_errors():
    tx = parse_999(ACK_999).transactions[0]
    assert (tx.functional_id, tx.group_control_number, tx.group_version) == (
        "HC",
        "17",
        "005010X222A1",
    )
    first, second = tx.sets
    assert first.accepted and not first.rejected and first.segment_errors == ()
    assert second.rejected and second.status_codes == ("5",)
    clm, nm1 = second.segment_errors
    assert (clm.segment_id, clm.position, clm.loop, clm.code) == ("CLM", 22, "2300", "8")
    element = clm.element_errors[0]
    assert (element.position, element.reference_number, element.code, element.bad_value) == (
        2,
        "782",
        "6",
        "12X.5",
    )
    assert nm1.element_errors[0].component == 1
    assert (tx.group_status, tx.sets_included, tx.sets_received, tx.sets_accepted) == (
        "P",
        2,
        2,
        1,
    )


def test_999_round_trip():
    tx = parse_999(ACK_999).transactions[0]
    back = parse_999(render_999([tx])).transactions[0]
    assert replace(back, envelope=tx.envelope) == tx


def test_999_ik4_without_ik3_fails_the_transaction():
    text = ACK_999.replace("IK3*CLM*22*2300*8~", "")
    tx = parse_999(text).transactions[0]
    assert tx.failed and tx.error.segment_id == "IK4"
    assert tx.error.segment_number == 8


# -- 837 round trips ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", [PROFESSIONAL, INSTITUTIONAL])
def test_837_render_parse_gives_equal_claims(kind):
    txs = build_837(seed=11, claims=400, kind=kind, claims_per_transaction=150)
    back = parse_837(render_837(txs)).transactions
    assert [len(tx.claims) for tx in back] == [150, 150, 100]
    assert [_norm(c) for tx in back for c in tx.claims] == [c for tx in txs for c in tx.claims]
    assert all(tx.kind == kind and not tx.warnings for tx in back)
    again = parse_837(render_837(back)).transactions
    assert [replace(t, envelope=b.envelope) for t, b in zip(again, back, strict=True)] == back


def test_builder_makes_replacements_and_voids_with_ref_f8():
    claims = [c for tx in build_837(seed=2, claims=2000) for c in tx.claims]
    replaced = [c for c in claims if c.frequency_code in ("7", "8")]
    assert {c.frequency_code for c in replaced} == {"7", "8"}
    assert all(c.payer_claim_control_number.startswith("PCN") for c in replaced)
    assert 0.02 < len(replaced) / len(claims) < 0.08


# -- corruption --------------------------------------------------------------------------


def _sample_text() -> str:
    return render_837(build_837(seed=4, claims=3, claims_per_transaction=3))


def test_truncated_837_fails_the_transaction():
    text = _sample_text()
    tx = parse_837(text[: len(text) // 2]).transactions[0]
    assert tx.failed and "truncated file" in tx.error_message
    assert tx.claims == ()


def test_bad_clm02_names_segment_number_id_and_element():
    text = _sample_text()
    first = text.index("CLM*")
    pcn, charge = text[first:].split("*")[1:3]
    text = text.replace(f"CLM*{pcn}*{charge}*", f"CLM*{pcn}*1,000.00*", 1)
    number = text[: text.index(f"CLM*{pcn}*")].count("~") + 1
    tx = parse_837(text).transactions[0]
    error = tx.exceptions[0].error
    assert (error.segment_number, error.segment_id, error.element) == (number, "CLM", 2)
    assert str(error).startswith(f"segment {number} (CLM), element 02: expected a decimal")
    assert len(tx.claims) == 2


def test_missing_se_fails_the_transaction_and_names_the_next_segment():
    text = _sample_text()
    start = text.index("~SE*") + 1
    text = text[:start] + text[text.index("~", start) + 1 :]
    tx = parse_837(text).transactions[0]
    assert tx.failed
    assert tx.error.segment_id == "GE" and tx.error.expected == "SE"


def test_bad_sv1_charge_quarantines_only_that_claim():
    text = _sample_text()
    at = text.index("SV1*")
    end = text.index("~", at)
    parts = text[at:end].split("*")
    parts[2] = "12x.5"
    tx = parse_837(text[:at] + "*".join(parts) + text[end:]).transactions[0]
    assert len(tx.exceptions) == 1 and len(tx.claims) == 2
    assert "(SV1), element 02: expected a decimal amount, found '12x.5'" in tx.exceptions[0].message


def test_bad_delimiter_in_isa_is_an_error():
    text = _sample_text()
    broken = text[:105] + "A" + text[106:]  # ISA16 component separator as a letter
    with pytest.raises(X12ParseError) as caught:
        list(Reader837(broken))
    assert caught.value.segment_id == "ISA"


def test_hl_with_unknown_parent_fails_the_transaction():
    text = _sample_text().replace("HL*2*1*22*", "HL*2*9*22*", 1)
    tx = parse_837(text).transactions[0]
    assert tx.failed and tx.error.segment_id == "HL" and tx.error.element == 2


def test_835_reader_rejects_an_837():
    from x12.remit835 import Reader

    with pytest.raises(X12ParseError, match=r"\(ST\), element 01: not a health care claim"):
        list(Reader(_sample_text()))


def test_error_messages_and_reprs_carry_no_phi():
    txs = build_837(seed=9, claims=5, claims_per_transaction=5)
    text = render_837(txs).replace("DMG*D8*", "DMG*D8*X", 1)
    tx = parse_837(text).transactions[0]
    person = txs[0].claims[0].subscriber
    shown = repr(tx) + " ".join(tx.warnings)
    assert person.last_name not in shown and person.member_id not in shown
    assert "DMG" in " ".join(tx.warnings)
