"""The scheme linter: problems a scheme can load with but should not be used with.

Errors make a scheme unfit for scoring (weights not summing to 100, overlapping or
non-monotone tiers, a rule that cannot reach its indicator's points). Warnings point at
things a person should look at (a gap between tiers, a missing SMART fact, an input no
rule reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import combinations, pairwise

from ._inputs import InputKind, InputSpec
from ._intervals import Bound, Interval, gap_between, overlap_of, sort_key
from ._rules import Deductions, PerEvent, RatingLevels
from ._scheme import Indicator, Scheme
from ._text import Text, fmt
from ._tiers import Direction, GapPolicy, Tier, Tiers

HUNDRED = Decimal(100)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str
    message: Text
    indicator: str | None = None  # the indicator concerned, if any
    dimension: str | None = None  # the dimension concerned, if any

    def where(self) -> Text:
        if self.indicator:
            return Text(f"指标 {self.indicator}", f"indicator {self.indicator}")
        if self.dimension:
            return Text(f"维度 {self.dimension}", f"dimension {self.dimension}")
        return Text("方案", "scheme")


def lint(scheme: Scheme) -> list[Finding]:
    """Every finding for the scheme, errors first, in the order of the scheme."""
    findings = [
        *_check_weights(scheme),
        *_check_dimensions(scheme),
        *(f for indicator in scheme.indicators() for f in _check_indicator(indicator, scheme)),
        *_check_unused_inputs(scheme),
        *_check_grades(scheme),
    ]
    return sorted(findings, key=lambda f: f.severity is not Severity.ERROR)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def _error(code: str, zh: str, en: str, **where: str) -> Finding:
    return Finding(Severity.ERROR, code, Text(zh, en), **where)


def _warning(code: str, zh: str, en: str, **where: str) -> Finding:
    return Finding(Severity.WARNING, code, Text(zh, en), **where)


def _check_weights(scheme: Scheme) -> Iterator[Finding]:
    total = sum((d.weight for d in scheme.dimensions), Decimal(0))
    if total != HUNDRED:
        parts = " + ".join(f"{d.id} {fmt(d.weight)}" for d in scheme.dimensions)
        yield _error(
            "weights",
            f"维度权重合计为 {fmt(total)}（{parts}），应为 100。",
            f"dimension weights sum to {fmt(total)} ({parts}), not 100.",
        )


def _check_dimensions(scheme: Scheme) -> Iterator[Finding]:
    for dimension in scheme.dimensions:
        if not dimension.indicators and not scheme.abstract:
            yield _error(
                "empty-dimension",
                "维度没有任何指标。",
                "the dimension has no indicators.",
                dimension=dimension.id,
            )


def _check_indicator(indicator: Indicator, scheme: Scheme) -> Iterator[Finding]:
    rule = indicator.rule
    where = {"indicator": indicator.id}
    if rule.max_points != indicator.max_points:
        yield _error(
            "max-points",
            f"规则最高 {fmt(rule.max_points)} 分，"
            f"与指标满分 {fmt(indicator.max_points)} 分不一致。",
            f"the rule awards at most {fmt(rule.max_points)} points but the indicator is worth "
            f"{fmt(indicator.max_points)}.",
            **where,
        )
    if indicator.quantitative:
        yield from _check_smart(indicator, scheme)
    if isinstance(rule, Tiers):
        yield from (
            Finding(f.severity, f.code, f.message, indicator=indicator.id)
            for f in _check_tiers(rule, scheme.inputs[rule.input])
        )
    elif isinstance(rule, RatingLevels):
        points = [level.points for level in rule.levels]
        if any(a >= b for a, b in pairwise(points)):
            shown = "/".join(fmt(p) for p in points)
            yield _error(
                "levels-monotone",
                f"评分等级的分值 {shown} 未随等级升高而增加。",
                f"level points {shown} do not rise with the level.",
                **where,
            )
    elif isinstance(rule, Deductions):
        for check in rule.checks:
            if not _reachable(check.passes_when, scheme.inputs[check.input]):
                condition = check.passes_when.text()
                yield _error(
                    "check-unreachable",
                    f"检查条件「{check.input} {condition.zh}」在该输入的取值范围内无法达到。",
                    f"the check '{check.input} {condition.en}' cannot pass within the input's "
                    "range.",
                    **where,
                )
    elif isinstance(rule, PerEvent) and rule.base > rule.cap:
        yield _warning(
            "events-base",
            f"基础分 {fmt(rule.base)} 高于上限 {fmt(rule.cap)}。",
            f"the base points {fmt(rule.base)} exceed the cap {fmt(rule.cap)}.",
            **where,
        )


def _check_smart(indicator: Indicator, scheme: Scheme) -> Iterator[Finding]:
    specs = [scheme.inputs[name] for name in indicator.inputs]
    has_unit = indicator.unit is not None or all(
        spec.unit is not None or spec.kind is InputKind.PERCENT for spec in specs
    )
    facts = {
        "target": (indicator.smart.target is not None, "目标值"),
        "unit": (has_unit, "单位"),
        "data_source": (indicator.smart.data_source is not None, "数据来源"),
        "period": (indicator.smart.period is not None, "考核周期"),
    }
    for fact, (present, zh) in facts.items():
        if not present:
            yield _warning(
                "smart",
                f"量化指标缺少 SMART 要素：{zh}（{fact}）。",
                f"a quantitative indicator without its {fact.replace('_', ' ')} (SMART).",
                indicator=indicator.id,
            )


def _check_unused_inputs(scheme: Scheme) -> Iterator[Finding]:
    read = {name for indicator in scheme.indicators() for name in indicator.inputs}
    for name in scheme.inputs:
        if name not in read and not scheme.abstract:
            yield _warning(
                "unused-input",
                f"输入 {name} 没有任何规则用于计分。",
                f"the input {name} is read by no scoring rule.",
            )


def _check_grades(scheme: Scheme) -> Iterator[Finding]:
    bands = scheme.grades.bands
    letters = [band.grade for band in bands]
    for letter in sorted({g for g in letters if letters.count(g) > 1}):
        yield _error("grades-duplicate", f"等级 {letter} 重复。", f"grade {letter} appears twice.")
    for better, worse in pairwise(bands):
        if worse.minimum >= better.minimum:
            yield _error(
                "grades-order",
                f"等级 {worse.grade} 的下限 {fmt(worse.minimum)} 不低于等级 {better.grade} 的下限"
                f" {fmt(better.minimum)}；等级应从高到低排列。",
                f"grade {worse.grade} starts at {fmt(worse.minimum)}, not below grade "
                f"{better.grade} at {fmt(better.minimum)}; list grades best first.",
            )
        if worse.coefficient > better.coefficient:
            yield _warning(
                "grades-coefficient",
                f"等级 {worse.grade} 的系数 {fmt(worse.coefficient)} 高于等级 {better.grade}。",
                f"grade {worse.grade} has a higher coefficient ({fmt(worse.coefficient)}) than "
                f"grade {better.grade}.",
            )
    if bands[-1].minimum > 0:
        yield _error(
            "grades-floor",
            f"最低等级 {bands[-1].grade} 从 {fmt(bands[-1].minimum)} 分起，"
            "低于此分的总分没有等级。",
            f"the lowest grade {bands[-1].grade} starts at {fmt(bands[-1].minimum)}; totals "
            "below it have no grade.",
        )


# --- tiers -------------------------------------------------------------------------------


def _domain(spec: InputSpec) -> Interval:
    low = None if spec.minimum is None else Bound(spec.minimum, inclusive=True)
    high = None if spec.maximum is None else Bound(spec.maximum, inclusive=True)
    return Interval(low, high)


def _reachable(interval: Interval, spec: InputSpec) -> bool:
    return overlap_of(interval, _domain(spec)) is not None


def _tier_name(tier: Tier) -> Text:
    text = tier.interval.text()
    return Text(
        f"「{text.zh}」档（{fmt(tier.points)} 分）", f"tier {text.en} ({fmt(tier.points)} points)"
    )


def _check_tiers(rule: Tiers, spec: InputSpec) -> Iterator[Finding]:
    live = []
    for number, tier in enumerate(rule.tiers, start=1):
        if tier.interval.is_empty:
            yield _error(
                "tier-empty",
                f"第 {number} 档（{fmt(tier.points)} 分）不含任何值：阈值顺序有误"
                "（档位应从最好到最差排列）。",
                f"tier {number} ({fmt(tier.points)} points) holds no value: its thresholds are "
                "out of order (list tiers best first).",
            )
        else:
            live.append(tier)
    yield from _check_overlaps(live)
    ascending = sorted(live, key=lambda t: sort_key(t.interval))
    yield from _check_monotone(rule, ascending)
    yield from _check_gaps(rule, ascending, spec)
    yield from _check_coverage(ascending, spec)


def _check_overlaps(tiers: list[Tier]) -> Iterator[Finding]:
    for first, second in combinations(tiers, 2):
        both = overlap_of(first.interval, second.interval)
        if both is not None:
            a, b, shared = _tier_name(first), _tier_name(second), both.text()
            yield _error(
                "tier-overlap",
                f"{a.zh}与{b.zh}重叠，重叠部分为「{shared.zh}」。",
                f"the {a.en} and the {b.en} overlap on {shared.en}.",
            )


def _check_monotone(rule: Tiers, ascending: list[Tier]) -> Iterator[Finding]:
    for lower, higher in pairwise(ascending):
        better, worse = (higher, lower) if rule.direction is Direction.HIGHER else (lower, higher)
        if better.points < worse.points:
            a, b = _tier_name(better), _tier_name(worse)
            direction = Text("越高越好", "higher is better")
            if rule.direction is Direction.LOWER:
                direction = Text("越低越好", "lower is better")
            yield _error(
                "tier-monotone",
                f"档位不单调（{direction.zh}）：更好的{a.zh}得分低于{b.zh}。",
                f"tiers are not monotone ({direction.en}): the better {a.en} scores less than "
                f"the {b.en}.",
            )


def _check_gaps(rule: Tiers, ascending: list[Tier], spec: InputSpec) -> Iterator[Finding]:
    for lower, higher in pairwise(ascending):
        gap = gap_between(lower.interval, higher.interval)
        if gap is None or not _reachable(gap, spec):
            continue
        assert gap.low is not None and gap.high is not None
        settled = rule.match((gap.low.value + gap.high.value) / 2)  # any value inside
        assert settled.tier is not None
        policy = (
            Text("就低", "next lower")
            if rule.gap_policy is GapPolicy.NEXT_LOWER
            else Text("就高", "next higher")
        )
        start, end = fmt(gap.low.value), fmt(gap.high.value)
        shown = _bracketed(gap)
        taken = _tier_name(settled.tier)
        yield _warning(
            "tier-gap",
            f"档位之间有空档 {shown}（从 {start} 到 {end}）：落在其中的值按空档规则"
            f"「{policy.zh}」取{taken.zh}。",
            f"the tiers leave a gap {shown} (from {start} to {end}): values there take the "
            f"{taken.en} by the '{policy.en}' gap policy.",
        )


def _check_coverage(ascending: list[Tier], spec: InputSpec) -> Iterator[Finding]:
    if not ascending:
        return
    domain = _domain(spec)
    bottom, top = ascending[0].interval, ascending[-1].interval
    if bottom.low is not None:
        below = Interval(domain.low, bottom.low.flipped())
        if not below.is_empty:
            yield _warning(
                "tier-uncovered",
                f"{_bracketed(below)} 内的值不属于任何档位，得 0 分。",
                f"values in {_bracketed(below)} match no tier and score 0.",
            )
    if top.high is not None:
        above = Interval(top.high.flipped(), domain.high)
        if not above.is_empty:
            yield _warning(
                "tier-uncovered",
                f"{_bracketed(above)} 内的值不属于任何档位，得 0 分。",
                f"values in {_bracketed(above)} match no tier and score 0.",
            )
    for tier in ascending:
        if not _reachable(tier.interval, spec):
            name = _tier_name(tier)
            yield _warning(
                "tier-unreachable",
                f"{name.zh}超出输入的取值范围 {spec.range_text()}，永远不会匹配。",
                f"the {name.en} lies outside the input's range {spec.range_text()} and never "
                "matches.",
            )


def _bracketed(interval: Interval) -> str:
    """Mathematical notation, e.g. ``[80, 85)``, for stating both bounds exactly."""
    low, high = interval.low, interval.high
    left = "(−∞" if low is None else ("[" if low.inclusive else "(") + fmt(low.value)
    right = "∞)" if high is None else fmt(high.value) + ("]" if high.inclusive else ")")
    return f"{left}, {right}"
