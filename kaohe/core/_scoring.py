"""Scoring: indicator values → points → dimension scores → total → grade → pay, with a trace.

A dimension scores weight × (points earned ÷ points possible), so its indicators may total
any number of points (seed 002's capability items total 80 points but weigh 85 %). The
total is the weighted sum, rescaled only when a whole dimension had nothing to score.

Results are named tuples rather than frozen dataclasses: they are built for every indicator
of every appraisal after each import, and tuples are several times cheaper to make.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple, cast

from ._grades import GradeBand
from ._inputs import InputSpec, parse_values
from ._rules import ZERO
from ._scheme import Dimension, Indicator, MissingPolicy, Scheme
from ._text import Text, fraction_half_up


class IndicatorStatus(StrEnum):
    SCORED = "scored"
    MISSING_ZERO = "missing_zero"  # no value; counted as 0 points by policy
    EXCLUDED = "excluded"  # no value; left out of its dimension by policy
    BLOCKED = "blocked"  # no value; the result waits for it


_MISSING_STATUS = {
    MissingPolicy.ZERO: IndicatorStatus.MISSING_ZERO,
    MissingPolicy.EXCLUDE: IndicatorStatus.EXCLUDED,
    MissingPolicy.BLOCK: IndicatorStatus.BLOCKED,
}


class IndicatorResult(NamedTuple):
    indicator: Indicator
    status: IndicatorStatus
    values: Mapping[str, Decimal | None]  # the inputs this indicator read
    points: Decimal | None  # None when excluded or blocked
    inputs: Mapping[str, InputSpec]  # the scheme's inputs, to word the explanation

    @property
    def counted(self) -> bool:
        """Whether the indicator's points count towards its dimension."""
        return self.points is not None

    def explanation(self) -> Text:
        if self.status is IndicatorStatus.SCORED:
            present = {k: v for k, v in self.values.items() if v is not None}
            return self.indicator.rule.explain(present, self.inputs)
        missing = [name for name, value in self.values.items() if value is None]
        zh = "、".join(f"「{self.inputs[n].label.zh}」" for n in missing)
        en = ", ".join(self.inputs[n].label.en for n in missing)
        if self.status is IndicatorStatus.MISSING_ZERO:
            return Text(
                f"缺少{zh}的数据，按缺失规则计 0 分。",
                f"No value for {en}; the missing-data policy counts it as 0 points.",
            )
        if self.status is IndicatorStatus.EXCLUDED:
            return Text(
                f"缺少{zh}的数据，按缺失规则不计入，所在维度按其余指标折算。",
                f"No value for {en}; excluded by the missing-data policy, and its dimension "
                "is rescaled over the other indicators.",
            )
        return Text(
            f"缺少{zh}的数据，按缺失规则须补齐后才能得出结果。",
            f"No value for {en}; the missing-data policy holds the result until it arrives.",
        )


class DimensionResult(NamedTuple):
    dimension: Dimension
    earned: Decimal
    possible: Decimal  # max points of the indicators that count
    score: Decimal | None  # weight × earned ÷ possible; None when nothing counted

    @property
    def excluded(self) -> bool:
        return self.score is None


class ScoreResult(NamedTuple):
    scheme: Scheme
    indicators: tuple[IndicatorResult, ...]
    dimensions: tuple[DimensionResult, ...]
    total: Decimal | None  # rounded half-up to 2 decimals; None when blocked or empty
    grade: GradeBand | None
    base_pay: Decimal | None  # base performance pay Q, when given
    pay: Decimal | None  # Q × coefficient, when Q was given
    blocked_by: tuple[str, ...]  # ids of indicators whose missing values hold the result
    rescaled: bool  # a whole dimension was excluded and the others scaled up to 100
    # While values are missing: the total the values present have already earned, as if
    # every blocked indicator scored 0 (None when nothing at all has a value yet).
    secured: Decimal | None = None

    @property
    def complete(self) -> bool:
        return self.total is not None

    @property
    def coefficient(self) -> Decimal | None:
        return None if self.grade is None else self.grade.coefficient

    @property
    def missing_inputs(self) -> tuple[str, ...]:
        """The inputs whose missing values hold the result, in the scheme's order."""
        found = [
            name
            for result in self.indicators
            if result.status is IndicatorStatus.BLOCKED
            for name, value in result.values.items()
            if value is None
        ]
        return tuple(dict.fromkeys(found))

    def indicator(self, indicator_id: str) -> IndicatorResult:
        for result in self.indicators:
            if result.indicator.id == indicator_id:
                return result
        raise KeyError(indicator_id)


