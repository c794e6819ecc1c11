"""Scoring: values in, trace out; missing data, rescaling, rounding and bad values."""

from decimal import Decimal as D

import pytest

from kaohe.core import IndicatorStatus, InputError, score

from .schemes import load_text

TWO_DIMENSIONS = """\
id: two
name: {zh: 两维, en: Two dimensions}
inputs:
  a: {kind: percent, name: {zh: 甲, en: Alpha}}
  b: {kind: percent, name: {zh: 乙, en: Beta}}
  c: {kind: percent, name: {zh: 丙, en: Gamma}}
  n: {kind: number, min: 0, max: 100, name: {zh: 数, en: Number}}
  count: {kind: count, name: {zh: 次, en: Events}}
  level: {kind: level, name: {zh: 级, en: Level}}
dimensions:
  - id: work
    name: {zh: 业绩, en: Work}
    weight: 60
    indicators:
      - id: alpha
        name: {zh: 甲, en: Alpha}
        max_points: 40
        missing: MISSING_ALPHA
        rule: {kind: linear, input: a, floor: 0, target: 100, points: 40}
      - id: beta
        name: {zh: 乙, en: Beta}
        max_points: 60
        rule: {kind: linear, input: b, floor: 0, target: 100, points: 60}
  - id: manner
    name: {zh: 态度, en: Manner}
    weight: 40
    indicators:
      - id: gamma
        name: {zh: 丙, en: Gamma}
        max_points: 10
        missing: MISSING_GAMMA
        rule: {kind: linear, input: c, floor: 0, target: 100, points: 10}
"""


def scheme(tmp_path, alpha="block", gamma="block"):
    text = TWO_DIMENSIONS.replace("MISSING_ALPHA", alpha).replace("MISSING_GAMMA", gamma)
    return load_text(tmp_path, text)


def test_dimension_score_is_weight_times_earned_over_possible(tmp_path):
    result = score(scheme(tmp_path), {"a": 50, "b": 100, "c": 25})
    work, manner = result.dimensions
    # work: (20 + 60) / 100 × 60 = 48; manner: 2.5 / 10 × 40 = 10
    assert (work.earned, work.possible, work.score) == (80, 100, 48)
    assert (manner.earned, manner.possible, manner.score) == (D("2.5"), 10, 10)
    assert result.total == D("58.00")
    assert result.grade.grade == "E"
    assert not result.rescaled


def test_missing_zero_counts_as_zero_and_says_so(tmp_path):
    result = score(scheme(tmp_path, alpha="zero"), {"b": 100, "c": 100})
    alpha = result.indicator("alpha")
    assert alpha.status is IndicatorStatus.MISSING_ZERO
    assert alpha.points == 0
    assert result.dimensions[0].possible == 100
    assert result.total == D("76.00")  # 60 × 60/100 + 40
    assert "counts it as 0 points" in alpha.explanation().en
    assert "计 0 分" in alpha.explanation().zh


def test_missing_exclude_renormalises_the_dimension(tmp_path):
    result = score(scheme(tmp_path, alpha="exclude"), {"b": 50, "c": 100})
    alpha = result.indicator("alpha")
    assert alpha.status is IndicatorStatus.EXCLUDED
    assert alpha.points is None
    work = result.dimensions[0]
    assert (work.earned, work.possible, work.score) == (30, 60, 30)  # 60 × 30/60
    assert result.total == D("70.00")
    assert "rescaled over the other indicators" in alpha.explanation().en


def test_excluding_a_whole_dimension_rescales_the_others_to_100(tmp_path):
    result = score(scheme(tmp_path, gamma="exclude"), {"a": 50, "b": 100})
    manner = result.dimensions[1]
    assert manner.excluded
    assert result.rescaled
    assert result.total == D("80.00")  # 48 of the 60 weight that counted
    assert result.grade.grade == "B"


def test_block_holds_the_total_but_scores_the_rest(tmp_path):
    result = score(scheme(tmp_path), {"a": 50, "c": 100}, base_pay=D(9000))
    assert result.blocked_by == ("beta",)
    assert not result.complete
    assert (result.total, result.grade, result.pay, result.coefficient) == (None, None, None, None)
    assert result.indicator("alpha").points == 20
    assert result.indicator("beta").status is IndicatorStatus.BLOCKED


