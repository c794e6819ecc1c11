"""Property tests: for any valid scheme and any values in range, the score behaves.

Schemes are generated: one to four dimensions whose weights sum to 100, each with one to
four indicators of mixed rule kinds whose maximum equals the indicator's points.
"""

import itertools
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.core import (
    Bound,
    Dimension,
    Direction,
    Indicator,
    InputKind,
    InputSpec,
    Interval,
    Level,
    Linear,
    MissingPolicy,
    PerEvent,
    RatingLevels,
    Scheme,
    TargetRange,
    Text,
    Tier,
    Tiers,
    fmt,
    round_half_up,
    score,
)

HUNDRED = D(100)
settings.register_profile("kaohe", max_examples=150, deadline=None)
settings.load_profile("kaohe")

points = st.integers(min_value=1, max_value=40).map(D)
rate_values = st.decimals(min_value=0, max_value=100, places=2)


def spec(name, kind, minimum=None, maximum=None):
    return InputSpec(name, kind, Text(name, name), minimum=minimum, maximum=maximum)


@st.composite
def tiers_rule(draw, name, direction=None):
    direction = direction or draw(st.sampled_from(list(Direction)))
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=1, max_size=4)), reverse=True)
    worths = sorted(draw(st.lists(points, min_size=len(cuts), max_size=len(cuts))), reverse=True)
    tiers = []
    if direction is Direction.HIGHER:
        previous = None
        for cut, worth in zip(cuts, worths, strict=True):
            high = None if previous is None else Bound(D(previous), inclusive=False)
            tiers.append(Tier(Interval(Bound(D(cut), inclusive=True), high), worth))
            previous = cut
        tiers.append(Tier(Interval(None, Bound(D(previous), inclusive=False)), D(0)))
    else:
        previous = None
        for cut, worth in zip(reversed(cuts), worths, strict=True):
            low = None if previous is None else Bound(D(previous), inclusive=False)
            tiers.append(Tier(Interval(low, Bound(D(cut), inclusive=True)), worth))
            previous = cut
        tiers.append(Tier(Interval(Bound(D(previous), inclusive=False), None), D(0)))
    return Tiers(name, direction, tuple(tiers)), spec(name, InputKind.PERCENT, D(0), HUNDRED)


@st.composite
def linear_rule(draw, name, higher=None):
    higher = draw(st.booleans()) if higher is None else higher
    low, high = sorted(draw(st.lists(st.integers(0, 100), min_size=2, max_size=2, unique=True)))
    floor, target = (low, high) if higher else (high, low)
    rule = Linear(name, D(floor), D(target), draw(points))
    return rule, spec(name, InputKind.PERCENT, D(0), HUNDRED)


@st.composite
def range_rule(draw, name):
    low, high = sorted(draw(st.lists(st.integers(0, 100), min_size=2, max_size=2)))
    falloff = draw(st.one_of(st.none(), points))
    rule = TargetRange(name, D(low), D(high), draw(points), falloff, D(draw(st.integers(1, 20))))
    return rule, spec(name, InputKind.PERCENT, D(0), HUNDRED)


@st.composite
def levels_rule(draw, name):
    step = draw(points)
    levels = tuple(Level(n, step * n, Text(f"{n}", f"{n}")) for n in range(1, 6))
    return RatingLevels(name, levels), spec(name, InputKind.LEVEL, D(1), D(5))


@st.composite
def events_rule(draw, name, bonus=None):
    bonus = draw(st.booleans()) if bonus is None else bonus
    cap = draw(points)
    if bonus:
        rule = PerEvent(
            name, D(0), draw(st.integers(1, 10)).__int__() and D(draw(st.integers(1, 10))), cap
        )
    else:
        rule = PerEvent(name, cap, -D(draw(st.integers(1, 10))), cap)
    return rule, spec(name, InputKind.COUNT, D(0), None)


def any_rule(name):
    return st.one_of(
        tiers_rule(name), linear_rule(name), range_rule(name), levels_rule(name), events_rule(name)
    )


def zeroable_rule(name):
    """Rules that some value in range scores 0."""
    return st.one_of(tiers_rule(name), linear_rule(name), events_rule(name))