def score(
    scheme: Scheme, raw_values: Mapping[str, object], base_pay: Decimal | None = None
) -> ScoreResult:
    """Score one appraisal. Raises InputError for unknown, malformed or out-of-range values."""
    values = parse_values(scheme.inputs, raw_values)
    indicator_results: list[IndicatorResult] = []
    dimension_results: list[DimensionResult] = []
    # The total is summed as exact fractions and rounded once: a sum of rounded decimals
    # can land on the wrong side of a half cent (70.1249… read as 70.125 → 70.13).
    weighted = counted_weight = Fraction(0)
    # The same sums with every blocked indicator counted as 0 points: the secured total.
    secured = secured_weight = Fraction(0)
    for dimension in scheme.dimensions:
        earned = possible = blocked_points = ZERO
        for indicator in dimension.indicators:
            result = _score_indicator(indicator, values, scheme.inputs)
            indicator_results.append(result)
            if result.points is not None:
                earned += result.points
                possible += indicator.max_points
            elif result.status is IndicatorStatus.BLOCKED:
                blocked_points += indicator.max_points
        if possible:
            dimension_score = dimension.weight * earned / possible
            weighted += Fraction(dimension.weight) * Fraction(earned) / Fraction(possible)
            counted_weight += Fraction(dimension.weight)
            dimension_results.append(DimensionResult(dimension, earned, possible, dimension_score))
        else:
            dimension_results.append(DimensionResult(dimension, earned, possible, None))
        if possible + blocked_points:
            secured += (
                Fraction(dimension.weight) * Fraction(earned) / Fraction(possible + blocked_points)
            )
            secured_weight += Fraction(dimension.weight)

    blocked_by = tuple(
        r.indicator.id for r in indicator_results if r.status is IndicatorStatus.BLOCKED
    )
    total = grade = pay = None
    if not blocked_by and counted_weight:
        # Dividing by the counted weight rescales only when a dimension dropped out;
        # with every dimension counted and weights summing to 100 it changes nothing.
        total = fraction_half_up(100 * weighted / counted_weight)
        grade = scheme.grades.grade_for(total)
        if base_pay is not None:
            pay = scheme.grades.pay(grade, base_pay)
    rescaled = any(d.excluded for d in dimension_results)
    secured_total = None
    if blocked_by and counted_weight:
        secured_total = fraction_half_up(100 * secured / secured_weight)
    return ScoreResult(
        scheme,
        tuple(indicator_results),
        tuple(dimension_results),
        total,
        grade,
        base_pay,
        pay,
        blocked_by,
        rescaled,
        secured_total,
    )


def _score_indicator(
    indicator: Indicator, values: Mapping[str, Decimal | None], inputs: Mapping[str, InputSpec]
) -> IndicatorResult:
    read = {name: values[name] for name in indicator.inputs}
    if None not in read.values():
        points = indicator.rule.points(cast(Mapping[str, Decimal], read))
        return IndicatorResult(indicator, IndicatorStatus.SCORED, read, points, inputs)
    status = _MISSING_STATUS[indicator.missing]
    counted = ZERO if status is IndicatorStatus.MISSING_ZERO else None
    return IndicatorResult(indicator, status, read, counted, inputs)
