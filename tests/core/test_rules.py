"""Every rule kind at its bounds, clamps and edges, through the public API."""

from decimal import Decimal as D

import pytest

from kaohe.core import (
    Bound,
    Check,
    Deductions,
    InputKind,
    InputSpec,
    Interval,
    Level,
    Linear,
    PerEvent,
    RatingLevels,
    TargetRange,
    Text,
)

INPUTS = {
    "rate": InputSpec("rate", InputKind.PERCENT, Text("接通率", "Answer rate")),
    "aht": InputSpec(
        "aht", InputKind.NUMBER, Text("处理时长", "Handle time"), unit=Text("秒", "s")
    ),
    "level": InputSpec(
        "level", InputKind.LEVEL, Text("协调", "Coordination"), minimum=D(1), maximum=D(5)
    ),
    "count": InputSpec("count", InputKind.COUNT, Text("建议", "Suggestions")),
    "a": InputSpec("a", InputKind.PERCENT, Text("响应率", "Response rate")),
    "b": InputSpec("b", InputKind.PERCENT, Text("解决率", "Resolution rate")),
}


def at_least(value):
    return Interval(Bound(D(value), inclusive=True), None)


class TestLinear:
    rule = Linear("rate", floor=D(80), target=D(95), full_points=D(30))

    @pytest.mark.parametrize(
        ("value", "points"),
        [(0, 0), (80, 0), (85, 10), (87.5, 15), (95, 30), (100, 30)],
    )
    def test_points_are_proportional_and_clamped(self, value, points):
        assert self.rule.points({"rate": D(str(value))}) == D(points)

    def test_lower_is_better_when_the_floor_is_above_the_target(self):
        rule = Linear("aht", floor=D(600), target=D(300), full_points=D(20))
        assert rule.points({"aht": D(300)}) == 20
        assert rule.points({"aht": D(450)}) == 10
        assert rule.points({"aht": D(700)}) == 0
        assert rule.points({"aht": D(200)}) == 20

    def test_explains_the_formula(self):
        text = self.rule.explain({"rate": D(85)}, INPUTS)
        assert text.en == (
            "Answer rate 85%: pro rata between the floor 80 and the target 95, "
            "30 × (85 − 80) ÷ (95 − 80) = 10 points."
        )
        assert "下限 80" in text.zh
        assert "= 10 分" in text.zh

    def test_explains_the_clamps(self):
        assert "full 30 points" in self.rule.explain({"rate": D(99)}, INPUTS).en
        assert "0 points" in self.rule.explain({"rate": D(50)}, INPUTS).en

    def test_max_points(self):
        assert self.rule.max_points == 30


class TestTargetRange:
    # Seed 000: average talk time 3–10 minutes; 2 points off per minute outside.
    rule = TargetRange(
        "aht", low=D(180), high=D(600), full_points=D(10), falloff_points=D(2), falloff_per=D(60)
    )

    @pytest.mark.parametrize(
        ("value", "points"),
        [(180, 10), (400, 10), (600, 10), (150, 9), (120, 8), (660, 8), (900, 0), (0, 4)],
    )
    def test_full_inside_and_falling_off_outside(self, value, points):
        assert self.rule.points({"aht": D(value)}) == D(points)

    def test_without_falloff_nothing_outside(self):
        rule = TargetRange("aht", low=D(180), high=D(600), full_points=D(10))
        assert rule.points({"aht": D(179)}) == 0
        assert rule.points({"aht": D(180)}) == 10
        assert rule.points({"aht": D(601)}) == 0

    def test_explains_inside_and_outside(self):
        inside = self.rule.explain({"aht": D(300)}, INPUTS)
        assert inside.en == "Handle time 300 s: inside the target range 180–600, full 10 points."
        assert inside.zh == "处理时长 300 秒：在目标区间 180–600 内，得满分 10 分。"
        outside = self.rule.explain({"aht": D(120)}, INPUTS)
        assert "60 below the target range 180–600" in outside.en
        assert outside.en.endswith("2 off, 8 points.")


