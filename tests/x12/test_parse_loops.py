"""Loop walking, element mapping, structural errors, envelope and balancing warnings."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from x12.remit835 import Adjustment, Reader, X12ParseError, balance_warnings, parse

D = Decimal
ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*240115*1200*^*00501*{isa13}*0*T*:"
)
HEADER = [
    "BPR*I*100.00*C*ACH*CCP*01*111*DA*33*1234567890**01*111*DA*22*20240116",
    "TRN*1*TRACE1*1512345678",
    "REF*EV*RECEIVER",
    "DTM*405*20240115",
    "N1*PR*PAYER ONE*XV*12345",
    "N3*PO BOX 1",
    "N4*TOWN*ST*12345",
    "REF*2U*12345",
    "PER*BL*HELP*TE*8005551212",
    "N1*PE*CLINIC*XX*1234567893",
    "N3*1 MAIN ST*SUITE 2",
    "N4*CITY*CA*94109",
    "REF*TJ*999999999",
    "REF*PQ*ABC",
    "LX*1",
]
CLAIM = [
    "CLP*PCN1*1*150.00*100.00*20.00*12*CCN1*11*1",
    "NM1*QC*1*DOE*JANE****MI*M123",
    "SVC*HC:99213*150.00*100.00**1",
    "DTM*472*20240110",
    "CAS*CO*45*30.00",
    "CAS*PR*2*20.00",
]


def transaction(body, st="0001", se_count=None):
    segments = [f"ST*835*{st}", *body]
    count = len(segments) + 1 if se_count is None else se_count
    return [*segments, f"SE*{count}*{st}"]


def interchange(transactions, isa13="000000001", gs06="1", ge01=None, iea01=None):
    segments = [
        ISA.format(isa13=isa13),
        f"GS*HP*SENDER*RECEIVER*20240115*1200*{gs06}*X*005010X221A1",
    ]
    for tx in transactions:
        segments += tx
    segments.append(f"GE*{len(transactions) if ge01 is None else ge01}*{gs06}")
    segments.append(f"IEA*{1 if iea01 is None else iea01}*{isa13}")
    return segments


def x12(body=None, **kwargs):
    body = [*HEADER, *CLAIM] if body is None else body
    return "~".join(interchange([transaction(body)], **kwargs)) + "~"


def one(body=None):
    result = parse(x12(body))
    (tx,) = result.transactions
    return tx


def error(body, **kwargs) -> X12ParseError:
    """The error that failed the transaction or quarantined one of its claims."""
    (tx,) = parse(x12(body, **kwargs)).transactions
    if tx.error is not None:
        return tx.error
    assert tx.exceptions, "expected a failed transaction or a quarantined claim"
    return tx.exceptions[0].error


# -- mapping -----------------------------------------------------------------------------------


def test_header_mapping():
    tx = one()
    assert tx.warnings == []
    assert tx.control_number == "0001"
    assert tx.segment_count == len(HEADER) + len(CLAIM) + 2
    p = tx.payment
    assert (p.transaction_handling, p.amount, p.credit_debit, p.method, p.format) == (
        "I",
        D("100.00"),
        "C",
        "ACH",
        "CCP",
    )
    assert p.date == date(2024, 1, 16) and p.production_date == date(2024, 1, 15)
    assert (p.trace_type, p.trace_number, p.originator_id) == ("1", "TRACE1", "1512345678")
    assert tx.payer.entity_code == "PR" and tx.payer.name == "PAYER ONE"
    assert tx.payer.additional_ids == {"2U": "12345"}
    assert (tx.payer.city, tx.payer.state, tx.payer.postal_code) == ("TOWN", "ST", "12345")
    assert tx.payer.npi == "" and tx.payer.tax_id == ""
    assert tx.payee.npi == "1234567893"
    assert tx.payee.tax_id == "999999999"
    assert tx.payee.address == ["1 MAIN ST", "SUITE 2"]
    assert tx.payee.additional_ids == {"TJ": "999999999", "PQ": "ABC"}
    env = tx.envelope
    assert env.isa_date == date(2024, 1, 15) and env.usage == "T"
    assert (env.gs_sender_id, env.gs_receiver_id) == ("SENDER", "RECEIVER")


def test_claim_and_line_mapping():
    body = [
        "BPR*I*300.00*C*CHK************20240116",
        *HEADER[1:],
        "CLP*PCN9*1*600.00*300.00*50.00*MA*CCN9*11*7**470*1.2345",
        "CAS*CO*45*100.00",
        "NM1*QC*1*DOE*JANE*Q***MI*PAT1",
        "NM1*IL*1*DOE*JOHN****MI*MEM1",
        "NM1*74*1*DOE*JOHNNY****C*NEWID",
        "NM1*82*1*SMITH*ANNA****XX*1111111111",
        "NM1*TT*2*CROSSOVER PLAN*****PI*55",
        "NM1*PR*2*CORRECTED PAYER*****PI*66",
        "NM1*GB*1*OTHER*SUB****MI*77",
        "MOA***MA01*MA18****",
        "REF*1L*GROUP",
        "DTM*232*20240101",
        "DTM*233*20240103",
        "DTM*050*20240105",
        "DTM*036*20241231",
        "PER*CX*CLAIMS*TE*8005551212",
        "AMT*AU*350.00",
        "AMT*D8*1.00",
        "QTY*CA*3",
        "SVC*HC:99215:25:59:GT:LT:DESCRIPTION*400.00*300.00*0450*2*HC:99214*3",
        "DTM*150*20240101",
        "DTM*151*20240103",
        "CAS*PR*1*50.00",
        "CAS*CO*45*50.00",
        "REF*6R*LINE1",
        "REF*LU*99",
        "AMT*B6*350.00",
        "AMT*KH*1.00",
        "QTY*ZL*1",
        "LQ*HE*N130",
        "LQ*RX*M1",
        "LQ*ZZ*IGNORED",
        "SVC*NU:0250*100.00*0.00",
        "DTM*472*20240102",
        "CAS*CO*97*100.00",
    ]
    tx = one(body)
    (claim,) = tx.claims
    assert (claim.patient_control_number, claim.status_code) == ("PCN9", "1")
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        D("600.00"),
        D("300.00"),
        D("50.00"),
    )
    assert (claim.filing_indicator, claim.payer_claim_control_number) == ("MA", "CCN9")
    assert (claim.facility_type, claim.frequency_code) == ("11", "7")
    assert (claim.drg_code, claim.drg_weight) == ("470", D("1.2345"))
    assert claim.adjustments == [Adjustment("CO", "45", D("100.00"))]
    assert (claim.patient_last_name, claim.patient_first_name, claim.patient_id) == (
        "DOE",
        "JANE",
        "PAT1",
    )
    assert (claim.insured_last_name, claim.insured_first_name, claim.insured_id) == (
        "DOE",
        "JOHN",
        "MEM1",
    )
    assert claim.corrected_insured_id == "NEWID"
    assert claim.rendering_provider_id == "1111111111"
    assert claim.crossover_carrier == "CROSSOVER PLAN"
    assert claim.remark_codes == ["MA01", "MA18"] and claim.remark_source == "MOA"
    assert (claim.statement_from, claim.statement_to) == (date(2024, 1, 1), date(2024, 1, 3))
    assert claim.received_date == date(2024, 1, 5)
    assert claim.coverage_amount == D("350.00")
    assert claim.segment_number == len(HEADER) + 2
    first, second = claim.service_lines
    assert (first.procedure_qualifier, first.procedure_code) == ("HC", "99215")
    assert first.modifiers == ["25", "59", "GT", "LT"]
    assert first.description == "DESCRIPTION"
    assert (first.charge, first.paid, first.revenue_code) == (D("400.00"), D("300.00"), "0450")
    assert first.units == D("2")
    assert first.original_procedure_code == "99214" and first.original_units == D("3")
    assert (first.service_date_from, first.service_date_to) == (date(2024, 1, 1), date(2024, 1, 3))
    assert first.control_number == "LINE1"
    assert first.allowed_amount == D("350.00")
    assert first.remark_codes == ["N130", "M1"]
    assert first.adjustments == [
        Adjustment("PR", "1", D("50.00")),
        Adjustment("CO", "45", D("50.00")),
    ]
    assert first.segment_number == claim.segment_number + 19
    assert (second.procedure_qualifier, second.procedure_code) == ("NU", "0250")
    assert second.units is None and second.original_units is None
    assert second.modifiers == [] and second.description == ""
    assert second.service_date_from == second.service_date_to == date(2024, 1, 2)
    assert tx.warnings == []


def test_mia_remarks():
    body = [*HEADER, CLAIM[0], "MIA*0***0*MA01" + "*" * 14 + "*N1*N2***N5", *CLAIM[1:]]
    claim = one(body).claims[0]
    assert claim.remark_codes == ["MA01", "N1", "N2", "N5"]
    assert claim.remark_source == "MIA"


def test_cas_six_triplets_with_quantities():
    body = [
        "BPR*H*0*C*NON************20240116",
        *HEADER[1:],
        "CLP*PCN1*1*210.00*0*0*12*CCN1",
        "SVC*HC:99213*210.00*0",
        "CAS*CO*1*10*1*2*20**3*30*2.5*4*40**5*50**6*60*",
    ]
    tx = one(body)
    line = tx.claims[0].service_lines[0]
    assert line.adjustments == [
        Adjustment("CO", "1", D("10"), D("1")),
        Adjustment("CO", "2", D("20"), None),
        Adjustment("CO", "3", D("30"), D("2.5")),
        Adjustment("CO", "4", D("40"), None),
        Adjustment("CO", "5", D("50"), None),
        Adjustment("CO", "6", D("60"), None),
    ]
    assert tx.warnings == []


def test_cas_with_gaps_between_triplets():
    body = [*HEADER, "CLP*PCN1*1*30*0", "CAS*OA*23*10*****B*20", "SVC*HC:1*30*0", "CAS*CO*45*0"]
    claim = one(body).claims[0]
    assert claim.adjustments == [Adjustment("OA", "23", D("10")), Adjustment("OA", "B", D("20"))]


def test_claim_without_lines_or_adjustments_and_zero_claim_transaction():
    body = [*HEADER[:-1], "PLB*1234567893*20241231*WO:ABC*-5.00*L6*5.00"]
    tx = one(body)
    assert tx.claims == []
    assert [(p.reason_code, p.reference, p.amount) for p in tx.provider_adjustments] == [
        ("WO", "ABC", D("-5.00")),
        ("L6", "", D("5.00")),
    ]
    # BPR 100.00 vs 0 - (-5 + 5) = 0
    assert tx.warnings == [
        "BPR02 payment 100.00 does not equal claims paid 0 - provider adjustments 0.00 = 0.00"
    ]


def test_plb_six_pairs_reduce_the_payment():
    header = ["BPR*I*40.00*C*CHK************20240116", *HEADER[1:]]
    plb = "PLB*PROV*20241231*WO:A*10*WO:B*10*72*10*L6*10*FB*10*CS:X*-10"
    body = [*header, "CLP*PCN1*1*100*80", plb]
    tx = one(body)
    assert len(tx.provider_adjustments) == 6
    assert tx.provider_adjustments[-1].reference == "X"
    assert all(p.fiscal_period_date == date(2024, 12, 31) for p in tx.provider_adjustments)
    assert tx.warnings == []  # 80 - (10+10+10+10+10-10) = 40


def test_debit_payment_balances_negative():
    body = ["BPR*D*20.00*D*ACH************20240116", *HEADER[1:], "CLP*PCN1*22*-20*-20"]
    assert one(body).warnings == []


def test_004010_file_reads_with_the_same_logic():
    text = x12().replace("005010X221A1", "004010X091A1").replace("*^*00501*", "*U*00401*")
    result = parse(text)
    assert result.delimiters.repetition is None
    assert result.transactions[0].envelope.version == "004010X091A1"
    assert result.transactions[0].claims == one().claims


# -- numbers and dates -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["-9.00", ".5", "100", "0", "-.5", "5.", "007.10"])
def test_accepted_amounts(text):
    body = [*HEADER, f"CLP*PCN1*1*{text}*0", f"CAS*CO*45*{text}"]
    claim = one(body).claims[0]
    assert claim.charge == D(text)


@pytest.mark.parametrize(
    "text",
    ["12x.5", "1,000", "NaN", "Infinity", "inf", "1e5", "1E5", "+5", " 5", "5 ", "1.2.3", "-",
     ".", "--5", "1_000", "\u0661\u0662", "\xb2", "0x10", "$5"],
)  # fmt: skip
def test_rejected_amounts_name_segment_element_and_text(text):
    err = error([*HEADER, f"CLP*PCN1*1*{text}*0"])
    number = 2 + 1 + len(HEADER) + 1  # ISA, GS, ST, header, CLP
    assert (err.segment_number, err.segment_id, err.element) == (number, "CLP", 3)
    assert err.expected == "a decimal amount"
    assert err.found == text
    assert str(err) == (
        f"segment {number} (CLP), element 03: expected a decimal amount, found {text!r}"
    )


def test_bad_amount_message_format_from_the_brief():
    err = error([*HEADER[:-1], "LX*1", "CLP*PCN1*1*12x.5*0"])
    assert (
        str(err)
        == f"segment {len(HEADER) + 4} (CLP), element 03: expected a decimal amount, found '12x.5'"
    )


@pytest.mark.parametrize(
    ("segment", "sid", "element"),
    [
        ("CLP*PCN1*1**0", "CLP", 3),
        ("CLP*PCN1*1*10", "CLP", 4),
        ("CLP*PCN1*1*10*0*X", "CLP", 5),
        ("CLP*PCN1*1*10*0*0*12*C*11*1**1*abc", "CLP", 12),
    ],
)
def test_missing_or_bad_claim_amounts(segment, sid, element):
    err = error([*HEADER, segment])
    assert (err.segment_id, err.element) == (sid, element)


@pytest.mark.parametrize(
    ("segments", "sid", "element"),
    [
        (["SVC*HC:1*x*0"], "SVC", 2),
        (["SVC*HC:1*10*1,0"], "SVC", 3),
        (["SVC*HC:1*10*0**1.2.3"], "SVC", 5),
        (["SVC*HC:1*10*0****x"], "SVC", 7),
        (["SVC*HC:1*10*0", "CAS*CO*45"], "CAS", 3),
        (["SVC*HC:1*10*0", "CAS*CO*45*1*2*46"], "CAS", 6),
        (["SVC*HC:1*10*0", "CAS*CO*45*1*q"], "CAS", 4),
        (["SVC*HC:1*10*0", "CAS*CO"], "CAS", 2),
        (["SVC*HC:1*10*0", "CAS**45*1"], "CAS", 1),
        (["SVC*HC:1*10*0", "CAS*CO*45*1***5"], "CAS", 5),
        (["SVC*HC:1*10*0", "AMT*B6*ten"], "AMT", 2),
        (["AMT*AU*"], "AMT", 2),
        (["PLB*P*20240101*WO*abc"], "PLB", 4),
        (["PLB*P*20240101*WO"], "PLB", 4),
        (["PLB*P*20240101**5"], "PLB", 3),
    ],
)
def test_required_and_invalid_amounts_in_lines_cas_amt_plb(segments, sid, element):
    err = error([*HEADER, "CLP*PCN1*1*10*0", *segments])
    assert (err.segment_id, err.element) == (sid, element)


def test_bpr_amount_required():
    err = error(["BPR*I**C*CHK", *HEADER[1:]])
    assert (err.segment_id, err.element) == ("BPR", 2)


@pytest.mark.parametrize(
    "text", ["20240230", "2024011", "202401011", "abcdefgh", "11111111", "00000000"]
)
def test_invalid_dates_are_warnings_and_read_as_empty(text):
    tx = one([*HEADER, *CLAIM[:3], f"DTM*472*{text}"])
    line = tx.claims[0].service_lines[0]
    assert line.service_date_from is None
    assert any(
        f"(DTM), element 02: expected a date CCYYMMDD, found {text!r}" in w for w in tx.warnings
    )


def test_empty_line_amounts_read_as_zero_with_a_warning():
    tx = one([*HEADER, "CLP*PCN1*1*10*0", "SVC*HC:1**0", "CAS*CO*45*10"])
    assert tx.claims[0].service_lines[0].charge == 0
    assert any("(SVC), element 02: required amount is empty" in w for w in tx.warnings)


def test_invalid_plb_date_is_a_warning():
    tx = one([*HEADER, "CLP*PCN1*1*10*10", "PLB*P*2024*WO*5"])
    assert tx.provider_adjustments[0].fiscal_period_date is None
    assert any("(PLB), element 02" in w for w in tx.warnings)


def test_date_qualifiers_not_mapped_are_not_validated():
    tx = one([*HEADER, CLAIM[0], "DTM*036*99999999", *CLAIM[1:]])
    assert tx.warnings == []


def test_invalid_isa_date():
    text = x12().replace("*240115*1200*", "*241315*1200*")
    with pytest.raises(X12ParseError) as info:
        parse(text)
    assert (info.value.segment_number, info.value.segment_id, info.value.element) == (1, "ISA", 9)


# -- structure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "bad_index", "sid"),
    [
        ([*HEADER[:-1], *CLAIM], len(HEADER) - 1, "CLP"),  # CLP without LX
        ([*HEADER, "SVC*HC:1*1*1"], len(HEADER), "SVC"),  # SVC before CLP
        ([*HEADER[:3], "SVC*HC:1*1*1"], 3, "SVC"),
        ([*HEADER, *CLAIM, "N1*PR*AGAIN"], len(HEADER) + len(CLAIM), "N1"),
        ([*HEADER, *CLAIM, "N3*STREET"], len(HEADER) + len(CLAIM), "N3"),
        ([HEADER[0], HEADER[0], *HEADER[1:]], 1, "BPR"),  # BPR twice
        ([*HEADER, *CLAIM, "BPR*I*1*C*CHK"], len(HEADER) + len(CLAIM), "BPR"),
        ([*HEADER, *CLAIM, "NM1*QC*1*LATE"], len(HEADER) + len(CLAIM), "NM1"),  # NM1 in 2110
        ([*HEADER, CLAIM[0], "LQ*HE*N1"], len(HEADER) + 1, "LQ"),  # LQ in 2100
        ([*HEADER, *CLAIM, "TS3*1*11*20241231*1*1"], len(HEADER) + len(CLAIM), "TS3"),
        ([*HEADER[:5], "CAS*CO*45*1"], 5, "CAS"),
        ([*HEADER[:5], "DTM*232*20240101"], 5, "DTM"),
        ([*HEADER, *CLAIM, "PLB*P*20240101*WO*1", *CLAIM], len(HEADER) + len(CLAIM) + 1, "CLP"),
        ([*HEADER, *CLAIM, "PLB*P*20240101*WO*1", "LX*2"], len(HEADER) + len(CLAIM) + 1, "LX"),
        ([*HEADER[:10], "N1*PE*AGAIN", *HEADER[10:]], 10, "N1"),  # two payees
        ([*HEADER[:9], "N1*PR*AGAIN", *HEADER[9:]], 9, "N1"),
        ([*HEADER[:11], "N1*PR*LATE", *HEADER[11:]], 11, "N1"),  # payer after payee
        ([*HEADER, "TRN*1*2*3"], len(HEADER), "TRN"),
        ([*HEADER, *CLAIM, "REF*6R*X", "PLB*P*20240101*WO*1", "REF*EV*X"], len(HEADER) + 8, "REF"),
        ([*HEADER, "AMT*AU*1"], len(HEADER), "AMT"),
        ([*HEADER, "PER*CX*X"], len(HEADER), "PER"),
        ([*HEADER, *CLAIM, "MIA*0"], len(HEADER) + len(CLAIM), "MIA"),
        ([*HEADER, "QTY*CA*1"], len(HEADER), "QTY"),
        ([*HEADER, "CUR*PR*CAD"], len(HEADER), "CUR"),
    ],
)
def test_known_segment_in_an_impossible_place(body, bad_index, sid):
    err = error(body)
    assert err.segment_id == sid
    assert err.segment_number == 3 + bad_index + 1  # ISA, GS, ST, then the body
    assert f"segment {err.segment_number} ({sid})" in str(err)


def test_unknown_segment_is_a_warning():
    body = [*HEADER, CLAIM[0], "XYZ*1*2", *CLAIM[1:], "ZZ"]
    tx = one(body)
    xyz = 3 + len(HEADER) + 2
    assert tx.warnings == [
        f"segment {xyz} (XYZ) not expected in an 835; ignored",
        f"segment {xyz + len(CLAIM)} (ZZ) not expected in an 835; ignored",
    ]
    assert len(tx.claims[0].service_lines) == 1


def test_header_n1_with_another_entity_code_is_a_warning():
    body = [*HEADER[:9], "N1*ZZ*SOMEONE", "N3*X", "REF*ZZ*1", *HEADER[9:], *CLAIM]
    tx = one(body)
    assert len(tx.warnings) == 1 and "entity code 'ZZ'" in tx.warnings[0]
    assert tx.payer.additional_ids == {"2U": "12345"}


def test_missing_header_parts_are_warnings():
    body = ["LX*1", *CLAIM]
    tx = one(body)
    assert tx.warnings == [
        "no BPR segment (financial information) in the transaction",
        "no payer loop (N1*PR) in the transaction",
        "no payee loop (N1*PE) in the transaction",
    ]


def test_data_after_se_before_the_next_st():
    segments = interchange([transaction([*HEADER, *CLAIM])])
    segments.insert(-2, "CLP*STRAY*1*1*1")
    with pytest.raises(X12ParseError) as info:
        parse("~".join(segments))
    err = info.value
    assert (err.segment_id, err.segment_number) == ("CLP", len(segments) - 2)
    assert "after SE" in str(err)


def test_st_that_is_not_835():
    text = x12().replace("ST*835*0001", "ST*277*0001")
    with pytest.raises(X12ParseError) as info:
        parse(text)
    assert (info.value.segment_number, info.value.segment_id, info.value.element) == (3, "ST", 1)


@pytest.mark.parametrize("cut", ["SE*", "CAS*PR*2*20.00~", "CAS*PR*2*2", "DTM*472*2024011"])
def test_truncated_file_fails_the_last_transaction(cut):
    text = x12()
    text = text[: text.index(cut)]
    (tx,) = parse(text).transactions
    assert tx.failed and tx.claims == []
    assert "truncated" in tx.error_message


def test_truncated_file_missing_se():
    text = x12()
    (tx,) = parse(text[: text.index("SE*")]).transactions
    err = tx.error
    assert (err.segment_number, err.segment_id) == (3, "ST")
    assert str(err).startswith("segment 3 (ST): truncated file")
    assert tx.raw_segments[0] == "ST*835*0001" and tx.raw_segments[-1] == CLAIM[-1]


def test_envelope_segment_inside_a_transaction_fails_it_and_reading_goes_on():
    segments = interchange([transaction([*HEADER, *CLAIM])])
    se = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    del segments[se]
    result = parse("~".join(segments))
    (tx,) = result.transactions
    assert (tx.error.segment_id, tx.error.expected) == ("GE", "SE")
    assert tx.error.segment_number == se + 1
    assert result.warnings == []  # the GE was read and counted as usual


def test_transaction_missing_se_before_the_next_st_fails_alone():
    first = transaction([*HEADER, *CLAIM])[:-1]  # no SE
    segments = interchange([first, transaction([*HEADER, *CLAIM], st="0002")])
    result = parse("~".join(segments))
    failed, booked = result.transactions
    assert failed.failed and (failed.error.segment_id, failed.error.expected) == ("ST", "SE")
    assert not booked.failed and booked.control_number == "0002" and len(booked.claims) == 1
    assert [tx.index for tx in result.transactions] == [0, 1]


def test_transaction_streams_before_the_error_later_in_the_file():
    segments = interchange([transaction([*HEADER, *CLAIM]), transaction([*HEADER, "SVC*X"])])
    reader = Reader("~".join(segments))
    iterator = iter(reader)
    assert next(iterator).control_number == "0001"
    assert next(iterator).failed


def test_broken_transaction_fails_alone_and_the_next_one_is_read():
    broken = transaction([*HEADER[:3], "SVC*HC:1*1*1", *HEADER[3:], *CLAIM], st="0002")
    segments = interchange(
        [transaction([*HEADER, *CLAIM]), broken, transaction([*HEADER, *CLAIM], st="0003")]
    )
    result = parse("~".join(segments))
    first, failed, last = result.transactions
    assert not first.failed and not last.failed and len(last.claims) == 1
    assert failed.failed and failed.claims == [] and failed.exceptions == []
    assert failed.error.segment_id == "SVC"
    assert failed.raw_segments == broken  # read through its SE
    assert failed.raw == "~".join(broken) + "~"
    assert result.warnings == []


def test_error_in_a_claim_quarantines_it_and_the_others_are_read():
    second = ["CLP*PCN2*1*150.00*100.00", "CAS*CO*45*XX", "SVC*HC:99213*150.00*100.00**1"]
    third = [c.replace("PCN1", "PCN3").replace("100.00", "0") for c in CLAIM]
    third[-2] = "CAS*CO*45*130.00"
    tx = one([*HEADER, *CLAIM, *second, *third])
    assert [c.patient_control_number for c in tx.claims] == ["PCN1", "PCN3"]
    (quarantined,) = tx.exceptions
    assert quarantined.position == 1
    assert quarantined.patient_control_number == "PCN2"
    assert quarantined.paid == D("100.00")
    assert quarantined.raw_segments == second
    assert quarantined.segment_number == 1 + len(HEADER) + len(CLAIM) + 1
    assert quarantined.error.segment_id == "CAS" and "expected a decimal amount" in (
        quarantined.message
    )
    assert tx.warnings == []  # BPR02 100.00 = PCN1 100.00 + PCN3 0


def test_payment_reconciles_once_the_quarantined_claim_is_counted():
    tx = one([*HEADER, CLAIM[0], "CAS*CO*45*X1", *CLAIM[1:]])
    assert tx.claims == []
    assert tx.warnings == [
        "BPR02 payment 100.00 reconciles once quarantined claim 'PCN1' (transaction segment"
        " 17, paid 100.00: segment 20 (CAS), element 03: expected a decimal amount, found"
        " 'X1') counted: claims paid 0 + quarantined 100.00 - provider adjustments 0 = 100.00"
    ]


def test_truncated_clp_is_quarantined_and_named_by_the_payment_warning():
    header = [HEADER[0].replace("BPR*I*100.00", "BPR*I*150.00"), *HEADER[1:]]
    tx = one([*header, *CLAIM, "CLP*090909*22", "SVC*HC:1*1*1"])
    assert len(tx.claims) == 1
    (quarantined,) = tx.exceptions
    assert quarantined.raw_segments == ["CLP*090909*22", "SVC*HC:1*1*1"]
    assert quarantined.patient_control_number == "090909" and quarantined.paid is None
    assert quarantined.error.segment_id == "CLP" and quarantined.error.element == 3
    assert quarantined.raw == "CLP*090909*22~SVC*HC:1*1*1~"
    (warning,) = tx.warnings
    assert warning.startswith("BPR02 payment 150.00 does not equal claims paid 100.00")
    assert warning.endswith(
        "not counted: quarantined claim '090909' (transaction segment 23, paid unknown:"
        " segment 25 (CLP), element 03: required element is empty: expected a decimal amount)"
    )


# -- envelope checks ---------------------------------------------------------------------------


def test_se_count_and_control_number_warnings():
    segments = interchange([transaction([*HEADER, *CLAIM], se_count=33)])
    segments = [s.replace("SE*33*0001", "SE*33*0002") for s in segments]
    (tx,) = parse("~".join(segments)).transactions
    counted = len(HEADER) + len(CLAIM) + 2
    assert tx.warnings == [
        f"SE01 says 33 segments, counted {counted}",
        f"SE02 '0002' does not match ST02 '0001' (segment {counted + 2})",
    ]


def test_ge_and_iea_warnings():
    segments = interchange([transaction([*HEADER, *CLAIM])], ge01=2, iea01=3)
    segments[-2] = "GE*2*9"
    segments[-1] = "IEA*3*000000002"
    result = parse("~".join(segments))
    n = len(segments)
    assert result.warnings == [
        f"segment {n - 1} (GE): GE01 says 2 transactions, counted 1",
        f"segment {n - 1} (GE): GE02 '9' does not match GS06 '1'",
        f"segment {n} (IEA): IEA01 says 3 groups, counted 1",
        f"segment {n} (IEA): IEA02 '000000002' does not match ISA13 '000000001'",
    ]


def test_missing_ge_and_iea_at_the_end():
    segments = interchange([transaction([*HEADER, *CLAIM])])[:-2]
    result = parse("~".join(segments) + "~")
    assert result.warnings == [
        "missing GE at the end of the file (group GS06 '1')",
        "missing IEA at the end of the file (interchange ISA13 '000000001')",
    ]
    assert len(result.transactions) == 1


def test_several_interchanges_groups_and_transactions():
    first = interchange(
        [transaction([*HEADER, *CLAIM], st="0001"), transaction([*HEADER, *CLAIM], st="0002")],
        isa13="000000001",
        gs06="11",
    )
    second_group = [
        "GS*HP*SENDER2*RECEIVER2*20240115*1200*12*X*005010X221A1",
        *transaction([*HEADER, *CLAIM], st="0003"),
        "GE*1*12",
    ]
    first = first[:-1] + second_group + ["IEA*2*000000001"]
    second = interchange([transaction([*HEADER, *CLAIM], st="0004")], isa13="000000002", gs06="21")
    second[0] = second[0].replace("*T*:", "*P*>")
    second = [s.replace("HC:99213", "HC>99213") for s in second]
    reader = Reader("~\n".join(first + second) + "~\n")
    txs = list(reader)
    assert reader.warnings == []
    assert (reader.interchanges, reader.groups) == (2, 3)
    assert [tx.control_number for tx in txs] == ["0001", "0002", "0003", "0004"]
    assert [tx.index for tx in txs] == [0, 1, 2, 3]
    assert [tx.envelope.isa_control_number for tx in txs] == ["000000001"] * 3 + ["000000002"]
    assert [tx.envelope.gs_control_number for tx in txs] == ["11", "11", "12", "21"]
    assert txs[2].envelope.gs_sender_id == "SENDER2"
    assert txs[3].envelope.usage == "P"
    # the second interchange declares '>' as its component separator
    assert txs[3].claims[0].service_lines[0].procedure_code == "99213"
    assert reader.delimiters.component == ">"
    assert all(not tx.warnings for tx in txs)


def test_interchange_with_different_element_separator_is_an_error():
    first = interchange([transaction([*HEADER, *CLAIM])])
    second = [s.replace("*", "|") for s in first]
    with pytest.raises(X12ParseError) as info:
        parse("~".join(first + second))
    assert info.value.segment_id == "ISA"
    assert "different delimiters" in str(info.value)


def test_st_outside_a_group_warns():
    segments = interchange([transaction([*HEADER, *CLAIM])])
    del segments[1]
    del segments[-2]
    result = parse("~".join(segments))
    assert result.warnings == [
        "segment 2 (ST): transaction outside a GS..GE group",
        f"segment {len(segments)} (IEA): IEA01 says 1 groups, counted 0",
    ]


# -- balancing ---------------------------------------------------------------------------------


def test_balanced_claim_has_no_warning():
    assert one().warnings == []


def test_unbalanced_claim_line_and_payment_without_names():
    body = [
        *HEADER,
        "CLP*PCN7*1*150.00*90.00*20.00*12*CCN1",
        "NM1*QC*1*SECRETNAME*PRIVATE****MI*M123",
        "NM1*IL*1*INSUREDNAME*ALSO****MI*M999",
        "SVC*HC:99213*150.00*90.00",
        "CAS*CO*45*30.00",
        "CAS*PR*2*20.00",
    ]
    tx = one(body)
    clp = len(HEADER) + 2
    assert tx.warnings == [
        f"claim 'PCN7' (transaction segment {clp}) does not balance: charge 150.00 - paid 90.00"
        " = 60.00, but adjustments total 50.00",
        f"claim 'PCN7' (transaction segment {clp}) service line 1 (transaction segment"
        f" {clp + 3}) does not balance: charge 150.00 - paid 90.00 = 60.00, but adjustments"
        " total 50.00",
        "BPR02 payment 100.00 does not equal claims paid 90.00 - provider adjustments 0 = 90.00",
    ]
    text = " ".join(tx.warnings)
    for secret in ("SECRETNAME", "PRIVATE", "INSUREDNAME", "M123", "M999"):
        assert secret not in text


def test_claim_level_cas_counts_toward_the_claim_and_patient_responsibility_is_not_subtracted():
    body = [
        *HEADER,
        "CLP*PCN1*1*150.00*100.00*20.00*12*CCN1",
        "CAS*PR*1*20.00",
        "SVC*HC:99213*150.00*120.00",
        "CAS*CO*45*30.00",
    ]
    assert one(body).warnings == []


def test_claim_without_lines_or_cas_is_not_checked():
    body = [*HEADER, "CLP*PCN1*4*150.00*100.00"]
    assert one(body).warnings == []


def test_exact_decimal_comparison():
    body = [*HEADER, "CLP*PCN1*1*150.00*100*20*12", "CAS*CO*45*49.999", "CAS*CO*45*.001"]
    assert one(body).warnings == []
    body = [*HEADER, "CLP*PCN1*1*150.00*100*20*12", "CAS*CO*45*49.99"]
    assert len(one(body).warnings) == 1


def test_balance_warnings_function_is_public():
    tx = one()
    assert balance_warnings(tx) == []
    tx.claims[0].paid = D("1")
    assert len(balance_warnings(tx)) == 2


# -- the exception -----------------------------------------------------------------------------


def test_error_attributes_str_and_pickle():
    err = X12ParseError(
        segment_number=14, segment_id="CLP", element=3, expected="a decimal amount", found="12x.5"
    )
    assert str(err) == "segment 14 (CLP), element 03: expected a decimal amount, found '12x.5'"
    assert isinstance(err, ValueError)
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err)
    assert (again.segment_number, again.segment_id, again.element) == (14, "CLP", 3)
    assert (again.expected, again.found) == ("a decimal amount", "12x.5")
    long = X12ParseError(found="x" * 100)
    assert long.found == "x" * 40
    assert str(X12ParseError("empty file")) == "empty file"
    assert str(X12ParseError("oops", segment_number=2)) == "segment 2: oops"


# -- odds and ends ------------------------------------------------------------------------------


@pytest.mark.parametrize("junk", ["\x1a", "\x00\x00", "\n\n   \n", "~~~", " ~ \t~"])
def test_trailing_junk_after_iea_is_ignored(junk):
    result = parse(x12() + junk)
    assert result.warnings == []
    assert len(result.transactions) == 1


def test_empty_segments_are_skipped():
    text = x12().replace("~LX*1~", "~~LX*1~~")
    assert parse(text).transactions == parse(x12()).transactions


def test_gc_state_is_restored():
    import gc

    assert gc.isenabled()
    parse(x12())
    assert gc.isenabled()
    assert parse(x12([*HEADER, "SVC*X"])).transactions[0].failed
    assert gc.isenabled()
    with pytest.raises(X12ParseError):
        parse(x12().replace("ST*835*", "ST*277*"))
    assert gc.isenabled()
    gc.disable()
    try:
        parse(x12())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parser_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys; import x12.remit835; "
        "sys.exit(1 if [m for m in sys.modules if m.startswith('django')] else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


def test_first_remark_segment_wins_the_source():
    body = [*HEADER, CLAIM[0], "MOA***MA01", "MIA*0***0*MA02", *CLAIM[1:]]
    claim = one(body).claims[0]
    assert claim.remark_codes == ["MA01", "MA02"]
    assert claim.remark_source == "MOA"
    assert one().claims[0].remark_source == ""
