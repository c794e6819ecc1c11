"""Rater-bias checks against hand-computed examples and an independent reference."""

import math
import statistics
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.analytics import FlagKind, RatedAppraisal, rater_bias, self_gap
from kaohe.analytics._bias import _middle_levels


def rated(rater, levels, kpis=None, selves=None, items=("skill",)):
    """One appraisal per entry; each level given to every item named."""
    made = []
    for i, level in enumerate(levels):
        ratings = dict.fromkeys(items, level) if isinstance(level, int) else level
        made.append(
            RatedAppraisal(
                key=f"{rater}-{i}",
                rater=rater,
                ratings=ratings,
                kpi=None if kpis is None else kpis[i],
                self_ratings={} if selves is None else selves[i],
            )
        )
    return made


def kinds(report, rater):
    return {flag.kind for flag in report.raters[rater].flags}


def test_without_kpis_a_rater_is_compared_with_the_cycle_mean_and_the_flag_says_so():
    people = (
        rated("Lin", [4, 5, 4, 5, 4]) + rated("Sun", [2, 1, 2, 1, 2]) + rated("Wu", [5, 1, 3, 2, 4])
    )
    report = rater_bias(people, names={"Lin": "林", "Sun": "孙", "Wu": "吴"})
    assert not report.fit.predictive
    assert report.fit.mean == pytest.approx(3.0)  # 22 + 8 + 15 over 15 people
    lin = report.raters["Lin"]
    # Differences 1, 2, 1, 2, 1: d = 1.4, s = √0.3, z = 1.4 ÷ (√0.3 ÷ √5) = 5.715…
    assert lin.difference == pytest.approx(1.4)
    assert lin.z == pytest.approx(1.4 / (math.sqrt(0.3) / math.sqrt(5)))
    assert not lin.against_kpi
    assert FlagKind.LENIENT in kinds(report, "Lin")
    assert FlagKind.SEVERE in kinds(report, "Sun")
    assert not kinds(report, "Wu") & {FlagKind.LENIENT, FlagKind.SEVERE}
    flag = next(f for f in report.raters["Lin"].flags if f.kind is FlagKind.LENIENT)
    assert flag.text.en == (
        "林 rated 5 people 1.4 levels above the cycle's mean (KPIs do not predict ratings in "
        "this cycle, so a strong team cannot be told apart): z = 5.7 — lenient."
    )
    assert flag.text.zh.startswith("林 对 5 人的评分比本周期平均高 1.4 级")
    assert flag.text.zh.endswith("z = 5.7，偏宽松。")


def kpi_driven_cycle(lenient_by=0.0, seed=7):
    """Eight raters of ten people each whose ratings follow KPIs (1 + 4 × kpi, rounded),
    one of them adding ``lenient_by`` levels."""
    random = Random(seed)
    people = []
    for r in range(8):
        kpis = [random.random() for _ in range(10)]
        extra = lenient_by if r == 0 else 0.0
        levels = [max(1, min(5, round(1 + 4 * k + extra))) for k in kpis]
        people += rated(f"r{r}", levels, kpis)
    return people


def test_leniency_is_measured_against_what_the_kpis_predict():
    people = kpi_driven_cycle(lenient_by=1.0)
    report = rater_bias(people)
    assert report.fit.predictive
    # The reference: the same line and statistics from Python's statistics module.
    line = statistics.linear_regression([a.kpi for a in people], [a.level for a in people])
    assert report.fit.slope == pytest.approx(line.slope)
    assert report.fit.intercept == pytest.approx(line.intercept)
    mine = [a for a in people if a.rater == "r0"]
    differences = [a.level - (line.intercept + line.slope * a.kpi) for a in mine]
    d = statistics.fmean(differences)
    z = d / (statistics.stdev(differences) / math.sqrt(len(mine)))
    figures = report.raters["r0"]
    assert figures.against_kpi
    assert figures.difference == pytest.approx(d)
    assert figures.z == pytest.approx(z)
    assert FlagKind.LENIENT in kinds(report, "r0")
    assert "what their KPIs predict" in figures.flags[0].text.en


def test_a_strong_team_rated_highly_is_not_lenient_when_kpis_explain_it():
    people = kpi_driven_cycle()
    strong = rated("star", [5, 5, 5, 4, 5, 5], kpis=[0.97, 0.99, 0.95, 0.8, 1.0, 0.92])
    report = rater_bias(people + strong)
    assert report.fit.predictive
    assert FlagKind.LENIENT not in kinds(report, "star")
    # The same ratings without KPIs are above the cycle's mean: flagged, against the mean.
    blind = [RatedAppraisal(a.key, a.rater, a.ratings) for a in people + strong]
    assert FlagKind.LENIENT in kinds(rater_bias(blind), "star")


