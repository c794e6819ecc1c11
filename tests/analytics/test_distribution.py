"""Distribution guidelines: largest-remainder quotas, ranges, enforcement and reading them."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.analytics import Guideline, GuidelineError, largest_remainder

GRADES = ("A", "B", "C", "D", "E")
RANGES = "A 10-20, B 20-30, C 30-50, D 5-15, E 0-10"


def shares(*percents):
    return [(grade, Fraction(p, 100)) for grade, p in zip(GRADES, percents, strict=True)]


@pytest.mark.parametrize(
    ("n", "percents", "expected"),
    [
        # 1, 1.5, 1.5, 0.5, 0.5: floors give 3, the two places left go to the tied .5
        # remainders in grade order, B and C.
        (5, (20, 30, 30, 10, 10), [1, 2, 2, 0, 0]),
        # 2.5, 5, 10, 5, 2.5: one place left, A and E tie, A comes first.
        (25, (10, 20, 40, 20, 10), [3, 5, 10, 5, 2]),
        # 1.05, 2.45, 2.45, 0.7, 0.35: two left, to D (.7) and then B (.45, before C).
        (7, (15, 35, 35, 10, 5), [1, 3, 2, 1, 0]),
        (0, (20, 20, 20, 20, 20), [0, 0, 0, 0, 0]),
        (100, (10, 20, 40, 20, 10), [10, 20, 40, 20, 10]),
    ],
)
def test_largest_remainder_golden_cases(n, percents, expected):
    assert list(largest_remainder(n, shares(*percents)).values()) == expected


@st.composite
def percent_splits(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)))
    bounds = [0, *cuts, 100]
    return [bounds[i + 1] - bounds[i] for i in range(5)]


@given(st.integers(0, 5000), percent_splits())
def test_quotas_add_up_to_n_and_each_is_within_one_of_its_share(n, percents):
    quotas = largest_remainder(n, shares(*percents))
    assert sum(quotas.values()) == n
    for grade, percent in zip(GRADES, percents, strict=True):
        assert abs(quotas[grade] - Fraction(n * percent, 100)) < 1


@given(st.integers(0, 2000), percent_splits())
def test_a_grade_with_a_larger_share_never_gets_fewer_places(n, percents):
    quotas = largest_remainder(n, shares(*percents))
    for i, j in [(i, j) for i in range(5) for j in range(5)]:
        if percents[i] > percents[j]:
            assert quotas[GRADES[i]] >= quotas[GRADES[j]]


def test_target_shares_must_be_met_exactly():
    guideline = Guideline.from_text("A 20, B 30, C 30, D 10, E 10", GRADES)
    assert guideline.is_target
    met = guideline.check({"A": 1, "B": 2, "C": 2})
    assert not met.broken
    broken = guideline.check({"A": 2, "B": 1, "C": 2})
    assert broken.broken
    assert broken.grade("A").over
    assert broken.grade("B").under
    assert (broken.grade("A").count, broken.grade("A").maximum) == (2, 1)


def test_a_range_allows_from_the_floor_of_its_low_to_the_ceiling_of_its_high():
    guideline = Guideline.from_text(RANGES, GRADES)
    assert guideline.bounds(20) == {
        "A": (2, 4), "B": (4, 6), "C": (6, 10), "D": (1, 3), "E": (0, 2),
    }  # fmt: skip
    # Five people: 0.5–1 in A allows 0 to 1; 0.25–0.75 in D allows 0 to 1.
    assert guideline.bounds(5) == {
        "A": (0, 1), "B": (1, 2), "C": (1, 3), "D": (0, 1), "E": (0, 1),
    }  # fmt: skip


def test_met_exactly_a_range_uses_its_midpoints_rescaled_to_the_whole():
    # Midpoints 15, 25, 40, 10, 5 add up to 95: 3.16, 5.26, 8.42, 2.11, 1.05 for 20 people.
    assert Guideline.from_text(RANGES, GRADES).expected(20) == {
        "A": 3, "B": 5, "C": 9, "D": 2, "E": 1,
    }  # fmt: skip


def test_enforcement_applies_only_from_the_minimum_population():
    guideline = Guideline.from_text(RANGES, GRADES, enforced=True, minimum_population=25)
    small = guideline.check({"A": 10, "B": 14})
    assert small.broken
    assert not small.enforceable
    assert not small.blocks_closing
    large = guideline.check({"A": 10, "B": 15})
    assert large.broken
    assert large.enforceable
    assert large.blocks_closing
    within = guideline.check({"A": 4, "B": 6, "C": 10, "D": 3, "E": 2})
    assert within.enforceable
    assert not within.broken
    assert not within.blocks_closing


def test_an_advisory_guideline_never_blocks():
    guideline = Guideline.from_text(RANGES, GRADES)
    check = guideline.check({"A": 100})
    assert check.broken
    assert not check.blocks_closing


def test_a_grade_the_guideline_leaves_out_allows_nobody():
    guideline = Guideline.from_text("A 20, B 80", ("A", "B"))
    check = guideline.check({"A": 1, "B": 4, "X": 1})
    assert check.grade("X").over


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("A 10-20, B 20-30", "missing: C, D, E"),
        ("A 10-20, A 20-30", "Grade A is given twice"),
        ("A lots", "is not understood"),
        ("A 30-20, B 20, C 20, D 20, E 10", "the low end 30 % is above the high end 20 %"),
        ("A 20, B 20, C 20, D 20, E 10", "add up to 90 %"),
        ("A 60-70, B 50-60, C 0-10, D 0-10, E 0-10", "the low ends add up to 110 %"),
        ("A 150, B 0, C 0, D 0, E 0", "“150” is not a percentage between 0 and 100"),
        ("F 10, A 90", "Grade F is not on the grade scale"),
    ],
)
def test_a_guideline_that_cannot_be_used_says_why_in_both_languages(text, english):
    with pytest.raises(GuidelineError) as refused:
        Guideline.from_text(text, GRADES)
    assert english in refused.value.message.en
    assert refused.value.message.zh
    assert refused.value.message.zh != refused.value.message.en


def test_it_reads_chinese_punctuation_and_percent_signs():
    guideline = Guideline.from_text("A：10%～20%；B 20至30、C 30-50\nD 5-15，E 0-10", GRADES)
    assert guideline.shares[0].low == Decimal(10)
    assert guideline.shares[0].high == Decimal(20)
    assert guideline.written() == "A 10–20 %, B 20–30 %, C 30–50 %, D 5–15 %, E 0–10 %"


def test_from_mapping_takes_shares_and_ranges():
    guideline = Guideline.from_mapping(
        {"A": [10, 20], "B": 30, "C": "30", "D": [5, 15], "E": [0, 10]}, GRADES
    )
    assert [s.written() for s in guideline.shares] == [
        "10–20 %", "30 %", "30 %", "5–15 %", "0–10 %",
    ]  # fmt: skip


def test_the_cost_if_met_grades_people_by_rank_into_the_places():
    from kaohe.analytics import cost_if_met
    from kaohe.core import DEFAULT_GRADES

    people = [(Decimal(95), Decimal(5000)), (Decimal(70), Decimal(3000)),
              (Decimal(85), Decimal(4000)), (Decimal(60), Decimal(3000))]  # fmt: skip
    places = {"A": 1, "B": 1, "C": 2, "D": 0, "E": 0}
    # 95 → A 5000 × 1.2; 85 → B 4000 × 1.0; 70 and 60 → C 3000 × 0.8 each.
    assert cost_if_met(people, places, DEFAULT_GRADES) == Decimal("6000.00") + 4000 + 2400 + 2400
    # Fewer places than people: the rest fall to the lowest grade, paid nothing.
    assert cost_if_met(people, {"A": 1}, DEFAULT_GRADES) == Decimal("6000.00")
