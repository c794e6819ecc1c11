"""Property tests of scoring over generated, lint-clean schemes (public API only).

The strategies that generate the schemes, values and expectations are in strategies.py.
"""

from decimal import Decimal as D
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from kaohe.core import (
    DEFAULT_GRADES,
    Dimension,
    Direction,
    Indicator,
    IndicatorStatus,
    InputKind,
    InputSpec,
    Linear,
    MissingPolicy,
    Scheme,
    Text,
    fmt,
    has_errors,
    lint,
    score,
)

from .strategies import (
    HUNDRED,
    PROPERTY,
    SMART,
    cases,
    close,
    exact_half_up,
    expected_score,
    half_up,
    label,
    some_inputs,
    weighted_total,
    without,
)

# --- the generator itself ----------------------------------------------------------------


@PROPERTY
@given(cases())
def test_generated_schemes_are_lint_clean(case):
    findings = lint(case.scheme)
    assert not has_errors(findings), [f.message.en for f in findings]
    assert {f.code for f in findings} <= {"tier-gap"}
    assert sum(d.weight for d in case.scheme.dimensions) == HUNDRED


# --- (a) ranges --------------------------------------------------------------------------


@PROPERTY
@given(cases(), st.data())
def test_total_points_and_dimension_scores_stay_in_range(case, data):
    result = score(case.scheme, data.draw(case.values()))
    assert D(0) <= result.total <= HUNDRED
    assert result.total.as_tuple().exponent == -2
    for indicator in result.indicators:
        assert indicator.status is IndicatorStatus.SCORED
        assert D(0) <= indicator.points <= indicator.indicator.max_points
    for dimension in result.dimensions:
        assert D(0) <= dimension.score <= dimension.dimension.weight
    assert not result.rescaled
    assert result.blocked_by == ()


@PROPERTY
@given(cases(), st.data())
def test_every_indicator_scores_what_its_rule_defines(case, data):
    values = data.draw(case.values())
    result = score(case.scheme, values)
    for gen in case.gens():
        expected = gen.reference(values)
        assert close(result.indicator(gen.id).points, expected), (gen.rule, values)


# --- (b) monotonicity --------------------------------------------------------------------


@PROPERTY
@given(cases(), st.data())
def test_raising_an_input_moves_the_total_only_the_right_way(case, data):
    directed = [gen for gen in case.gens() if gen.direction is not None]
    assume(directed)
    gen = data.draw(st.sampled_from(directed))
    (name,) = gen.names
    values = data.draw(case.values())
    low, high = sorted((values[name], data.draw(gen.draws[name])))
    before = score(case.scheme, {**values, name: low})
    after = score(case.scheme, {**values, name: high})
    lower_points = before.indicator(gen.id).points
    higher_points = after.indicator(gen.id).points
    if gen.direction is Direction.HIGHER:
        assert higher_points >= lower_points
        assert after.total >= before.total
    else:
        assert higher_points <= lower_points
        assert after.total <= before.total


# --- (c) weights -------------------------------------------------------------------------


@PROPERTY
@given(cases())
def test_full_points_everywhere_make_exactly_100(case):
    result = score(case.scheme, case.full())
    assert result.total == HUNDRED
    assert str(result.total) == "100.00"
    for dimension in result.dimensions:
        assert dimension.score == dimension.dimension.weight
        assert dimension.earned == dimension.possible


@PROPERTY
@given(cases(), st.data())
def test_a_dimension_at_zero_costs_exactly_its_weight(case, data):
    zeroable = [k for k, group in enumerate(case.groups) if all(g.zero for g in group)]
    assume(zeroable)
    chosen = data.draw(st.sampled_from(zeroable))
    values = case.full()
    for gen in case.groups[chosen]:
        values.update(gen.zero)
    result = score(case.scheme, values)
    weight = case.scheme.dimensions[chosen].weight
    assert result.dimensions[chosen].score == 0
    assert result.total == half_up(HUNDRED - weight)


