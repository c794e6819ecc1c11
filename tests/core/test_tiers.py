"""Tiers: thresholds, both directions, inclusive bounds, gaps and the gap policy."""

from decimal import Decimal as D

import pytest

from kaohe.core import (
    Bound,
    Direction,
    GapPolicy,
    InputKind,
    InputSpec,
    Interval,
    Text,
    Tier,
    Tiers,
)

INPUTS = {
    "rate": InputSpec("rate", InputKind.PERCENT, Text("完成率", "Completion rate")),
    "hours": InputSpec(
        "hours", InputKind.NUMBER, Text("修复时长", "Repair time"), unit=Text("小时", "h")
    ),
}


def interval(low=None, high=None, low_inclusive=True, high_inclusive=False):
    return Interval(
        None if low is None else Bound(D(low), low_inclusive),
        None if high is None else Bound(D(high), high_inclusive),
    )


# Seed 002 as written: ≥ 90 → 20; ≥ 85 → 10; < 80 → 0, leaving [80, 85) undefined.
SEED_LITERAL = Tiers(
    "rate",
    Direction.HIGHER,
    (
        Tier(interval(90), D(20)),
        Tier(interval(85, 90), D(10)),
        Tier(interval(None, 80), D(0)),
    ),
)


@pytest.mark.parametrize(
    ("value", "points"),
    [(100, 20), (90, 20), ("89.99", 10), (85, 10), ("84.99", 0), (80, 0), (79, 0), (0, 0)],
)
def test_seed_literal_bounds_are_inclusive_and_the_gap_takes_the_next_lower_tier(value, points):
    assert SEED_LITERAL.points({"rate": D(str(value))}) == points


def test_gap_value_explains_the_gap_and_the_policy():
    text = SEED_LITERAL.explain({"rate": D(82)}, INPUTS)
    assert text.en == (
        "Completion rate 82%: falls in the gap ≥ 80 and < 85 between tiers; the gap policy "
        "takes the next lower tier (< 80), 0 points."
    )
    assert "空档「≥ 80 且 < 85」" in text.zh


def test_gap_policy_next_higher_takes_the_better_tier():
    rule = Tiers("rate", Direction.HIGHER, SEED_LITERAL.tiers, GapPolicy.NEXT_HIGHER)
    assert rule.points({"rate": D(82)}) == 10
    assert rule.points({"rate": D(80)}) == 10
    assert rule.points({"rate": D(79)}) == 0
    assert "next higher tier" in rule.explain({"rate": D(82)}, INPUTS).en


def test_match_reports_tier_and_gap():
    match = SEED_LITERAL.match(D(83))
    assert match.tier is SEED_LITERAL.tiers[2]
    assert match.gap == interval(80, 85)
    direct = SEED_LITERAL.match(D(86))
    assert direct.tier is SEED_LITERAL.tiers[1]
    assert direct.gap is None


# Lower is better: repair within 4 h → 30; within 8 h → 20; otherwise 0, listed best first.
REPAIR = Tiers(
    "hours",
    Direction.LOWER,
    (
        Tier(interval(None, 4, high_inclusive=True), D(30)),
        Tier(interval(4, 8, low_inclusive=False, high_inclusive=True), D(20)),
        Tier(interval(8, low_inclusive=False), D(0)),
    ),
)


@pytest.mark.parametrize(
    ("hours", "points"), [(0, 30), (4, 30), ("4.01", 20), (8, 20), ("8.5", 0), (100, 0)]
)
def test_lower_is_better(hours, points):
    assert REPAIR.points({"hours": D(str(hours))}) == points


def test_lower_is_better_gap_takes_the_worse_neighbour_by_default():
    rule = Tiers(
        "hours",
        Direction.LOWER,
        (
            Tier(interval(None, 4, high_inclusive=True), D(30)),
            Tier(interval(6, 8, high_inclusive=True), D(20)),
        ),
    )
    # 5 h lies between "≤ 4" and "≥ 6 and ≤ 8"; the worse tier is the one with more hours.
    assert rule.points({"hours": D(5)}) == 20
    higher = Tiers("hours", Direction.LOWER, rule.tiers, GapPolicy.NEXT_HIGHER)
    assert higher.points({"hours": D(5)}) == 30


def test_value_beyond_every_tier_scores_zero_and_says_so():
    rule = Tiers(
        "rate", Direction.HIGHER, (Tier(interval(90), D(20)), Tier(interval(85, 90), D(10)))
    )
    assert rule.points({"rate": D(50)}) == 0
    assert (
        rule.explain({"rate": D(50)}, INPUTS).en
        == "Completion rate 50%: matches no tier, 0 points."
    )
    assert rule.match(D(50)).tier is None


def test_explanation_for_a_direct_match():
    text = SEED_LITERAL.explain({"rate": D(92)}, INPUTS)
    assert text.zh == "完成率 92%：落在「≥ 90」档，得 20 分。"
    assert text.en == "Completion rate 92%: in the tier ≥ 90, 20 points."


def test_describe_lists_every_tier():
    assert SEED_LITERAL.describe(INPUTS).en == "≥ 90 → 20; ≥ 85 and < 90 → 10; < 80 → 0"
    assert REPAIR.describe(INPUTS).zh == "≤ 4 → 30 分；> 4 且 ≤ 8 → 20 分；> 8 → 0 分"