def test_nothing_to_score_when_every_indicator_is_excluded(tmp_path):
    text = TWO_DIMENSIONS.replace("MISSING_ALPHA", "exclude").replace("MISSING_GAMMA", "exclude")
    text = text.replace(
        "        rule: {kind: linear, input: b",
        "        missing: exclude\n        rule: {kind: linear, input: b",
    )
    result = score(load_text(tmp_path, text), {})
    assert result.total is None
    assert result.blocked_by == ()
    assert not result.complete


def test_the_grade_is_assigned_on_the_rounded_total(tmp_path):
    text = """\
id: round
name: {zh: 舍入, en: Rounding}
inputs:
  n: {kind: number, min: 0, max: 100, unit: 分, name: {zh: 分数, en: Score}}
dimensions:
  - id: all
    name: {zh: 全部, en: All}
    weight: 100
    indicators:
      - id: score
        name: {zh: 分数, en: Score}
        max_points: 100
        rule: {kind: linear, input: n, floor: 0, target: 100, points: 100}
"""
    rounding = load_text(tmp_path, text)
    assert score(rounding, {"n": "89.995"}).total == D("90.00")
    assert score(rounding, {"n": "89.995"}).grade.grade == "A"
    assert score(rounding, {"n": "89.994"}).grade.grade == "B"
    assert score(rounding, {"n": "59.995"}).grade.grade == "D"


def test_pay_is_rounded_half_up_to_the_fen(tmp_path):
    result = score(scheme(tmp_path), {"a": 100, "b": 100, "c": 100}, base_pay=D("8333.335"))
    assert result.coefficient == D("1.2")
    assert result.pay == D("10000.00")  # 10000.002 → 10000.00
    result = score(scheme(tmp_path), {"a": 100, "b": 100, "c": 100}, base_pay=D("0.125"))
    assert result.pay == D("0.15")  # 0.15 exactly
    result = score(scheme(tmp_path), {"a": 100, "b": 100, "c": 100}, base_pay=D("1.0375"))
    assert result.pay == D("1.25")  # 1.245 → 1.25, not banker's 1.24


class TestValues:
    @pytest.mark.parametrize(
        ("values", "input_name", "reason"),
        [
            ({"a": 120}, "a", "120 is above the maximum [0, 100]"),
            ({"a": -1}, "a", "-1 is below the minimum [0, 100]"),
            ({"a": "lots"}, "a", "expected a number, got 'lots'"),
            ({"a": True}, "a", "expected a number, got True"),
            ({"a": [1]}, "a", "expected a number, got list"),
            ({"a": float("nan")}, "a", "expected a finite number"),
            ({"zzz": 1}, "zzz", "the scheme reads no such input"),
        ],
    )
    def test_bad_values_name_the_input_and_the_reason(self, tmp_path, values, input_name, reason):
        with pytest.raises(InputError) as caught:
            score(scheme(tmp_path), {"a": 1, "b": 1, "c": 1, **values})
        assert caught.value.input_name == input_name
        assert reason in str(caught.value)
        assert str(caught.value).startswith(f"input '{input_name}': ")

    def test_levels_and_counts_must_be_whole(self, tmp_path):
        with pytest.raises(InputError, match=r"input 'level': 7 is above the maximum \[1, 5\]"):
            score(scheme(tmp_path), {"level": 7})
        with pytest.raises(InputError, match=r"2\.5 is not a whole number"):
            score(scheme(tmp_path), {"count": "2.5"})

    def test_numeric_text_and_percent_signs_are_accepted(self, tmp_path):
        result = score(scheme(tmp_path), {"a": "50%", "b": " 100 ", "c": 25.0})
        assert result.total == D("58.00")

    def test_floats_keep_their_decimal_digits(self, tmp_path):
        result = score(scheme(tmp_path), {"a": 92.1, "b": 0, "c": 0})
        assert result.indicator("alpha").values == {"a": D("92.1")}

    def test_none_and_empty_text_are_missing(self, tmp_path):
        result = score(scheme(tmp_path, alpha="zero"), {"a": None, "b": "", "c": 1})
        assert result.indicator("alpha").status is IndicatorStatus.MISSING_ZERO
        assert result.blocked_by == ("beta",)