@PROPERTY
@given(cases(), st.data())
def test_the_total_is_the_weighted_sum_of_earned_over_possible(case, data):
    result = score(case.scheme, data.draw(case.values()))
    total = Fraction(0)
    for dimension, group in zip(case.scheme.dimensions, case.groups, strict=True):
        earned = sum(Fraction(result.indicator(g.id).points) for g in group)
        possible = sum(Fraction(g.indicator.max_points) for g in group)
        total += Fraction(dimension.weight) * earned / possible
    assert result.total == exact_half_up(total)


# --- (d) grades and pay ------------------------------------------------------------------


@PROPERTY
@given(cases(), st.data(), st.decimals(0, 100000, places=2))
def test_the_grade_is_the_highest_band_reached_and_pay_follows_it(case, data, base_pay):
    result = score(case.scheme, data.draw(case.values()), base_pay=base_pay)
    reached = [band for band in case.scheme.grades.bands if band.minimum <= result.total]
    band = max(reached, key=lambda b: b.minimum)
    assert result.grade == band
    assert result.coefficient == band.coefficient
    assert result.base_pay == base_pay
    assert result.pay == half_up(base_pay * band.coefficient)
    assert result.pay.as_tuple().exponent == -2


def one_linear_scheme(full, grades=DEFAULT_GRADES):
    """One dimension, one indicator: points = the value, out of ``full``."""
    spec = InputSpec("value", InputKind.NUMBER, label("value"), Text("分", "pt"), D(0), full)
    rule = Linear("value", D(0), full, full)
    indicator = Indicator("only", Text("唯一", "Only"), rule, full, smart=SMART)
    dimension = Dimension("all", Text("全部", "All"), HUNDRED, (indicator,))
    return Scheme("one", Text("一", "One"), (dimension,), {"value": spec}, grades)


def test_the_grade_is_taken_from_the_rounded_total():
    result = score(one_linear_scheme(D(200)), {"value": D("179.99")})  # 89.995 → 90.00
    assert result.total == D("90.00")
    assert result.grade.grade == "A"


def test_pay_is_rounded_half_up_not_to_even():
    result = score(one_linear_scheme(D(100)), {"value": 65}, base_pay=D("10.25"))
    assert result.grade.grade == "D"  # coefficient 0.5: 5.125 → 5.13, not 5.12
    assert result.pay == D("5.13")


# --- (e) missing values ------------------------------------------------------------------


@PROPERTY
@given(cases(policies=st.just(MissingPolicy.EXCLUDE)), st.data())
def test_an_excluded_indicator_rescales_its_dimension_over_the_others(case, data):
    shared = [(k, g) for k, group in enumerate(case.groups) if len(group) > 1 for g in group]
    assume(shared)
    chosen, gone = data.draw(st.sampled_from(shared))
    values = data.draw(without(data.draw(case.values()), data.draw(some_inputs(gone))))
    result = score(case.scheme, values)
    excluded = result.indicator(gone.id)
    assert excluded.status is IndicatorStatus.EXCLUDED
    assert excluded.points is None
    others = [result.indicator(g.id) for g in case.groups[chosen] if g is not gone]
    dimension = result.dimensions[chosen]
    assert dimension.possible == sum(r.indicator.max_points for r in others)
    assert close(dimension.score, expected_score(dimension, others))
    assert not result.rescaled
    assert result.total == weighted_total(result)


@PROPERTY
@given(cases(policies=st.just(MissingPolicy.ZERO)), st.data())
def test_a_missing_value_under_zero_counts_as_zero_of_its_max_points(case, data):
    chosen = data.draw(st.sampled_from(range(len(case.groups))))
    gone = data.draw(st.sampled_from(case.groups[chosen]))
    values = data.draw(case.values())
    result = score(case.scheme, data.draw(without(values, data.draw(some_inputs(gone)))))
    missing = result.indicator(gone.id)
    assert missing.status is IndicatorStatus.MISSING_ZERO
    assert missing.points == 0
    members = [result.indicator(g.id) for g in case.groups[chosen]]
    dimension = result.dimensions[chosen]
    assert dimension.possible == sum(g.indicator.max_points for g in case.groups[chosen])
    assert close(dimension.score, expected_score(dimension, members))
    if gone.zero is not None:  # the same as a value worth 0 points
        assert result.total == score(case.scheme, {**values, **gone.zero}).total