@st.composite
def weights(draw, count):
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    return [D(b - a) for a, b in itertools.pairwise(bounds)]


@st.composite
def schemes(draw, missing=MissingPolicy.BLOCK, rules=any_rule):
    dimension_count = draw(st.integers(1, 4))
    inputs = {}
    dimensions = []
    for d, weight in enumerate(draw(weights(dimension_count))):
        indicators = []
        for i in range(draw(st.integers(1, 4))):
            name = f"in_{d}_{i}"
            rule, input_spec = draw(rules(name))
            inputs[name] = input_spec
            indicators.append(
                Indicator(f"ind_{d}_{i}", Text(name, name), rule, rule.max_points, missing)
            )
        dimensions.append(Dimension(f"dim_{d}", Text(f"d{d}", f"d{d}"), weight, tuple(indicators)))
    return Scheme("generated", Text("生成", "generated"), tuple(dimensions), inputs)


def value_for(draw, input_spec):
    if input_spec.kind is InputKind.LEVEL:
        return D(draw(st.integers(1, 5)))
    if input_spec.kind is InputKind.COUNT:
        return D(draw(st.integers(0, 12)))
    return draw(rate_values)


@st.composite
def scheme_and_values(draw, missing=MissingPolicy.BLOCK):
    scheme = draw(schemes(missing))
    values = {name: value_for(draw, s) for name, s in scheme.inputs.items()}
    return scheme, values


def full_values(scheme):
    """Values that earn every indicator its full points."""
    values = {}
    for indicator in scheme.indicators():
        rule = indicator.rule
        name = rule.inputs[0]
        if isinstance(rule, Tiers):
            best = rule.tiers[0].interval
            values[name] = best.low.value if best.low else best.high.value
        elif isinstance(rule, Linear):
            values[name] = rule.target
        elif isinstance(rule, TargetRange):
            values[name] = rule.low
        elif isinstance(rule, RatingLevels):
            values[name] = D(5)
        elif isinstance(rule, PerEvent):
            values[name] = D(0) if rule.per_event < 0 else D(100)
    return values


@given(scheme_and_values())
def test_totals_points_and_dimension_scores_stay_in_range(case):
    scheme, values = case
    result = score(scheme, values)
    assert D(0) <= result.total <= HUNDRED
    assert result.total == result.total.quantize(D("0.01"))
    for item in result.indicators:
        assert D(0) <= item.points <= item.indicator.max_points
    for dimension in result.dimensions:
        assert D(0) <= dimension.score <= dimension.dimension.weight


@given(scheme_and_values())
def test_the_total_is_the_weighted_sum_rounded_half_up(case):
    scheme, values = case
    result = score(scheme, values, base_pay=D("12345.67"))
    expected = sum((d.dimension.weight * d.earned / d.possible for d in result.dimensions), D(0))
    assert result.total == round_half_up(expected)
    band = max(
        (b for b in scheme.grades.bands if b.minimum <= result.total), key=lambda b: b.minimum
    )
    assert result.grade == band
    assert result.pay == round_half_up(D("12345.67") * band.coefficient)


@given(schemes())
def test_full_marks_everywhere_make_100(scheme):
    assert score(scheme, full_values(scheme)).total == HUNDRED


def worst_value(rule):
    if isinstance(rule, Tiers):
        return D(0) if rule.direction is Direction.HIGHER else HUNDRED
    if isinstance(rule, Linear):
        return rule.floor
    return D(0) if rule.per_event > 0 else D(1000)  # events


@given(schemes(rules=zeroable_rule), st.data())
def test_a_dimension_at_zero_costs_exactly_its_weight(scheme, data):
    dimension = data.draw(st.sampled_from(scheme.dimensions))
    values = full_values(scheme)
    for indicator in dimension.indicators:
        values[indicator.inputs[0]] = worst_value(indicator.rule)
    result = score(scheme, values)
    assert result.total == round_half_up(HUNDRED - dimension.weight)