def test_a_large_difference_needs_half_a_level_to_be_flagged():
    # Differences of 0.2 with almost no spread give a huge z but less than half a level.
    people = rated("Ma", [3, 3, 3, 3, 3]) + rated("Ye", [3, 3, 3, 3, 2] * 3)
    report = rater_bias(people)
    ma = report.raters["Ma"]
    assert ma.difference < 0.5
    assert not kinds(report, "Ma") & {FlagKind.LENIENT, FlagKind.SEVERE}


def test_only_raters_with_five_rated_people_are_judged():
    report = rater_bias(rated("few", [5, 5, 5, 5]) + rated("enough", [1, 2, 3, 4, 5]))
    assert set(report.raters) == {"enough"}


def test_central_tendency_by_spread_and_by_the_middle_levels():
    people = rated("Mid", [3, 4, 3, 4, 3, 4]) + rated("Wide", [1, 5, 2, 4, 1, 5])
    report = rater_bias(people)
    mid = report.raters["Mid"]
    assert mid.middle_share == 1.0  # levels 3 and 4 are the middle of five
    assert FlagKind.CENTRAL in kinds(report, "Mid")
    assert FlagKind.CENTRAL not in kinds(report, "Wide")
    assert report.spread == pytest.approx(statistics.stdev([a.level for a in people]))


def test_the_two_middle_levels():
    assert _middle_levels(5) == {3, 4}
    assert _middle_levels(4) == {2, 3}
    assert _middle_levels(3) == {2, 3}


def test_halo_is_the_mean_correlation_between_items_across_people():
    together = [{"a": v, "b": v, "c": min(5, v + 1)} for v in (1, 2, 3, 4, 5, 2)]
    apart = [{"a": 1, "b": 5, "c": 3}, {"a": 5, "b": 1, "c": 3}, {"a": 3, "b": 3, "c": 1},
             {"a": 2, "b": 4, "c": 5}, {"a": 4, "b": 2, "c": 2}]  # fmt: skip
    report = rater_bias(rated("Halo", together) + rated("Fair", apart))
    assert report.raters["Halo"].halo > 0.8
    assert FlagKind.HALO in kinds(report, "Halo")
    expected = statistics.fmean(
        statistics.correlation([p[x] for p in apart], [p[y] for p in apart])
        for x, y in (("a", "b"), ("a", "c"), ("b", "c"))
    )
    assert report.raters["Fair"].halo == pytest.approx(expected)
    assert FlagKind.HALO not in kinds(report, "Fair")


def test_halo_needs_two_items_that_vary():
    report = rater_bias(rated("One", [1, 2, 3, 4, 5]))
    assert report.raters["One"].halo is None


def test_the_self_gap_per_person_and_per_rater():
    person = RatedAppraisal("x", "r", {"a": 2, "b": 3, "c": 4}, self_ratings={"a": 5, "b": 4})
    assert self_gap(person) == pytest.approx(2.0)  # (3 + 1) ÷ 2; c was not self-rated
    assert self_gap(RatedAppraisal("y", "r", {"a": 2})) is None
    selves = [{"skill": 5}] * 5
    report = rater_bias(rated("Low", [3, 3, 3, 4, 3], selves=selves), names={"Low": "低"})
    assert report.raters["Low"].gap == pytest.approx(1.8)
    flag = next(f for f in report.raters["Low"].flags if f.kind is FlagKind.SELF_GAP)
    assert flag.text.en == "低's 5 people rate themselves 1.8 levels above 低's ratings on average."


def test_all_alike_differences_give_an_infinite_z_and_a_readable_sentence():
    people = rated("Up", [5, 5, 5, 5, 5]) + rated("Down", [1, 1, 1, 1, 1])
    report = rater_bias(people)
    assert report.raters["Up"].z == math.inf
    assert "z = ∞" in next(f for f in report.raters["Up"].flags).text.en


@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(1, 5), st.floats(0, 1)),
        min_size=0,
        max_size=120,
    )
)
def test_flags_are_symmetric_in_direction_and_name_only_judged_raters(rows):
    people = [
        RatedAppraisal(i, rater, {"skill": level}, kpi=kpi)
        for i, (rater, level, kpi) in enumerate(rows)
    ]
    report = rater_bias(people)
    counts = {rater: sum(1 for r, *_ in rows if r == rater) for rater, *_ in rows}
    assert set(report.raters) == {r for r, c in counts.items() if c >= 5}
    for figures in report.raters.values():
        lenient = FlagKind.LENIENT in {f.kind for f in figures.flags}
        severe = FlagKind.SEVERE in {f.kind for f in figures.flags}
        assert not (lenient and severe)
        if lenient:
            assert figures.difference >= 0.5
            assert figures.z >= 2
        if severe:
            assert figures.difference <= -0.5
            assert figures.z <= -2
