"""Priority scoring without a database. Expected figures are worked out by hand."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from worklist.scoring import Outcomes, Policy, recovery_probability, score, urgency

CODING = Policy(prior_rate=D("0.700"), prior_weight=10, work_cost=D("25"))
TODAY = date(2024, 6, 1)
PAYER_A, PAYER_B = 1, 2


def probability(outcomes, *, payer=PAYER_A, category="coding", code="97", policy=CODING):
    return recovery_probability(
        payer_id=payer, category=category, reason_code=code, outcomes=outcomes, policy=policy
    )[0]


def outcomes_for(results: dict[int, tuple[int, int]], category="coding", code="97"):
    """Outcomes as recovery_outcomes() builds them: per payer (recovered in full, count)."""
    out = Outcomes()
    total, count = D(0), 0
    for payer, (recovered, n) in results.items():
        out.by_reason[(payer, category, code)] = (D(recovered), n)
        out.by_payer[(payer, category)] = (D(recovered), n)
        total, count = total + recovered, count + n
    out.by_category[category] = (total, count)
    return out


def scored(amount, p, *, deadline=None, policy=CODING):
    return score(
        open_amount=D(amount),
        probability=D(p),
        basis="test",
        policy=policy,
        deadline=deadline,
        today=TODAY,
    )


def test_with_no_outcomes_the_probability_is_the_category_prior():
    p, basis = recovery_probability(
        payer_id=PAYER_A, category="coding", reason_code="97", outcomes=Outcomes(), policy=CODING
    )
    assert p == D("0.700")
    assert basis == "no outcomes yet; category prior 70%"


def test_a_payer_that_recovers_more_outranks_one_that_recovers_less():
    # A recovered 9 of 10 coding denials, B 1 of 10: category 10/20.
    #   category level: (10 + 0.7 × 10) / 30 = 17/30
    #   A: payer (9 + 170/30) / 20 = 0.7333…, reason (9 + 7.333…) / 20 = 0.81666… → 0.817
    #   B: payer (1 + 170/30) / 20 = 0.3333…, reason (1 + 3.333…) / 20 = 0.21666… → 0.217
    outcomes = outcomes_for({PAYER_A: (9, 10), PAYER_B: (1, 10)})
    p_a, p_b = probability(outcomes, payer=PAYER_A), probability(outcomes, payer=PAYER_B)
    assert (p_a, p_b) == (D("0.817"), D("0.217"))
    a, b = scored("500.00", p_a), scored("500.00", p_b)
    assert a.priority == D("383.50")  # 500 × 0.817 − 25
    assert b.priority == D("83.50")  # 500 × 0.217 − 25
    assert a.priority > b.priority


def test_a_payer_with_no_history_gets_the_category_level_figure():
    outcomes = outcomes_for({PAYER_A: (9, 10), PAYER_B: (1, 10)})
    # Payer 3 has no outcomes of its own: only the category level moves it, to 17/30.
    assert probability(outcomes, payer=3) == D("0.567")


def test_one_level_of_outcomes_is_shrunk_toward_the_prior_by_its_weight():
    outcomes = Outcomes(by_category={"coding": (D(5), 5)})
    # (5 recovered + 0.7 × 10 prior outcomes) / (5 + 10) = 12/15
    assert probability(outcomes) == D("0.800")


@pytest.mark.parametrize(("observed", "prior"), [(1, D("0.700")), (0, D("0.700"))])
def test_thin_data_lies_between_the_observed_rate_and_the_prior(observed, prior):
    """All recovered (rate 1) or none (rate 0): the estimate sits strictly between the
    observed rate and the prior, and moves toward the observed rate as outcomes grow."""
    previous = prior
    for n in (1, 2, 5, 10, 20):
        p = probability(outcomes_for({PAYER_A: (observed * n, n)}))
        assert min(observed, prior) < p < max(observed, prior), n
        assert abs(p - observed) < abs(previous - observed), n
        previous = p


def test_two_outcomes_shrink_by_hand():
    # category (2 + 7) / 12 = 0.75; payer (2 + 7.5) / 12 = 0.79166…;
    # reason (2 + 7.9166…) / 12 = 0.82638… → 0.826
    assert probability(outcomes_for({PAYER_A: (2, 2)})) == D("0.826")


def test_outcomes_of_another_category_do_not_move_this_one():
    outcomes = outcomes_for({PAYER_A: (0, 20)}, category="eligibility")
    assert probability(outcomes) == D("0.700")


def test_the_basis_names_the_outcome_counts():
    _, basis = recovery_probability(
        payer_id=PAYER_A,
        category="coding",
        reason_code="97",
        outcomes=outcomes_for({PAYER_A: (3, 4), PAYER_B: (1, 2)}),
        policy=CODING,
    )
    assert basis == (
        "4 for this payer and code, 4 for this payer and category, 6 in this category "
        "resolved; category prior 70%"
    )


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (None, D(1)),
        (TODAY - timedelta(days=1), D(1)),  # missed: flagged elsewhere, not boosted
        (TODAY + timedelta(days=90), D(1)),
        (TODAY + timedelta(days=30), D(1)),  # the horizon
        (TODAY + timedelta(days=29), D("1.07")),  # 1 + 2 × 1/30
        (TODAY + timedelta(days=15), D("2.00")),  # 1 + 2 × 15/30
        (TODAY + timedelta(days=3), D("2.80")),  # 1 + 2 × 27/30
        (TODAY, D("3.00")),
    ],
)
def test_urgency(deadline, expected):
    assert urgency(deadline, TODAY) == expected


def test_urgency_rises_monotonically_to_3_as_the_deadline_nears():
    values = [urgency(TODAY + timedelta(days=left), TODAY) for left in range(30, -1, -1)]
    assert values[0] == 1 and values[-1] == 3
    assert all(a < b for a, b in zip(values, values[1:], strict=False))


def test_a_nearer_deadline_outranks_an_equal_item_with_a_far_one():
    near = scored("1000.00", "0.700", deadline=TODAY + timedelta(days=15))
    far = scored("1000.00", "0.700", deadline=TODAY + timedelta(days=120))
    assert near.expected_net_recovery == far.expected_net_recovery == D("675.00")
    assert (near.priority, far.priority) == (D("1350.00"), D("675.00"))


def test_expected_net_recovery_is_amount_times_probability_less_cost():
    result = scored("1234.56", "0.450", policy=Policy(D("0.450"), 10, D("60")))
    # 1234.56 × 0.45 = 555.552; − 60 = 495.552 → 495.55
    assert result.expected_net_recovery == D("495.55")
    assert result.priority == D("495.55")  # no deadline: urgency 1
    assert result.probability == D("0.450") and result.urgency == 1


def test_an_item_costing_more_than_it_recovers_sinks_to_zero_never_below():
    losing = scored("20.00", "0.700", deadline=TODAY + timedelta(days=1))  # 14 − 25
    assert losing.expected_net_recovery == D("-11.00")
    assert losing.priority == D("0.00")  # urgency does not multiply a loss; never negative
    barely = scored("40.00", "0.700")  # 28 − 25
    assert barely.priority == D("3.00")
    big = scored("1000.00", "0.700")
    ranked = sorted([losing, big, barely], key=lambda s: s.priority, reverse=True)
    assert ranked == [big, barely, losing]


def test_the_explanation_names_amount_probability_and_deadline():
    result = score(
        open_amount=D("1000.00"),
        probability=D("0.700"),
        basis="no outcomes yet; category prior 70%",
        policy=CODING,
        deadline=TODAY + timedelta(days=15),
        today=TODAY,
    )
    assert result.explanation == (
        "$1,000.00 open × 70% likely to recover (no outcomes yet; category prior 70%) "
        "− $25.00 to work = $675.00 expected; deadline in 15 days → urgency ×2.00; "
        "priority 1,350.00"
    )


@pytest.mark.parametrize(
    ("deadline", "words"),
    [
        (None, "no deadline"),
        (TODAY - timedelta(days=3), "deadline missed 3 days ago"),
        (TODAY + timedelta(days=40), "deadline in 40 days"),
    ],
)
def test_the_explanation_says_where_the_deadline_stands(deadline, words):
    assert f"; {words} → urgency ×1;" in scored("100.00", "0.700", deadline=deadline).explanation


def test_an_item_past_every_deadline_has_no_priority_and_says_why():
    result = score(
        open_amount=D("5000.00"),
        probability=D("0.500"),
        basis="test",
        policy=Policy(D("0.500"), 10, D("25")),
        deadline=TODAY - timedelta(days=5432),
        today=TODAY,
        recourse_left=False,
    )
    assert result.expected_net_recovery == D("2475.00")
    assert result.priority == D("0.00")
    assert "no recourse left, for write-off review" in result.explanation
