"""837 reader: the shared samples with their SOURCES counts, kind detection, HL hierarchy,
replacement and void claims, quarantine and PHI kept out of repr and messages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

import x12
from x12.claim837 import INSTITUTIONAL, PROFESSIONAL, Reader837, parse_837

DATA = Path(__file__).resolve().parents[1] / "data"

# file -> (ST, CLM, LX, sum CLM02, kind), from tests/data/SOURCES.md
SAMPLES = {
    "lfh-x12_5010p_example1.837": (1, 1, 4, "100.00", PROFESSIONAL),
    "lfh-x12_5010p_example2.837": (1, 1, 4, "100.00", PROFESSIONAL),
    "lfh-x12_5010p_example6.837": (1, 1, 1, "145.50", PROFESSIONAL),
    "lfh-x12_5010p_cob-example3a.837": (1, 1, 3, "79.04", PROFESSIONAL),
    "lfh-x12_5010p_cob-secondary-example4.837": (1, 1, 1, "145.50", PROFESSIONAL),
    "lfh-x12_5010p_ambulance-example5.837": (1, 1, 4, "766.50", PROFESSIONAL),
    "lfh-x12_5010p_drug-example10-1.837": (1, 1, 2, "103.37", PROFESSIONAL),
    "lfh-x12_5010i_institutional-claim.837": (1, 1, 2, "89.93", INSTITUTIONAL),
    "lfh-x12_5010i_two-claims-single-provider.837": (1, 2, 3, "139.95", INSTITUTIONAL),
    "lfh-x12_5010i_ppo-repriced-claim.837": (1, 1, 2, "237.50", INSTITUTIONAL),
    "lfh-x12_4010p_patient-is-subscriber.837": (1, 1, 4, "100.00", PROFESSIONAL),
    "lfh-x12_4010p_coordination-of-benefits.837": (1, 1, 3, "79.04", PROFESSIONAL),
    "lfh-x12_4010i_institutional.837": (1, 1, 2, "89.93", INSTITUTIONAL),
    "lfh-x12_4010i_institutional-ppo-repriced.837": (1, 1, 5, "2593.69", INSTITUTIONAL),
    "oopfactory_5010p_example1.837": (1, 1, 4, "100", PROFESSIONAL),
    "oopfactory_4010p_deident-01.837": (1, 143, 235, "125975.34", PROFESSIONAL),
    "oopfactory_4010i_batch2.837": (50, 50, 165, "92877.09", INSTITUTIONAL),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_counts_match_sources(name):
    st, clm, lx, total, kind = SAMPLES[name]
    result = parse_837(DATA / name)
    txs = result.transactions
    claims = [c for tx in txs for c in tx.claims]
    assert not [tx.error_message for tx in txs if tx.failed]
    assert not [x.message for tx in txs for x in tx.exceptions]
    assert (len(txs), len(claims)) == (st, clm)
    assert sum(len(c.lines) for c in claims) == lx
    assert sum(c.charge for c in claims) == D(total)
    assert {tx.kind for tx in txs} == {kind}
    assert {c.kind for c in claims} == {kind}
    assert x12.detect_kind(DATA / name) == "837"


def test_every_shared_sample_is_listed():
    assert {p.name for p in DATA.glob("*.837")} == set(SAMPLES)


def test_kind_comes_from_content_when_gs08_is_masked():
    tx = parse_837(DATA / "oopfactory_4010p_deident-01.837").transactions[0]
    assert tx.implementation == "999999X999X9"
    assert tx.kind == PROFESSIONAL


def test_kind_from_sv2_when_gs08_claims_professional():
    text = (DATA / "lfh-x12_5010i_institutional-claim.837").read_text()
    text = text.replace("005010X223A3", "005010X222A1")
    tx = parse_837(text).transactions[0]
    assert tx.implementation == "005010X222A1"
    assert tx.kind == INSTITUTIONAL
    assert tx.claims[0].place_of_service == ""


def test_institutional_claim_fields():
    claim = parse_837(DATA / "lfh-x12_5010i_institutional-claim.837").transactions[0].claims[0]
    assert (claim.facility_code, claim.facility_qualifier, claim.frequency_code) == ("14", "A", "1")
    assert claim.statement_from == claim.statement_to == date(1996, 9, 11)
    assert claim.diagnosis_codes == ("3669", "4019", "79431")
    assert claim.diagnosis_qualifiers == ("BK", "BF", "BF")
    assert claim.attending_provider.name == "JONES, JOHN"
    assert claim.payer.payer_id == "00435"
    assert claim.other_payers[0].name == "STATE TEACHERS"
    line = claim.lines[1]
    assert (line.revenue_code, line.procedure_code, line.charge, line.units) == (
        "0730",
        "93005",
        D("76.54"),
        D("3.00"),
    )


def test_professional_claim_fields_and_ndc():
    tx = parse_837(DATA / "lfh-x12_5010p_drug-example10-1.837").transactions[0]
    claim = tx.claims[0]
    assert claim.place_of_service == claim.facility_code
    assert claim.rendering_provider.npi == "1122333341"
    assert claim.billing_provider.tax_id == "587654321"
    assert claim.lines[1].ndc == "00026063512"
    assert claim.lines[1].place_of_service == "11"
    assert claim.service_date_from == claim.service_date_to == date(2004, 7, 11)
    assert tx.created_on == date(2004, 8, 1)


def test_patient_loop_below_subscriber():
    claim = parse_837(DATA / "lfh-x12_5010p_cob-example3a.837").transactions[0].claims[0]
    assert not claim.patient_is_subscriber
    assert claim.patient.relationship == "19"
    assert claim.patient.first_name == "TED"
    assert claim.subscriber.first_name == "JANE"
    assert claim.subscriber.member_id == "111223333"
    assert claim.patient.birth_date == date(1973, 5, 1)


def test_patient_is_subscriber_without_hl23():
    claim = parse_837(DATA / "lfh-x12_5010p_example2.837").transactions[0].claims[0]
    assert claim.patient_is_subscriber
    assert claim.patient == claim.subscriber
    assert claim.subscriber.relationship == "18"


def _replace_clm(text: str, frequency: str, f8: str) -> str:
    text = text.replace("*11:B:1*", f"*11:B:{frequency}*", 1)
    return text.replace("HI*", f"REF*F8*{f8}~HI*", 1)


@pytest.mark.parametrize("frequency", ["7", "8"])
def test_replacement_and_void_carry_the_payer_claim_number(frequency):
    text = (DATA / "lfh-x12_5010p_example1.837").read_text()
    assert "*11:B:1*" in text
    text = _replace_clm(text, frequency, "PAYERICN123")
    tx = parse_837(text).transactions[0]
    claim = tx.claims[0]
    assert claim.frequency_code == frequency
    assert claim.payer_claim_control_number == "PAYERICN123"
    assert claim.is_replacement == (frequency == "7")
    assert claim.is_void == (frequency == "8")


def test_person_repr_hides_phi():
    claim = parse_837(DATA / "lfh-x12_5010p_cob-example3a.837").transactions[0].claims[0]
    tx = parse_837(DATA / "lfh-x12_5010p_cob-example3a.837").transactions[0]
    for text in (repr(claim), str(claim), repr(tx), repr(claim.patient)):
        for phi in ("SMITH", "TED", "JANE", "111223333", "1943", "1973"):
            assert phi not in text


def test_bad_birth_date_warning_hides_the_value():
    text = (DATA / "lfh-x12_5010p_cob-example3a.837").read_text()
    text = text.replace("DMG*D8*19730501*M", "DMG*D8*19731301*M")
    tx = parse_837(text).transactions[0]
    assert tx.claims[0].patient.birth_date is None
    assert tx.warnings and all("1973" not in w for w in tx.warnings)


def test_bad_claim_is_quarantined_and_the_rest_read():
    text = (DATA / "lfh-x12_5010i_two-claims-single-provider.837").read_text()
    first = text.index("CLM*")
    head, rest = text[:first], text[first:]
    pcn, charge = rest.split("*")[1:3]
    rest = rest.replace(f"CLM*{pcn}*{charge}*", f"CLM*{pcn}*12x.5*", 1)
    tx = parse_837(head + rest).transactions[0]
    assert not tx.failed
    assert len(tx.claims) == 1 and len(tx.exceptions) == 1
    bad = tx.exceptions[0]
    assert bad.patient_control_number == pcn
    assert "(CLM), element 02: expected a decimal amount, found '12x.5'" in bad.message
    assert bad.raw.startswith(f"CLM*{pcn}*12x.5*")


def test_reader_streams_transactions():
    reader = Reader837(DATA / "oopfactory_4010i_batch2.837", chunk_size=512)
    first = next(iter(reader))
    assert first.index == 0 and len(first.claims) == 1
