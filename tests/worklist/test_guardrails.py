"""Guardrails without a database: fixed rules that fire before any scoring."""

import pytest

from worklist.guardrails import check


def guard(codes, remarks=(), payer_type="commercial"):
    return check(adjustment_codes=list(codes), remark_codes=list(remarks), payer_type=payer_type)


@pytest.mark.parametrize("payer_type", ["medicare", "commercial"])
def test_ma130_means_correct_and_resubmit_without_appeal_rights(payer_type):
    result = guard(["CO-16"], ["MA130", "M51"], payer_type)
    assert result.action == "correct_resubmit"
    assert result.appealable is False
    assert result.open_item is True
    assert result.rule.startswith("MA130:")


def test_ma130_wins_over_n211():
    assert guard(["CO-16"], ["N211", "MA130"]).action == "correct_resubmit"


def test_n211_means_write_off_review_not_appealable():
    result = guard(["CO-50"], ["N211"])
    assert (result.action, result.appealable, result.open_item) == ("write_off", False, True)
    assert result.rule.startswith("N211: not appealable — write-off review")


def test_co29_from_medicare_goes_to_write_off_review():
    result = guard(["CO-29"], payer_type="medicare")
    assert (result.action, result.appealable, result.open_item) == ("write_off", False, True)
    assert result.rule.startswith("Medicare CO-29: not appealable — write-off review")


@pytest.mark.parametrize("payer_type", ["commercial", "medicare_advantage", "medicaid"])
def test_co29_from_other_payers_has_no_guardrail(payer_type):
    assert guard(["CO-29"], payer_type=payer_type) is None


@pytest.mark.parametrize("codes", [["PR-1"], ["PR-2"], ["PR-3"], ["PR-1", "PR-2", "PR-3"]])
def test_patient_responsibility_alone_opens_no_item(codes):
    result = guard(codes)
    assert result.open_item is False
    assert result.action == "bill_patient_or_secondary"


def test_patient_responsibility_with_a_denial_reason_is_worked():
    assert guard(["PR-1", "CO-50"]) is None
    assert guard(["PR-204"]) is None  # not deductible, coinsurance or copay


def test_a_lone_co45_opens_no_item():
    result = guard(["CO-45"])
    assert (result.open_item, result.action) == (False, "write_off")


def test_co45_beside_a_denial_reason_is_worked():
    assert guard(["CO-45", "CO-97"]) is None


def test_ordinary_denials_and_empty_codes_have_no_guardrail():
    assert guard(["CO-97"], ["M15"]) is None
    assert guard(["CO-50"], payer_type="medicare") is None
    assert guard([]) is None
