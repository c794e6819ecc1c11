"""Hypothesis strategies for property tests of scoring: generated, lint-clean schemes.

A generated scheme has one to four dimensions whose weights sum to exactly 100, each with
one to four indicators of mixed rule kinds whose max points equal their rule's. Every
indicator reads inputs of its own, so that changing one input moves one indicator. Each
generated indicator comes with what the properties need to know about it: a strategy of
valid values per input, values that earn full points and values that earn none, the
direction in which its rule improves, and its points computed from the rule's definition
in exact fractions.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction
from itertools import pairwise

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from kaohe.core import (
    DEFAULT_GRADES,
    Bound,
    Check,
    Deductions,
    Dimension,
    Direction,
    GapPolicy,
    GradeBand,
    GradeScale,
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
    Smart,
    TargetRange,
    Text,
    Tier,
    Tiers,
)

PROPERTY = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
HUNDRED = D(100)
CENT = D("0.01")
TINY = Fraction(1, 10**20)  # what 28-digit Decimal division may lose against exact fractions
POINTS = st.integers(1, 80).map(lambda n: D(n) / 2)  # 0.5 to 40 in halves
SMART = Smart(Text("目标", "target"), Text("台账", "ledger"), Text("月度", "monthly"))


def half_up(value, places=CENT):
    return value.quantize(places, rounding=ROUND_HALF_UP)


def exact_half_up(value: Fraction) -> D:
    """A non-negative fraction rounded half-up to two decimals, without any precision loss."""
    return D(math.floor(value * 100 + Fraction(1, 2))) / 100


def close(found, expected):
    return abs(Fraction(found) - Fraction(expected)) <= TINY


def label(name):
    return Text(f"输入{name}", f"Input {name}")


def in_range(low, high):
    """Decimal values within [low, high], whole or with two decimals."""
    return st.integers(low, high).map(D) | st.decimals(low, high, places=2)


# --- generated indicators ----------------------------------------------------------------


@dataclass(frozen=True)
class Gen:
    """A generated rule, later its indicator, and what the properties know about it."""

    rule: object
    specs: tuple[InputSpec, ...]
    draws: Mapping[str, st.SearchStrategy]  # valid values of each input
    full: Mapping[str, D]  # values earning the rule's max points
    zero: Mapping[str, D] | None  # values earning 0 points, where any do
    direction: Direction | None  # how the single input improves, for monotone rules
    reference: Callable[[Mapping[str, D]], Fraction]  # points by the rule's definition
    indicator: Indicator | None = None

    @property
    def id(self):
        return self.indicator.id

    @property
    def names(self):
        return tuple(spec.name for spec in self.specs)


@st.composite
def measured(draw, name):
    """A percentage, or a number in [0, 100] with a unit."""
    if draw(st.booleans()):
        return InputSpec(name, InputKind.PERCENT, label(name))
    unit = Text("小时", "h")
    return InputSpec(name, InputKind.NUMBER, label(name), unit, D(0), D(100))


def holds(interval, value):
    low, high = interval.low, interval.high
    above_low = low is None or value > low.value or (low.inclusive and value == low.value)
    below_high = high is None or value < high.value or (high.inclusive and value == high.value)
    return above_low and below_high


def starts_above(interval, value):
    low = interval.low
    return low is not None and (value < low.value or (value == low.value and not low.inclusive))


def tier_points(ascending, policy, value):
    """Points of the tier holding the value; in a gap, the policy's neighbour."""
    for tier in ascending:
        if holds(tier.interval, value):
            return Fraction(tier.points)
    upper = next(k for k, tier in enumerate(ascending) if starts_above(tier.interval, value))
    pick = min if policy is GapPolicy.NEXT_LOWER else max
    return Fraction(pick(ascending[upper - 1].points, ascending[upper].points))


