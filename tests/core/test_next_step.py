"""What would move a score: the next tier's threshold and the gap to it, worked by hand on
seed 002's tiers, both directions, exclusive bounds, gaps and the gap policy; a linear
rule's target."""

from decimal import Decimal as D

import pytest

from kaohe.core import (
    Bound,
    Direction,
    GapPolicy,
    Indicator,
    Interval,
    Linear,
    RatingLevels,
    Tier,
    Tiers,
    full_marks_at,
    next_step,
)
from kaohe.core._rules import Level
from kaohe.core._text import Text


def interval(low=None, high=None, low_inclusive=True, high_inclusive=False):
    return Interval(
        None if low is None else Bound(D(low), low_inclusive),
        None if high is None else Bound(D(high), high_inclusive),
    )


def indicator(rule):
    return Indicator("qa", Text("录音抽检合格率", "QA pass rate"), rule, rule.max_points)


# cs-agent's QA pass rate: ≥ 95 → 30, ≥ 90 → 20, ≥ 85 → 10, else 0.
QA = Tiers(
    "qa_pass_rate",
    Direction.HIGHER,
    (
        Tier(interval(95), D(30)),
        Tier(interval(90, 95), D(20)),
        Tier(interval(85, 90), D(10)),
        Tier(interval(None, 85), D(0)),
    ),
)


@pytest.mark.parametrize(
    ("value", "needed", "change", "now", "then"),
    [
        ("93", "95", "2", 20, 30),  # "2 more points of QA pass rate moves you to the next tier"
        ("90", "95", "5", 20, 30),
        ("89.5", "90", "0.5", 10, 20),
        ("70", "85", "15", 0, 10),
    ],
)
def test_the_next_tier_up_and_the_gap_to_it(value, needed, change, now, then):
    step = next_step(indicator(QA), {"qa_pass_rate": D(value)})
    assert step is not None
    assert step.needed == Bound(D(needed), True)
    assert step.change == D(change)
    assert (step.points_now, step.points_then) == (now, then)
    assert step.points_gained == then - now


def test_full_points_already_leave_nothing_to_gain():
    assert next_step(indicator(QA), {"qa_pass_rate": D(97)}) is None
    assert next_step(indicator(QA), {"qa_pass_rate": D(95)}) is None


def test_no_value_yet_gives_no_step():
    assert next_step(indicator(QA), {"qa_pass_rate": None}) is None


# Lower is better (repair hours): ≤ 4 → 20, ≤ 8 → 10, else 0; the bound "< 4" exclusive.
REPAIR = Tiers(
    "repair_hours",
    Direction.LOWER,
    (
        Tier(interval(None, 4, high_inclusive=False), D(20)),
        Tier(interval(4, 8, high_inclusive=True), D(10)),
        Tier(interval(8, None, low_inclusive=False), D(0)),
    ),
)


def test_lower_is_better_points_down_to_the_threshold():
    step = next_step(indicator(REPAIR), {"repair_hours": D("9.5")})
    assert step is not None
    assert step.needed == Bound(D(8), True)
    assert step.change == D("1.5")
    assert step.direction is Direction.LOWER
    assert step.points_then == 10


def test_an_exclusive_bound_is_needed_as_less_than():
    step = next_step(indicator(REPAIR), {"repair_hours": D(6)})
    assert step is not None
    assert step.needed == Bound(D(4), False)  # less than 4 hours, not 4 itself
    assert step.change == D(2)
    assert step.points_then == 20


# Seed 002 literally: ≥ 90 → 20; ≥ 85 → 10; < 80 → 0, the gap [80, 85) between.
def seed_literal(policy):
    return Tiers(
        "rate",
        Direction.HIGHER,
        (Tier(interval(90), D(20)), Tier(interval(85, 90), D(10)), Tier(interval(None, 80), D(0))),
        policy,
    )


def test_under_the_next_lower_policy_a_gap_value_needs_the_tier_above():
    step = next_step(indicator(seed_literal(GapPolicy.NEXT_LOWER)), {"rate": D(79)})
    assert step is not None
    # 80 itself is in the gap and scores 0 like 79: the next points come at 85.
    assert step.needed == Bound(D(85), True)
    assert step.points_then == 10


def test_under_the_next_higher_policy_the_gap_itself_scores_more():
    step = next_step(indicator(seed_literal(GapPolicy.NEXT_HIGHER)), {"rate": D(79)})
    assert step is not None
    assert step.needed == Bound(D(80), True)
    assert step.change == D(1)
    assert step.points_then == 10


LINEAR = Linear("fcr", floor=D(60), target=D(85), full_points=D(30))


def test_a_linear_rule_points_at_its_target():
    step = next_step(indicator(LINEAR), {"fcr": D(80)})
    assert step is not None
    assert step.needed == Bound(D(85), True)
    assert step.change == D(5)
    assert step.points_now == D(24)
    assert step.points_then == D(30)
    assert next_step(indicator(LINEAR), {"fcr": D(90)}) is None


def test_where_full_marks_start():
    assert full_marks_at(QA) == Bound(D(95), True)
    assert full_marks_at(REPAIR) == Bound(D(4), False)
    assert full_marks_at(LINEAR) == Bound(D(85), True)


def test_ratings_have_no_threshold():
    levels = RatingLevels(
        "teamwork", tuple(Level(n, D(4 * n), Text(str(n), str(n))) for n in range(1, 6))
    )
    assert next_step(indicator(levels), {"teamwork": D(3)}) is None
    assert full_marks_at(levels) is None