@st.composite
def monotone_case(draw):
    """A scheme with one monotone indicator, its direction, and two ordered values."""
    higher = draw(st.booleans())
    kind = draw(st.sampled_from(["tiers", "linear", "events"]))
    if kind == "tiers":
        direction = Direction.HIGHER if higher else Direction.LOWER
        rule, input_spec = draw(tiers_rule("x", direction))
    elif kind == "linear":
        rule, input_spec = draw(linear_rule("x", higher))
    else:
        rule, input_spec = draw(events_rule("x", bonus=higher))
    other, other_spec = draw(levels_rule("y"))
    scheme = Scheme(
        "m",
        Text("m", "m"),
        (
            Dimension(
                "a", Text("a", "a"), D(70), (Indicator("x", Text("x", "x"), rule, rule.max_points),)
            ),
            Dimension(
                "b",
                Text("b", "b"),
                D(30),
                (Indicator("y", Text("y", "y"), other, other.max_points),),
            ),
        ),
        {"x": input_spec, "y": other_spec},
    )
    if input_spec.kind is InputKind.COUNT:
        low, high = sorted(draw(st.lists(st.integers(0, 20), min_size=2, max_size=2)))
        low, high = D(low), D(high)
    else:
        low, high = sorted(draw(st.lists(rate_values, min_size=2, max_size=2)))
    return scheme, higher, low, high, D(draw(st.integers(1, 5)))


@given(monotone_case())
def test_raising_an_input_moves_the_total_only_the_right_way(case):
    scheme, higher_is_better, low, high, level = case
    at_low = score(scheme, {"x": low, "y": level}).total
    at_high = score(scheme, {"x": high, "y": level}).total
    if higher_is_better:
        assert at_high >= at_low
    else:
        assert at_high <= at_low


@given(scheme_and_values(missing=MissingPolicy.EXCLUDE), st.data())
def test_excluding_a_missing_value_rescales_its_dimension(case, data):
    scheme, values = case
    dimension = data.draw(st.sampled_from(scheme.dimensions))
    dropped = data.draw(st.sampled_from(dimension.indicators))
    values = {k: v for k, v in values.items() if k != dropped.inputs[0]}
    result = score(scheme, values)
    others = [
        i
        for i in result.indicators
        if i.indicator in dimension.indicators and i.indicator is not dropped
    ]
    outcome = next(d for d in result.dimensions if d.dimension is dimension)
    if others:
        earned = sum((i.points for i in others), D(0))
        possible = sum((i.indicator.max_points for i in others), D(0))
        assert outcome.score == dimension.weight * earned / possible
        assert not result.rescaled
    else:
        assert outcome.excluded
        assert result.rescaled
        counted = [d for d in result.dimensions if not d.excluded]
        if not counted:
            assert result.total is None
            return
        expected = (
            HUNDRED
            * sum((d.score for d in counted), D(0))
            / sum((d.dimension.weight for d in counted), D(0))
        )
        assert result.total == round_half_up(expected)


@given(scheme_and_values(missing=MissingPolicy.ZERO), st.data())
def test_a_missing_value_under_zero_counts_as_zero(case, data):
    scheme, values = case
    dropped = data.draw(st.sampled_from(list(scheme.indicators())))
    values = {k: v for k, v in values.items() if k != dropped.inputs[0]}
    result = score(scheme, values)
    item = result.indicator(dropped.id)
    assert item.points == 0
    dimension = next(d for d in result.dimensions if dropped in d.dimension.indicators)
    assert dimension.possible == dimension.dimension.max_points


@given(scheme_and_values(), st.data())
def test_a_blocking_missing_value_holds_the_result(case, data):
    scheme, values = case
    dropped = data.draw(st.sampled_from(list(scheme.indicators())))
    values = {k: v for k, v in values.items() if k != dropped.inputs[0]}
    result = score(scheme, values, base_pay=D(1000))
    assert (result.total, result.grade, result.pay) == (None, None, None)
    assert result.blocked_by == (dropped.id,)


@given(scheme_and_values())
def test_every_scored_indicator_explains_its_points_in_both_languages(case):
    scheme, values = case
    for item in score(scheme, values).indicators:
        sentence = item.explanation()
        assert sentence.zh
        assert sentence.en
        assert fmt(item.points) in sentence.en
        assert fmt(item.points) in sentence.zh