@st.composite
def boundary(draw, a, b):
    """Where a tier ends and the next (higher-valued) one starts: at a, or a gap up to b."""
    style = draw(st.sampled_from(("min", "max", "point", "gap")))
    if style == "min":  # the upper tier holds a
        return Bound(D(a), inclusive=False), Bound(D(a), inclusive=True)
    if style == "max":  # the lower tier holds a
        return Bound(D(a), inclusive=True), Bound(D(a), inclusive=False)
    if style == "point":  # neither holds a: a one-point gap
        return Bound(D(a), inclusive=False), Bound(D(a), inclusive=False)
    return Bound(D(a), inclusive=draw(st.booleans())), Bound(D(b), inclusive=draw(st.booleans()))


@st.composite
def ascending_intervals(draw, count):
    """``count`` non-overlapping intervals covering every number but the gaps, lowest first."""
    cuts = draw(
        st.lists(st.integers(1, 99), min_size=2 * count - 2, max_size=2 * count - 2, unique=True)
    )
    cuts.sort()
    bounds = [draw(boundary(a, b)) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
    lows = [None, *(low for _, low in bounds)]
    highs = [*(high for high, _ in bounds), None]
    return [Interval(low, high) for low, high in zip(lows, highs, strict=True)]


@st.composite
def tiers_rules(draw, name):
    spec = draw(measured(name))
    direction = draw(st.sampled_from(Direction))
    count = draw(st.integers(2, 5))
    intervals = draw(ascending_intervals(count))
    points = [D(0), *sorted(draw(st.lists(POINTS, min_size=count - 1, max_size=count - 1)))]
    higher = direction is Direction.HIGHER
    ascending = [
        Tier(i, p) for i, p in zip(intervals, points if higher else points[::-1], strict=True)
    ]
    policy = draw(st.sampled_from(GapPolicy))
    rule = Tiers(name, direction, tuple(ascending[::-1] if higher else ascending), policy)
    best, worst = (D(100), D(0)) if higher else (D(0), D(100))
    return Gen(
        rule,
        (spec,),
        {name: in_range(0, 100)},
        {name: best},
        {name: worst},
        direction,
        lambda values: tier_points(ascending, policy, values[name]),
    )


def clamped(value, high):
    return min(max(value, Fraction(0)), Fraction(high))


@st.composite
def linear_rules(draw, name):
    spec = draw(measured(name))
    floor, target = draw(st.lists(st.integers(0, 100), min_size=2, max_size=2, unique=True))
    full = draw(POINTS)

    def reference(values):
        return clamped(Fraction(full) * (Fraction(values[name]) - floor) / (target - floor), full)

    direction = Direction.HIGHER if floor < target else Direction.LOWER
    rule = Linear(name, D(floor), D(target), full)
    return Gen(rule, (spec,), {name: in_range(0, 100)}, {name: D(target)}, {name: D(floor)},
               direction, reference)  # fmt: skip


@st.composite
def range_rules(draw, name):
    """Full points within [low, high]; far enough outside always reaches 0."""
    spec = draw(measured(name))
    low, high = sorted(draw(st.lists(st.integers(10, 90), min_size=2, max_size=2)))
    full = draw(POINTS)
    per = draw(st.none() | st.sampled_from((1, 2, 5)))
    falloff = None
    if per is not None:  # at least 10 away is always possible, so make 10 away cost it all
        least = math.ceil(full * per / 10)
        falloff = D(draw(st.integers(least, least + 20)))

    def reference(values):
        value = Fraction(values[name])
        distance = max(low - value, value - high, Fraction(0))
        if distance == 0:
            return Fraction(full)
        if falloff is None:
            return Fraction(0)
        return Fraction(full) - min(Fraction(full), Fraction(falloff) * distance / per)

    rule = TargetRange(name, D(low), D(high), full, falloff, D(per or 1))
    far = D(0) if low >= 100 - high else D(100)
    return Gen(rule, (spec,), {name: in_range(0, 100)}, {name: D(low)}, {name: far}, None,
               reference)  # fmt: skip


@st.composite
def conditions(draw):
    """A check's passing interval, with a value that passes and one that fails."""
    a, b = sorted(draw(st.lists(st.integers(1, 99), min_size=2, max_size=2, unique=True)))
    a, b = D(a), D(b)
    return draw(
        st.sampled_from(
            (
                (Interval(Bound(a, inclusive=True), None), D(100), D(0)),
                (Interval(Bound(a, inclusive=False), None), D(100), D(0)),
                (Interval(None, Bound(a, inclusive=True)), D(0), D(100)),
                (Interval(None, Bound(a, inclusive=False)), D(0), D(100)),
                (Interval(Bound(a, inclusive=True), Bound(b, inclusive=False)), a, D(0)),
            )
        )
    )


@st.composite
def check_rules(draw, prefix):
    count = draw(st.integers(1, 3))
    names = [f"{prefix}_c{n}" for n in range(1, count + 1)]
    found = [draw(conditions()) for _ in names]
    base = draw(POINTS)
    deduction = D(draw(st.integers(math.ceil(base / count), math.ceil(base))))  # all fail: 0

    def reference(values):
        failed = sum(not holds(c[0], values[n]) for c, n in zip(found, names, strict=True))
        return max(Fraction(0), Fraction(base - deduction * failed))

    checks = tuple(Check(n, c[0]) for c, n in zip(found, names, strict=True))
    return Gen(
        Deductions(checks, base, deduction),
        tuple(InputSpec(n, InputKind.PERCENT, label(n)) for n in names),
        {n: in_range(0, 100) for n in names},
        {n: c[1] for c, n in zip(found, names, strict=True)},
        {n: c[2] for c, n in zip(found, names, strict=True)},
        None,
        reference,
    )


@st.composite
def level_rules(draw, name):
    count = draw(st.integers(2, 5))
    lowest = draw(st.sampled_from((D(0), None)))  # level 1 is worth 0 points, or more
    rises = sorted(draw(st.lists(POINTS, min_size=count, max_size=count, unique=True)))
    points = rises if lowest is None else [lowest, *rises[1:]]
    levels = tuple(
        Level(n, p, Text(f"第 {n} 级", f"level {n}")) for n, p in enumerate(points, start=1)
    )
    spec = InputSpec(name, InputKind.LEVEL, label(name), minimum=D(1), maximum=D(count))
    zero = {name: D(1)} if lowest is not None else None
    return Gen(
        RatingLevels(name, levels),
        (spec,),
        {name: st.integers(1, count).map(D)},
        {name: D(count)},
        zero,
        Direction.HIGHER,
        lambda values: Fraction(points[int(values[name]) - 1]),
    )


@st.composite
def event_rules(draw, name):
    """A bonus from a base up to a cap, or a penalty from a base down to 0."""
    step, cap = draw(POINTS), draw(POINTS)
    spec = InputSpec(name, InputKind.COUNT, label(name), Text("次", "times"), D(0))
    if draw(st.booleans()):
        base = D(draw(st.integers(0, int(cap * 2)))) / 2
        full, zero = math.ceil((cap - base) / step), (0 if base == 0 else None)
        rule, direction = PerEvent(name, base, step, cap), Direction.HIGHER
    else:
        base, full, zero = cap, 0, math.ceil(cap / step)
        rule, direction = PerEvent(name, base, -step, cap), Direction.LOWER

    def reference(values):
        return clamped(Fraction(rule.base) + Fraction(rule.per_event) * Fraction(values[name]), cap)

    most = 2 * max(full, zero or 0) + 3
    return Gen(
        rule,
        (spec,),
        {name: st.integers(0, most).map(D)},
        {name: D(full)},
        None if zero is None else {name: D(zero)},
        direction,
        reference,
    )


RULES = (tiers_rules, linear_rules, range_rules, check_rules, level_rules, event_rules)


@st.composite
def indicators(draw, ident, policies):
    make = draw(st.sampled_from(RULES))
    gen = draw(make(f"{ident}_x" if make is not check_rules else ident))
    indicator = Indicator(
        id=ident,
        name=Text(f"指标 {ident}", f"Indicator {ident}"),
        rule=gen.rule,
        max_points=gen.rule.max_points,
        missing=draw(policies),
        smart=SMART,
    )
    return replace(gen, indicator=indicator)


# --- generated schemes -------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    scheme: Scheme
    groups: tuple[tuple[Gen, ...], ...]  # the generated indicators of each dimension

    def gens(self):
        return [gen for group in self.groups for gen in group]

    def values(self):
        return st.fixed_dictionaries(
            {name: draws for gen in self.gens() for name, draws in gen.draws.items()}
        )

    def full(self):
        return {name: value for gen in self.gens() for name, value in gen.full.items()}


@st.composite
def weights(draw, count):
    """``count`` weights with at most two decimals summing to exactly 100."""
    cents = st.integers(1, 9999) | st.integers(1, 99).map(lambda n: n * 100)
    cuts = sorted(draw(st.lists(cents, min_size=count - 1, max_size=count - 1, unique=True)))
    return [D(b - a) / 100 for a, b in pairwise([0, *cuts, 10000])]


@st.composite
def grade_scales(draw):
    """Bands best first, minimums falling to 0, coefficients not rising."""
    count = draw(st.integers(1, 5))
    tenths = draw(
        st.lists(st.integers(1, 999), min_size=count - 1, max_size=count - 1, unique=True)
    )
    minimums = [*(D(t) / 10 for t in sorted(tenths, reverse=True)), D(0)]
    hundredths = draw(st.lists(st.integers(0, 250), min_size=count, max_size=count))
    coefficients = [D(c) / 100 for c in sorted(hundredths, reverse=True)]
    bands = (
        GradeBand(letter, minimum, coefficient, Text(letter, letter), Text("行动", "action"))
        for letter, minimum, coefficient in zip("ABCDE", minimums, coefficients, strict=False)
    )
    return GradeScale(tuple(bands))


ANY_POLICY = st.sampled_from(MissingPolicy)
ONE_TO_FOUR = st.integers(1, 4)


@st.composite
def cases(draw, policies=ANY_POLICY, dimensions=ONE_TO_FOUR):
    count = draw(dimensions)
    groups, built = [], []
    for number, weight in enumerate(draw(weights(count)), start=1):
        size = draw(st.integers(1, 4))
        group = tuple(draw(indicators(f"d{number}i{k}", policies)) for k in range(1, size + 1))
        name = Text(f"维度 {number}", f"Dimension {number}")
        built.append(Dimension(f"d{number}", name, weight, tuple(g.indicator for g in group)))
        groups.append(group)
    inputs = {spec.name: spec for group in groups for gen in group for spec in gen.specs}
    grades = draw(st.just(DEFAULT_GRADES) | grade_scales())
    scheme = Scheme("generated", Text("生成", "Generated"), tuple(built), inputs, grades)
    return Case(scheme, tuple(groups))


# --- helpers for the properties ----------------------------------------------------------


@st.composite
def without(draw, values, names):
    """The values with ``names`` absent: left out, None or blank text."""
    thinned = dict(values)
    for name in names:
        how = draw(st.sampled_from(("omit", "none", "blank")))
        if how == "omit":
            del thinned[name]
        else:
            thinned[name] = None if how == "none" else "  "
    return thinned


@st.composite
def some_inputs(draw, gen):
    """A non-empty set of the indicator's inputs (for checks, possibly not all of them)."""
    return draw(st.sets(st.sampled_from(gen.names), min_size=1))


def weighted_total(result):
    """100 × Σ dimension scores ÷ Σ weights of the counted dimensions, exactly."""
    counted = [d for d in result.dimensions if d.score is not None]
    scores = sum(Fraction(d.score) for d in counted)
    return exact_half_up(100 * scores / sum(Fraction(d.dimension.weight) for d in counted))


def expected_score(dimension_result, counted):
    earned = sum(Fraction(r.points) for r in counted)
    possible = sum(Fraction(r.indicator.max_points) for r in counted)
    return Fraction(dimension_result.dimension.weight) * earned / possible
