"""The parser on real public sample files (tests/data, see tests/data/SOURCES.md).

Expected values were checked by hand against the files (tr '~' '\\n' < file | cat -n).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from x12.remit835 import Adjustment, Reader, X12ParseError, parse

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLES = sorted(p.name for p in DATA.glob("*.835"))
D = Decimal


def load(name: str):
    return parse((DATA / name).read_bytes())


def test_all_fourteen_samples_are_there():
    assert len(SAMPLES) == 14
    sources = (DATA / "SOURCES.md").read_text()
    for name in SAMPLES:
        assert name in sources


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_parses_or_raises_x12_error(name):
    try:
        result = load(name)
    except X12ParseError as err:
        assert err.segment_number is not None and err.segment_id
    else:
        assert result.transactions


# -- edi-835-parser samples --------------------------------------------------------------------


def test_blue_cross_nc_bare_st_has_an_svc_without_charge_and_paid():
    # segment 28 is "SVC*HC:59426******742*742**1": SVC02 and SVC03 (required) are empty;
    # the line is kept with zero amounts and the gap is reported, not fatal.
    (tx,) = load("edi835parser_blue-cross-nc-sample.835").transactions
    line = tx.claims[0].service_lines[2]
    assert (line.procedure_code, line.charge, line.paid) == ("59426", Decimal(0), Decimal(0))
    assert "segment 28 (SVC), element 02: required amount is empty; read as 0" in tx.warnings
    assert "segment 28 (SVC), element 03: required amount is empty; read as 0" in tx.warnings


def test_blue_cross_nc_bare_st_with_that_line_repaired():
    text = (DATA / "edi835parser_blue-cross-nc-sample.835").read_text()
    text = text.replace("SVC*HC:59426******742*742**1", "SVC*HC:59426*742*742**1")
    result = parse(text)
    assert result.warnings == ["no ISA/GS envelope: delimiters inferred"]
    assert result.delimiters.element == "*"
    assert result.delimiters.segment == "~"
    assert result.delimiters.component == ":"  # from SVC01 "HC:59430"
    (tx,) = result.transactions
    assert tx.control_number == "1234"
    assert tx.envelope.isa_control_number == "" and tx.envelope.version == ""
    assert tx.payment.amount == D("1922.86")
    assert tx.payment.method == "CHK"
    assert tx.payment.date == date(2011, 1, 8)
    assert tx.payment.production_date == date(2011, 1, 4)
    assert tx.payer.name == "BLUE CROSS AND BLUE SHIELD OF NORTH CAROLINA"
    assert tx.payee.npi == "0987654321"
    assert tx.payee.tax_id == "123456789"  # REF*TJ
    (claim,) = tx.claims
    assert claim.patient_control_number == "200200964A52"
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        D("2100"),
        D("1922.86"),
        D("142.54"),
    )
    assert claim.patient_id == " YPB123456789001"  # AN leading spaces are significant
    assert claim.received_date == date(2011, 1, 3)
    assert len(claim.service_lines) == 3
    first = claim.service_lines[0]
    assert (first.procedure_qualifier, first.procedure_code) == ("HC", "59430")
    assert first.original_procedure_code == "59410"
    assert first.units == D("1")
    assert first.allowed_amount == D("1175.4")
    assert first.control_number == "0001"
    assert first.adjustments == [
        Adjustment("CO", "42", D("34.6")),
        Adjustment("PR", "2", D("117.54")),
    ]
    assert first.service_date_from == first.service_date_to == date(2010, 12, 31)
    assert tx.segment_count == 32
    assert "SE01 says 33 segments, counted 32" in tx.warnings


def test_emedny_one_line_file():
    result = load("edi835parser_emedny-sample.835")
    assert result.warnings == []
    (tx,) = result.transactions
    assert tx.warnings == []
    env = tx.envelope
    assert (env.isa_sender_id, env.isa_receiver_id) == ("EMEDNYBAT", "ETIN")
    assert env.isa_control_number == "006000600"
    assert env.isa_date == date(2010, 1, 1)
    assert (env.gs_control_number, env.version, env.usage) == ("6000600", "005010X221A1", "T")
    assert tx.payment.amount == D("45.75")
    assert tx.payer.address == [
        "OFFICE OF HEALTH INSURANCE PROGRAMS",
        "CORNING TOWER, EMPIRE STATE PLAZA",
    ]
    assert [c.status_code for c in tx.claims] == ["1", "2", "2"]
    assert [len(c.service_lines) for c in tx.claims] == [4, 2, 4]
    first = tx.claims[0]
    assert first.patient_last_name == "SUBMITTED LAST"
    assert first.patient_id == "LL99999L"
    assert first.coverage_amount == D("34.25")
    assert first.statement_from == first.statement_to == date(2010, 1, 1)
    assert first.service_lines[0].modifiers == ["RB"]
    last = tx.claims[2].service_lines[-1]
    assert last.remark_codes == ["N206"]
    assert last.adjustments == [Adjustment("CO", "251", D("20"))]
    assert last.units == D("0")
    assert tx.segment_count == 65


def test_united_healthcare_component_separator_and_two_triplet_lines():
    result = load("edi835parser_united-healthcare-legacy-sample.835")
    assert result.delimiters.component == ">"
    assert result.delimiters.repetition == "^"
    (tx,) = result.transactions
    assert tx.warnings == []
    assert tx.payer.additional_ids == {"2U": "87726"}
    assert tx.payer.identifier == "87726" and tx.payer.id_qualifier == "XV"
    assert len(tx.claims) == 2
    line = tx.claims[1].service_lines[2]
    assert (line.procedure_qualifier, line.procedure_code) == ("HC", "B4154")
    assert [(a.group_code, a.reason_code, a.amount) for a in line.adjustments] == [
        ("PR", "2", D("5.13")),
        ("PR", "1", D("110")),
        ("CO", "45", D("184.32")),
    ]


# -- LinuxForHealth TR3 examples ---------------------------------------------------------------


def test_lfh_cob_negative_adjustment():
    (tx,) = load("lfh-x12_cob-contractural-adjustment.835").transactions
    assert tx.warnings == []
    (claim,) = tx.claims
    assert claim.status_code == "2"
    (line,) = claim.service_lines
    # the example writes "HC>55669" while ISA16 is ':': the composite is not split
    assert line.procedure_qualifier == "HC>55669"
    assert line.adjustments == [
        Adjustment("OA", "23", D("516.00")),
        Adjustment("OA", "94", D("-9.00")),
    ]
    assert line.allowed_amount == D("550.00")
    assert claim.rendering_provider_id == "34426"
    assert tx.payee.tax_id == "3UR334563"  # N103=FI


def test_lfh_managed_care_has_an_impossible_bpr_date():
    # BPR16 "20002316" has month 23: a warning, and the payment date is left empty.
    (tx,) = load("lfh-x12_managed-care.835").transactions
    assert tx.payment.date is None
    assert tx.payment.amount == Decimal("945.00")
    assert (
        "segment 4 (BPR), element 16: expected a date CCYYMMDD, found '20002316'; "
        "date left empty" in tx.warnings
    )


def test_lfh_managed_care_with_the_date_repaired():
    text = (DATA / "lfh-x12_managed-care.835").read_text().replace("20002316", "20020316")
    (tx,) = parse(text).transactions
    assert tx.payment.date == date(2002, 3, 16)
    assert [c.patient_control_number for c in tx.claims] == ["5554555444", "8765432112"]
    first = tx.claims[0]
    assert first.adjustments == [Adjustment("CO", "A2", D("50.00"))]
    (line,) = first.service_lines
    assert line.service_date_from == date(2002, 3, 1)
    assert line.service_date_to == date(2002, 3, 4)
    assert tx.warnings == []


def test_lfh_secondary_and_tertiary():
    (tx,) = load("lfh-x12_secondary-payment.835").transactions
    assert [c.status_code for c in tx.claims] == ["2", "2"]
    assert tx.claims[0].adjustments == [Adjustment("OA", "23", D("9411.64"))]
    assert tx.warnings == []
    (tx,) = load("lfh-x12_tertiary-payment.835").transactions
    (claim,) = tx.claims
    assert claim.status_code == "3"
    # "SVC*HC*24599.00*1766.50*187.50**1" in the example: charge/paid shifted -> warning
    assert len(tx.warnings) == 1
    assert "service line 1" in tx.warnings[0] and "does not balance" in tx.warnings[0]
    assert "ISLAND" not in tx.warnings[0] and "ELLIS" not in tx.warnings[0]


# -- OopFactory 4010 files ---------------------------------------------------------------------


def test_oopfactory_deident_indented_4010():
    result = load("oopfactory_4010-deident-01.835")
    assert result.delimiters.repetition is None  # ISA11 "U" is data
    assert result.warnings == []
    (tx,) = result.transactions
    assert len(tx.claims) == 96
    statuses = Counter(c.status_code for c in tx.claims)
    assert statuses["22"] == 19
    assert statuses == {"1": 51, "2": 26, "22": 19}
    assert tx.envelope.version == "999999X999X9"
    assert sum(len(c.service_lines) for c in tx.claims) == 365
    assert tx.payee.additional_ids == {"PQ": "999999999999", "TJ": "999999999"}
    # amounts are masked with 9s, so balancing warnings are expected, never names
    assert any(w.startswith("BPR02 payment 99999.99") for w in tx.warnings)
    assert not [w for w in tx.warnings if "SE01" in w]


def test_oopfactory_gripelements_bom_reversals_plb():
    result = load("oopfactory_4010-example1-gripelements.835")
    assert result.delimiters.repetition is None
    (tx,) = result.transactions
    assert tx.envelope.version == "004010X091A1"
    assert tx.payment.transaction_handling == "H" and tx.payment.method == "NON"
    assert tx.payment.amount == D("5.75")
    statuses = Counter(c.status_code for c in tx.claims)
    assert statuses == {"1": 2, "2": 1, "4": 3, "22": 2, "25": 1}
    assert tx.payee.name == "LAKE AREA RECOVERY CENTER "
    assert tx.payee.tax_id == "346608640"
    (plb,) = tx.provider_adjustments
    assert plb.provider_id == "123456"
    assert plb.fiscal_period_date == date(1996, 9, 30)
    assert (plb.reason_code, plb.reference, plb.amount) == ("CV", "9876514", D("-1.27"))
    reversal = tx.claims[-1]
    assert reversal.status_code == "22" and reversal.charge == D("-86.76")
    (line,) = reversal.service_lines
    assert line.modifiers == ["HF", "H9"]
    assert line.units == D("-4")
    assert line.remark_codes == ["MA92"]
    assert line.adjustments[0] == Adjustment("CR", "22", D("0"), D("0"))
    assert [(a.group_code, a.reason_code) for a in line.adjustments] == [
        ("CR", "22"),
        ("CR", "42"),
        ("OA", "22"),
    ]
    four_modifiers = tx.claims[-3].service_lines[0]
    assert four_modifiers.modifiers == ["HF", "99", "H9"]
    # sum(CLP04) = 5.75 and PLB -1.27 increases the payment: the example does not balance
    assert tx.warnings == [
        "BPR02 payment 5.75 does not equal claims paid 5.75 - provider adjustments -1.27 = 7.02"
    ]


# -- pyx12 -------------------------------------------------------------------------------------


def test_pyx12_mult_loops_zero_payment_denial():
    (tx,) = load("pyx12_835-mult-loops.835").transactions
    assert tx.warnings == []
    assert tx.payment.transaction_handling == "H"
    assert tx.payment.amount == D("0")
    (claim,) = tx.claims
    assert claim.status_code == "4"
    assert claim.paid == D("0")
    assert len(claim.service_lines) == 3
    assert all(line.remark_codes == ["N14"] for line in claim.service_lines)
    assert claim.service_lines[0].service_date_from == date(2003, 11, 29)
    assert claim.service_lines[1].adjustments == [Adjustment("OA", "A7", D("127.8"))]


def test_pyx12_bad_header_looping_raises_at_the_repeated_header_loop_as_sent():
    # The invalid DTM*405 date (segment 7) is only a warning; the header loop repeated
    # after the claims (N1 at segment 41) is what the standard cannot accept.
    (tx,) = load("pyx12_testdata-bad-header-looping.835").transactions
    assert tx.failed and tx.claims == []
    assert (tx.error.segment_number, tx.error.segment_id) == (41, "N1")


def test_pyx12_bad_header_looping_raises_at_the_repeated_header_loop():
    text = (DATA / "pyx12_testdata-bad-header-looping.835").read_text()
    text = text.replace("DTM*405*11111111", "DTM*405*20041028")
    (tx,) = parse(text).transactions
    err = tx.error
    assert (err.segment_number, err.segment_id) == (41, "N1")
    assert "segment 41 (N1)" in str(err)


# -- tastypackets ------------------------------------------------------------------------------


def test_tastypackets_profee_multiple_156_interchanges():
    reader = Reader(DATA / "tastypackets_profee-multiple.835")
    transactions = list(reader)
    assert reader.interchanges == 156 and reader.groups == 156
    assert reader.warnings == []
    assert len(transactions) == 156
    assert sum(len(tx.claims) for tx in transactions) == 468
    assert [tx.index for tx in transactions] == list(range(156))
    assert all(not tx.warnings for tx in transactions)


def test_tastypackets_profee_matches_emedny():
    one_line = load("edi835parser_emedny-sample.835").transactions
    with_newlines = load("tastypackets_profee.835").transactions
    assert with_newlines == one_line


# -- TigerShark --------------------------------------------------------------------------------


def test_tigershark_pipe_caret_and_newline_tilde():
    result = load("tigershark_835-example-2.835")
    delimiters = result.delimiters
    assert (delimiters.element, delimiters.component, delimiters.segment) == ("|", "^", "~")
    assert delimiters.repetition is None
    assert len(result.transactions) == 2
    first, second = result.transactions
    assert first.warnings[0] == "SE01 says 28 segments, counted 29"
    assert second.warnings == ["SE01 says 28 segments, counted 30"]
    assert result.warnings == ["segment 62 (GE): GE01 says 1 transactions, counted 2"]
    claim = second.claims[0]
    assert claim.insured_id == "123222222"
    assert claim.insured_first_name == "JANE"
    assert claim.adjustments == [Adjustment("PR", "1", D("145.00"))]
    assert claim.coverage_amount == D("12145.65")
    assert claim.service_lines[0].procedure_code == "88888"
    assert second.payment.amount == D("12000.65")
    assert second.warnings == ["SE01 says 28 segments, counted 30"]