class TestDeductions:
    # Seed 002: complaint handling, base 10, −5 for each missed check.
    rule = Deductions(
        checks=(
            Check("a", at_least(100)),
            Check("b", at_least(100)),
        ),
        base=D(10),
        deduction=D(5),
    )

    @pytest.mark.parametrize(
        ("a", "b", "points"), [(100, 100, 10), (99.9, 100, 5), (100, 0, 5), (50, 50, 0)]
    )
    def test_base_minus_each_failed_check(self, a, b, points):
        assert self.rule.points({"a": D(str(a)), "b": D(str(b))}) == points

    def test_floored_at_zero(self):
        rule = Deductions(
            checks=(Check("a", at_least(100)), Check("b", at_least(100))),
            base=D(10),
            deduction=D(8),
        )
        assert rule.points({"a": D(0), "b": D(0)}) == 0

    def test_explanation_names_each_failed_check(self):
        text = self.rule.explain({"a": D(100), "b": D(96)}, INPUTS)
        assert text.en == (
            "1 of 2 checks failed (Resolution rate 96%, needs ≥ 100): 10 − 5 × 1, 5 points."
        )
        assert "解决率 96%" in text.zh
        assert "Response rate" not in text.en

    def test_inputs_are_those_of_the_checks(self):
        assert self.rule.inputs == ("a", "b")


class TestRatingLevels:
    rule = RatingLevels(
        "level",
        tuple(Level(n, D(4 * n), Text(f"第{n}级", f"level {n} anchor")) for n in range(1, 6)),
    )

    @pytest.mark.parametrize(("level", "points"), [(1, 4), (2, 8), (3, 12), (4, 16), (5, 20)])
    def test_each_level_is_worth_its_points(self, level, points):
        assert self.rule.points({"level": D(level)}) == points

    def test_explains_with_the_anchor(self):
        assert self.rule.explain({"level": D(3)}, INPUTS).en == (
            "Coordination: rated level 3 (level 3 anchor), 12 points."
        )

    def test_is_not_quantitative(self):
        assert not self.rule.quantitative
        assert self.rule.max_points == 20


class TestPerEvent:
    bonus = PerEvent("count", base=D(0), per_event=D(5), cap=D(20))
    penalty = PerEvent("count", base=D(20), per_event=D(-10), cap=D(20))

    @pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 5), (4, 20), (9, 20)])
    def test_bonus_is_capped(self, count, points):
        assert self.bonus.points({"count": D(count)}) == points

    @pytest.mark.parametrize(("count", "points"), [(0, 20), (1, 10), (2, 0), (5, 0)])
    def test_penalty_is_floored_at_zero(self, count, points):
        assert self.penalty.points({"count": D(count)}) == points

    def test_explanations_say_when_capped_or_floored(self):
        assert "capped at 20" in self.bonus.explain({"count": D(9)}, INPUTS).en
        assert "floored at 0" in self.penalty.explain({"count": D(5)}, INPUTS).en
        assert self.penalty.explain({"count": D(1)}, INPUTS).en == (
            "Suggestions 1: 20 − 10 × 1 = 10, 10 points."
        )


def test_every_rule_describes_itself_in_both_languages():
    rules = [
        TestLinear.rule,
        TestTargetRange.rule,
        TestDeductions.rule,
        TestRatingLevels.rule,
        TestPerEvent.bonus,
    ]
    for rule in rules:
        described = rule.describe(INPUTS)
        assert described.zh
        assert described.en
        assert described.zh != described.en


def test_a_lower_is_better_linear_rule_at_its_floor_scores_a_plain_zero():
    rule = Linear("aht", floor=D(600), target=D(300), full_points=D(20))
    points = rule.points({"aht": D(600)})
    assert points == 0
    assert not points.is_signed()  # not −0, which would print as "-0"
    assert "0 points" in rule.explain({"aht": D(600)}, INPUTS).en
