"""The denial rules on parsed claims, without a database."""

from decimal import Decimal as D

import pytest

from denials.rules import CarcRule, Catalog, RarcRule, find_denials
from x12.remit835 import Adjustment, Claim, ServiceLine

DENIAL = CarcRule(
    True, frozenset({"CO", "OA", "PI"}), "missing_information", "soft", "correct_resubmit"
)


@pytest.fixture
def catalog():
    return Catalog(
        carcs={
            "16": DENIAL,
            "50": CarcRule(
                True, frozenset({"CO", "OA", "PI"}), "medical_necessity", "hard", "appeal"
            ),
            "45": CarcRule(False, frozenset(), "pricing", "", "write_off"),
            "42": CarcRule(False, frozenset(), "pricing", "", "write_off"),
            "1": CarcRule(False, frozenset(), "other", "", "bill_patient_or_secondary"),
            "2": CarcRule(False, frozenset(), "other", "", "bill_patient_or_secondary"),
            "29": CarcRule(
                True, frozenset({"CO", "OA", "PI"}), "timely_filing", "hard", "write_off"
            ),
        },
        rarcs={
            "MA130": RarcRule("unprocessable", "missing_information", "correct_resubmit"),
            "N211": RarcRule("not_appealable", "", "write_off"),
            "N290": RarcRule("", "missing_information", "correct_resubmit"),
        },
    )


def line(charge, paid, *adjustments, remarks=()):
    return ServiceLine(
        procedure_code="99213",
        charge=D(charge),
        paid=D(paid),
        adjustments=list(adjustments),
        remark_codes=list(remarks),
    )


def adj(group, reason, amount):
    return Adjustment(group, reason, D(amount))


def claim(status, *lines, adjustments=(), charge=None, paid=None):
    return Claim(
        patient_control_number="PCN1",
        status_code=status,
        charge=D(charge) if charge else sum((s.charge for s in lines), D(0)),
        paid=D(paid) if paid else sum((s.paid for s in lines), D(0)),
        service_lines=list(lines),
        adjustments=list(adjustments),
    )


def test_lone_co45_is_not_a_denial(catalog):
    assert find_denials(claim("1", line("100", "80", adj("CO", "45", "20"))), catalog) == []


def test_patient_responsibility_is_not_a_denial(catalog):
    c = claim("1", line("100", "50", adj("PR", "1", "30"), adj("PR", "2", "20")))
    assert find_denials(c, catalog) == []


def test_co16_on_a_line_is_a_line_denial(catalog):
    c = claim("1", line("100", "100"), line("50", "0", adj("CO", "16", "50"), remarks=["N290"]))
    [finding] = find_denials(c, catalog)
    assert finding.line_index == 1
    assert finding.denied_amount == D("50")
    assert finding.adjustment_codes == ["CO-16"]
    assert finding.category == "missing_information"
    assert finding.remark_codes == ["N290"]


def test_zero_paid_line_with_non_denial_code_is_still_a_denial(catalog):
    # CO-42 is not a denial reason, but the line was paid nothing: the payer refused it.
    c = claim("1", line("80", "0", adj("CO", "42", "80")))
    [finding] = find_denials(c, catalog)
    assert finding.rule.startswith("line paid $0")
    assert finding.denied_amount == D("80")


def test_zero_paid_line_with_only_co45_and_pr_is_not_a_denial(catalog):
    c = claim("1", line("80", "0", adj("CO", "45", "30"), adj("PR", "1", "50")))
    assert find_denials(c, catalog) == []


def test_status_4_is_one_claim_level_denial(catalog):
    c = claim("4", line("100", "0", adj("CO", "50", "100")), line("40", "0", adj("CO", "50", "40")))
    [finding] = find_denials(c, catalog)
    assert finding.line_index is None
    assert finding.denied_amount == D("140")
    assert finding.category == "medical_necessity"
    assert finding.severity == "hard"


def test_reversal_is_never_a_denial(catalog):
    c = claim("22", line("-100", "-80", adj("CO", "16", "-20")))
    assert find_denials(c, catalog) == []


def test_ma130_marks_unprocessable_without_appeal_rights(catalog):
    c = claim("1", line("60", "0", adj("CO", "16", "60"), remarks=["MA130"]))
    [finding] = find_denials(c, catalog)
    assert finding.unprocessable is True
    assert finding.appealable is False
    assert finding.next_action == "correct_resubmit"


def test_n211_is_not_appealable(catalog):
    c = claim("1", line("60", "0", adj("CO", "29", "60"), remarks=["N211"]))
    [finding] = find_denials(c, catalog)
    assert finding.appealable is False
    assert finding.category == "timely_filing"


def test_claim_level_denial_adjustment(catalog):
    c = claim("1", line("100", "70"), adjustments=[adj("CO", "16", "30")])
    [finding] = find_denials(c, catalog)
    assert finding.line_index is None
    assert finding.denied_amount == D("30")


def test_unknown_code_in_contractual_group_is_surfaced(catalog):
    c = claim("1", line("100", "60", adj("CO", "Z99", "40")))
    [finding] = find_denials(c, catalog)
    assert finding.reason_code == "Z99"
    assert finding.category == "other"


def test_shipped_catalog_treats_the_named_codes_as_denials():
    shipped = Catalog.from_csv()
    for code in ["16", "50", "197", "29", "18", "27", "97"]:
        group = "OA" if code == "18" else "CO"
        assert shipped.is_denial(Adjustment(group, code, D("1"))), code
    assert not shipped.is_denial(Adjustment("CO", "45", D("1")))
    for code in ["1", "2", "3"]:
        assert not shipped.is_denial(Adjustment("PR", code, D("1")))
    assert shipped.rarcs["MA130"].effect == "unprocessable"
    assert shipped.rarcs["N211"].effect == "not_appealable"