@PROPERTY
@given(cases(policies=st.just(MissingPolicy.BLOCK)), st.data(), st.decimals(1, 10000, places=2))
def test_a_blocking_missing_value_holds_the_result(case, data, base_pay):
    gens = case.gens()
    held = data.draw(st.lists(st.sampled_from(gens), min_size=1, unique_by=lambda g: g.id))
    values = data.draw(case.values())
    for gen in held:
        values = data.draw(without(values, data.draw(some_inputs(gen))))
    result = score(case.scheme, values, base_pay=base_pay)
    assert result.total is None
    assert result.grade is None
    assert result.pay is None
    assert not result.complete
    held_ids = {gen.id for gen in held}
    assert result.blocked_by == tuple(g.id for g in gens if g.id in held_ids)
    for gen in held:
        assert result.indicator(gen.id).status is IndicatorStatus.BLOCKED


@PROPERTY
@given(cases(policies=st.just(MissingPolicy.EXCLUDE), dimensions=st.integers(2, 4)), st.data())
def test_a_wholly_excluded_dimension_rescales_the_others_to_100(case, data):
    chosen = data.draw(st.sampled_from(range(len(case.groups))))
    values = data.draw(case.values())
    absent = [name for gen in case.groups[chosen] for name in gen.names]
    result = score(case.scheme, data.draw(without(values, absent)))
    assert result.rescaled
    assert result.dimensions[chosen].excluded
    assert result.dimensions[chosen].score is None
    others = [d for k, d in enumerate(result.dimensions) if k != chosen]
    scores = sum(Fraction(d.score) for d in others)
    weight = sum(Fraction(d.dimension.weight) for d in others)
    assert result.total == exact_half_up(100 * scores / weight)
    assert result.grade is not None


def expected_status(gen, values):
    if all(values.get(name) not in (None, "  ") for name in gen.names):
        return IndicatorStatus.SCORED
    return {
        MissingPolicy.ZERO: IndicatorStatus.MISSING_ZERO,
        MissingPolicy.EXCLUDE: IndicatorStatus.EXCLUDED,
        MissingPolicy.BLOCK: IndicatorStatus.BLOCKED,
    }[gen.indicator.missing]


@PROPERTY
@given(cases(), st.data())
def test_any_mix_of_missing_values_and_policies(case, data):
    names = [name for gen in case.gens() for name in gen.names]
    absent = data.draw(st.sets(st.sampled_from(names)))
    values = data.draw(without(data.draw(case.values()), absent))
    result = score(case.scheme, values)
    statuses = {gen.id: expected_status(gen, values) for gen in case.gens()}
    for gen in case.gens():
        found = result.indicator(gen.id)
        assert found.status is statuses[gen.id]
        explained = found.explanation()
        assert explained.zh.strip()
        assert explained.en.strip()
    blocked = tuple(i for i, s in statuses.items() if s is IndicatorStatus.BLOCKED)
    assert result.blocked_by == blocked
    assert result.rescaled == any(d.excluded for d in result.dimensions)
    for dimension, group in zip(result.dimensions, case.groups, strict=True):
        counted = [r for r in map(result.indicator, (g.id for g in group)) if r.counted]
        assert dimension.excluded == (not counted)
        if counted:
            assert close(dimension.score, expected_score(dimension, counted))
    if blocked or all(d.excluded for d in result.dimensions):
        assert (result.total, result.grade) == (None, None)
    else:
        assert result.total == weighted_total(result)


# --- (f) explanations --------------------------------------------------------------------


@PROPERTY
@given(cases(), st.data())
def test_every_scored_indicator_explains_its_points_in_both_languages(case, data):
    result = score(case.scheme, data.draw(case.values()))
    for indicator in result.indicators:
        sentence = indicator.explanation()
        assert sentence.zh.strip()
        assert sentence.en.strip()
        assert sentence("zh") == sentence.zh
        assert fmt(indicator.points) in sentence.en
        assert f"{fmt(indicator.points)} points" in sentence.en
