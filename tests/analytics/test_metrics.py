"""Each metric against the hand-built June 2025 data set (tests/analytics/conftest.py),
the expected figures worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from analytics.filters import MetricFilters
from analytics.metrics import all_metrics

pytestmark = pytest.mark.django_db
D = Decimal


def june_metrics(**cuts):
    return all_metrics(MetricFilters.for_month(2025, 6, **cuts))


def figures(metric):
    return metric.value, metric.numerator, metric.denominator


# June's first adjudications: C2 (denied, $500), C3 (paid, rejected before), C4 (paid,
# a denied line, $200), C6 (paid, clean), C7 (denied, $250) = 5. Not first: C1r (a
# reversal), C1c (S1 was first adjudicated in April), C7b, C8b (X8 first paid in May).
# Denied: C2, C4, C7 = 3, charges 500 + 200 + 250 = 950.
# Lookback (March to May): S1, S2, S3, S4, E1..E8 = 12 originals (S2R is a replacement,
# the voids are not originals) -> 4 a month; charges 2000 + 8 x 250 = 4000 -> 1333.33.


def test_initial_denial_rate_by_count_and_charges(june):
    m = june_metrics()
    assert figures(m["initial_denial_rate"]) == (0.75, 3, 4.0)  # 3 / (12 / 3)
    charges = m["initial_denial_rate_charges"]
    assert (charges.numerator, charges.denominator) == (D("950.00"), D("1333.33"))
    assert charges.value == pytest.approx(950 / 1333.33)


def test_denial_rate_counts_each_claim_once_at_its_first_adjudication(june):
    assert figures(june_metrics()["denial_rate"]) == (0.6, 3, 5)


def test_clean_claim_rate(june):
    # June's originals: S5 (rejected), S6, S9 -> 2 of 3 clean.
    assert figures(june_metrics()["clean_claim_rate"]) == (pytest.approx(2 / 3), 2, 3)


def test_first_pass_yield_needs_payment_no_denial_and_no_earlier_rejection(june):
    # C6 only: C3 was rejected on 05-21, before its adjudication; C2, C4, C7 denied.
    assert figures(june_metrics()["first_pass_yield"]) == (0.2, 1, 5)


def test_overturn_rate_by_count_and_dollars(june):
    # Decided in June, kind appeal: I2's (overturned, 500 of 500), I4's (upheld, 0 of
    # 100). July's partial overturn and the corrected claim are out.
    m = june_metrics()
    assert figures(m["overturn_rate"]) == (0.5, 1, 2)
    dollars = m["overturn_rate_dollars"]
    assert (dollars.numerator, dollars.denominator) == (D("500.00"), D("600.00"))
    assert dollars.value == pytest.approx(500 / 600)


def test_denial_write_off_rate(june):
    # I4 written off on 06-30 ($100) / June's gross charges (S5 400 + S6 600 + S9 100).
    m = june_metrics()["denial_write_off_rate"]
    assert (m.numerator, m.denominator) == (D("100.00"), D("1100.00"))
    assert m.value == pytest.approx(100 / 1100)


def test_days_in_ar(june):
    # A/R at 06-30: S1 1000 - (800 - 800 + 700) - (200 - 200 + 300) = 0; S2 at S2R's 500
    # - 0 - 500 (CO-27) + 500 (denial still pursued) = 500; S3 300 - 250 - 50 = 0; S4 200
    # - 100 - 100 + 100 - 100 (written off) = 0; S6 0; S9 100 (no remittance yet). Out:
    # S5 (never accepted), E1..E8 (voided), X7 and X8 (no submission). Total 600.
    # Charges 04-02..06-30: S2 500, S3 300, S4 200, S5 400, S6 600, S9 100 = 2100 / 90.
    m = june_metrics()["days_in_ar"]
    assert (m.numerator, m.denominator) == (D("600.00"), D("23.33"))
    assert m.value == pytest.approx(600 / 23.33)


def test_ar_aging_buckets(june):
    # S9 is 2 days old ($100), S2 86 days ($500).
    m = june_metrics()
    assert m["ar_aging_0_30"].value == pytest.approx(100 / 600)
    assert m["ar_aging_61_90"].value == pytest.approx(500 / 600)
    assert m["ar_aging_31_60"].value == 0
    assert m["ar_aging_over_120"].numerator == 0


def test_item_timing_metrics(june):
    m = june_metrics()
    # Created in June: I2 (acted on after 1 day), I4 (after 9 days), I7 (never).
    assert figures(m["days_to_first_action"]) == (5.0, 10.0, 2)
    assert figures(m["worked_within_7_days"]) == (pytest.approx(1 / 3), 1, 3)
    # Resolved in June: I2 after 5 days, I4 after 9 days and 2 hours.
    resolution = m["days_to_resolution"]
    assert resolution.denominator == 2
    assert resolution.value == pytest.approx((5 + 9 + 2 / 24) / 2, abs=1e-4)


def test_recovery_yield_and_preventable_share(june):
    m = june_metrics()
    # Resolved in June: I2 recovered 500 of 500, I4 0 of 100.
    assert figures(m["recovery_yield"]) == (pytest.approx(500 / 600), D("500.00"), D("600.00"))
    # Created in June with a control point: I2 (registration), I4 (coding); I7 none.
    assert figures(m["preventable_share"]) == (pytest.approx(2 / 3), 2, 3)


def test_denial_aging_and_dollars_at_risk(june):
    m = june_metrics()
    # Open at 06-30: I7 ($250, 14 days old, due 07-05), I8 ($300, 81 days, due 06-20).
    assert figures(m["denial_aging_0_30"])[1:] == (D("250.00"), D("550.00"))
    assert m["denial_aging_61_90"].value == pytest.approx(300 / 550)
    assert m["at_risk_0_7"].numerator == D("250.00")
    assert m["at_risk_missed"].numerator == D("300.00")
    assert m["at_risk_8_30"].value == 0


def test_a_month_with_no_data_is_no_data_not_a_division_by_zero(june):
    m = all_metrics(MetricFilters.for_month(2024, 1))
    assert {name: metric.value for name, metric in m.items()} == dict.fromkeys(m)
    assert m["denial_rate"].denominator == 0


def test_payer_cut(june):
    m = june_metrics(payer=june.p2.pk)
    # P2's first adjudications: C3, C6, C7 (denied); lookback: S3 only.
    assert figures(m["denial_rate"]) == (pytest.approx(1 / 3), 1, 3)
    assert m["initial_denial_rate"].value == pytest.approx(3.0)
    assert figures(m["clean_claim_rate"]) == (1.0, 1, 1)  # S6
    assert m["denial_write_off_rate"].numerator == 0  # I4 is P1's


def test_payer_type_cut_matches_the_payer(june):
    assert june_metrics(payer_type="medicare")["denial_rate"].value == pytest.approx(1 / 3)


def test_denial_side_cuts_narrow_the_numerator_only(june):
    assert figures(june_metrics(category="eligibility")["denial_rate"]) == (0.2, 1, 5)
    assert figures(june_metrics(reason_code="CO-16")["denial_rate"]) == (0.2, 1, 5)
    assert figures(june_metrics(control_point="registration")["denial_rate"]) == (0.2, 1, 5)
    # The clean-claim rate has no denial category: unchanged.
    assert june_metrics(category="eligibility")["clean_claim_rate"].value == pytest.approx(2 / 3)


def test_team_cut(june):
    m = june_metrics(team=june.coding.pk)
    assert figures(m["denial_rate"]) == (0.2, 1, 5)  # D4's item is the coding team's
    assert m["denial_write_off_rate"].numerator == D("100.00")
    assert figures(m["overturn_rate"]) == (0.0, 0, 1)
    assert figures(m["days_to_first_action"]) == (9.0, 9.0, 1)


def test_provider_location_and_procedure_cuts(june):
    for cut in ({"provider": "1111111111"}, {"location": "11"}, {"procedure_code": "99213"}):
        m = june_metrics(**cut)
        assert figures(m["denial_rate"]) == (1.0, 1, 1), cut  # C4 only
    assert june_metrics(procedure_code="99213")["denial_write_off_rate"].numerator == 100


def test_a_billers_item_figures_are_their_teams_only(june):
    default_team = june.i2.team_id
    m = june_metrics(scope_teams=(default_team,))
    assert m["denial_write_off_rate"].numerator == 0  # I4 is the coding team's
    assert figures(m["overturn_rate"]) == (1.0, 1, 1)
    assert m["denial_rate"].value == 0.6  # claim-based: the same for all staff


def test_a_longer_period_scales_the_lookback_average(june):
    from datetime import date

    m = all_metrics(MetricFilters(date(2025, 6, 1), date(2025, 7, 31)))
    # June and July: the same 3 initial denials over 4 a month x 2 months.
    assert figures(m["initial_denial_rate"]) == (0.375, 3, 8.0)
