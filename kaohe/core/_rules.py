"""Scoring rules: how one indicator turns its input value(s) into points.

Each rule answers three questions: how many points these values earn (``points``), why,
in one sentence in Chinese and English (``explain``), and what the rule is as a whole
(``describe``). Tiers, the most involved kind, live in ``_tiers``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from ._inputs import InputSpec
from ._intervals import Interval
from ._text import Text, fmt

ZERO = Decimal(0)
ONE = Decimal(1)

Values = Mapping[str, Decimal]
Inputs = Mapping[str, InputSpec]


class Rule(ABC):
    """A scoring rule. Subclasses are frozen dataclasses built by the scheme loader."""

    __slots__ = ()
    kind: ClassVar[str]
    # Quantitative rules read measured data and need SMART facts; rating levels do not.
    quantitative: ClassVar[bool] = True

    @property
    @abstractmethod
    def inputs(self) -> tuple[str, ...]:
        """The names of the inputs this rule reads."""

    @property
    @abstractmethod
    def max_points(self) -> Decimal:
        """The most points the rule can award."""

    @abstractmethod
    def points(self, values: Values) -> Decimal:
        """Points for these values; every input of the rule is present."""

    @abstractmethod
    def explain(self, values: Values, inputs: Inputs) -> Text:
        """One sentence saying why these values earn their points."""

    @abstractmethod
    def describe(self, inputs: Inputs) -> Text:
        """The rule as a whole, for a scheme's printed description."""


class SingleInputRule(Rule):
    """A rule that reads one input, named by its ``input`` field."""

    __slots__ = ()
    input: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.input,)


def _clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    # "<=" so that a negative zero (0 ÷ a negative span) comes out as the plain low bound.
    return low if value <= low else high if value > high else value


@dataclass(frozen=True, slots=True)
class Linear(SingleInputRule):
    """Points in proportion to where the value lies between a floor and a target, clamped.

    A floor above the target means lower is better (e.g. handle time).
    """

    kind: ClassVar[str] = "linear"
    input: str
    floor: Decimal
    target: Decimal
    full_points: Decimal

    @property
    def max_points(self) -> Decimal:
        return self.full_points

    def points(self, values: Values) -> Decimal:
        # Multiply before dividing so that 30 × 5 ÷ 15 is exactly 10, not 9.999….
        raw = self.full_points * (values[self.input] - self.floor) / (self.target - self.floor)
        return _clamp(raw, ZERO, self.full_points)

    def explain(self, values: Values, inputs: Inputs) -> Text:
        value = values[self.input]
        what = inputs[self.input].labelled(value, (self.floor, self.target))
        points = self.points(values)
        if points == self.full_points:
            return Text(
                f"{what.zh}：达到目标 {fmt(self.target)}，得满分 {fmt(self.full_points)} 分。",
                f"{what.en}: reaches the target {fmt(self.target)}, "
                f"full {fmt(self.full_points)} points.",
            )
        if points == ZERO:
            return Text(
                f"{what.zh}：未超过下限 {fmt(self.floor)}，得 0 分。",
                f"{what.en}: does not pass the floor {fmt(self.floor)}, 0 points.",
            )
        formula = (
            f"{fmt(self.full_points)} × ({fmt(value)} − {fmt(self.floor)})"
            f" ÷ ({fmt(self.target)} − {fmt(self.floor)}) = {fmt(points)}"
        )
        return Text(
            f"{what.zh}：在下限 {fmt(self.floor)} 与目标 {fmt(self.target)} 之间按比例得分，"
            f"{formula} 分。",
            f"{what.en}: pro rata between the floor {fmt(self.floor)} and the target "
            f"{fmt(self.target)}, {formula} points.",
        )

    def describe(self, inputs: Inputs) -> Text:
        return Text(
            f"{fmt(self.floor)} 时 0 分，{fmt(self.target)} 时满分 {fmt(self.full_points)} 分，"
            "其间按比例",
            f"0 points at {fmt(self.floor)}, full {fmt(self.full_points)} points at "
            f"{fmt(self.target)}, pro rata between",
        )


@dataclass(frozen=True, slots=True)
class TargetRange(SingleInputRule):
    """Full points inside [low, high]; outside, lose ``falloff_points`` for every
    ``falloff_per`` units of distance (pro rata), or everything when no falloff is set."""

    kind: ClassVar[str] = "range"
    input: str
    low: Decimal
    high: Decimal
    full_points: Decimal
    falloff_points: Decimal | None = None
    falloff_per: Decimal = ONE

    @property
    def max_points(self) -> Decimal:
        return self.full_points

    def _distance(self, value: Decimal) -> Decimal:
        if value < self.low:
            return self.low - value
        if value > self.high:
            return value - self.high
        return ZERO

    def _deduction(self, distance: Decimal) -> Decimal:
        if self.falloff_points is None:
            return self.full_points
        return min(self.full_points, self.falloff_points * distance / self.falloff_per)

    def points(self, values: Values) -> Decimal:
        distance = self._distance(values[self.input])
        if distance == ZERO:
            return self.full_points
        return self.full_points - self._deduction(distance)

    def explain(self, values: Values, inputs: Inputs) -> Text:
        value = values[self.input]
        what = inputs[self.input].labelled(value, (self.low, self.high))
        band = f"{fmt(self.low)}–{fmt(self.high)}"
        distance = self._distance(value)
        if distance == ZERO:
            return Text(
                f"{what.zh}：在目标区间 {band} 内，得满分 {fmt(self.full_points)} 分。",
                f"{what.en}: inside the target range {band}, full {fmt(self.full_points)} points.",
            )
        side = Text("低于下限", "below") if value < self.low else Text("高于上限", "above")
        points = self.points(values)
        if self.falloff_points is None:
            return Text(
                f"{what.zh}：{side.zh}，超出目标区间 {band}，得 0 分。",
                f"{what.en}: {side.en} the target range {band}, 0 points.",
            )
        lost = self._deduction(distance)
        return Text(
            f"{what.zh}：{side.zh}，偏离目标区间 {band} {fmt(distance)}，"
            f"每 {fmt(self.falloff_per)} 扣 {fmt(self.falloff_points)} 分，"
            f"扣 {fmt(lost)} 分，得 {fmt(points)} 分。",
            f"{what.en}: {fmt(distance)} {side.en} the target range {band}; "
            f"{fmt(self.falloff_points)} points off per {fmt(self.falloff_per)}, "
            f"{fmt(lost)} off, {fmt(points)} points.",
        )

    def describe(self, inputs: Inputs) -> Text:
        band = f"{fmt(self.low)}–{fmt(self.high)}"
        if self.falloff_points is None:
            return Text(
                f"{band} 之内满分 {fmt(self.full_points)} 分，之外 0 分",
                f"full {fmt(self.full_points)} points within {band}, 0 outside",
            )
        return Text(
            f"{band} 之内满分 {fmt(self.full_points)} 分；区间外每偏离 {fmt(self.falloff_per)}"
            f" 扣 {fmt(self.falloff_points)} 分，最低 0 分",
            f"full {fmt(self.full_points)} points within {band}; outside, "
            f"{fmt(self.falloff_points)} points off per {fmt(self.falloff_per)}, down to 0",
        )


@dataclass(frozen=True, slots=True)
class Check:
    """One pass/fail condition on one input, e.g. complaint resolution rate ≥ 100."""

    input: str
    passes_when: Interval


@dataclass(frozen=True, slots=True)
class Deductions(Rule):
    """Base points minus a fixed deduction for each failed check, never below zero."""

    kind: ClassVar[str] = "checks"
    checks: tuple[Check, ...]
    base: Decimal
    deduction: Decimal

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(check.input for check in self.checks)

    @property
    def max_points(self) -> Decimal:
        return self.base

    def _failed(self, values: Values) -> list[Check]:
        return [c for c in self.checks if values[c.input] not in c.passes_when]

    def points(self, values: Values) -> Decimal:
        failed = sum(1 for c in self.checks if values[c.input] not in c.passes_when)
        return max(ZERO, self.base - self.deduction * failed)

    def explain(self, values: Values, inputs: Inputs) -> Text:
        failed = self._failed(values)
        total = len(self.checks)
        if not failed:
            return Text(
                f"{total} 项检查全部达标，得满分 {fmt(self.base)} 分。",
                f"all {total} checks pass, full {fmt(self.base)} points.",
            )
        misses = [
            (inputs[c.input].labelled(values[c.input], c.passes_when.limits), c.passes_when.text())
            for c in failed
        ]
        zh = "；".join(f"{what.zh}，要求 {need.zh}" for what, need in misses)
        en = "; ".join(f"{what.en}, needs {need.en}" for what, need in misses)
        points = self.points(values)
        formula = f"{fmt(self.base)} − {fmt(self.deduction)} × {len(failed)}"
        return Text(
            f"{total} 项检查中 {len(failed)} 项未达标（{zh}），{formula}，得 {fmt(points)} 分。",
            f"{len(failed)} of {total} checks failed ({en}): {formula}, {fmt(points)} points.",
        )

    def describe(self, inputs: Inputs) -> Text:
        zh = "、".join(f"{inputs[c.input].label.zh} {c.passes_when.text().zh}" for c in self.checks)
        en = ", ".join(f"{inputs[c.input].label.en} {c.passes_when.text().en}" for c in self.checks)
        return Text(
            f"基础 {fmt(self.base)} 分，以下每项未达标扣 {fmt(self.deduction)} 分：{zh}",
            f"{fmt(self.base)} points, {fmt(self.deduction)} off for each failed check: {en}",
        )


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a behaviourally anchored rating scale."""

    level: int
    points: Decimal
    anchor: Text


@dataclass(frozen=True, slots=True)
class RatingLevels(SingleInputRule):
    """A rater picks a level (1–5); each level is worth set points and has an anchor text."""

    kind: ClassVar[str] = "levels"
    quantitative: ClassVar[bool] = False
    input: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> Decimal:
        return max(level.points for level in self.levels)

    def level_for(self, value: Decimal) -> Level:
        for level in self.levels:
            if level.level == value:
                return level
        raise KeyError(value)  # the input's range matches the levels, checked on load

    def points(self, values: Values) -> Decimal:
        return self.level_for(values[self.input]).points

    def explain(self, values: Values, inputs: Inputs) -> Text:
        level = self.level_for(values[self.input])
        label = inputs[self.input].label
        return Text(
            f"{label.zh}：评为第 {level.level} 级（{level.anchor.zh}），"
            f"得 {fmt(level.points)} 分。",
            f"{label.en}: rated level {level.level} ({level.anchor.en}), "
            f"{fmt(level.points)} points.",
        )

    def describe(self, inputs: Inputs) -> Text:
        points = "/".join(fmt(level.points) for level in self.levels)
        return Text(
            f"五级行为锚定评分，第 1–{len(self.levels)} 级分别得 {points} 分",
            f"anchored rating, levels 1–{len(self.levels)} worth {points} points",
        )


@dataclass(frozen=True, slots=True)
class PerEvent(SingleInputRule):
    """Base points plus (or minus) set points per event, kept within [0, cap]."""

    kind: ClassVar[str] = "events"
    input: str
    base: Decimal
    per_event: Decimal
    cap: Decimal

    @property
    def max_points(self) -> Decimal:
        return self.cap

    def points(self, values: Values) -> Decimal:
        return _clamp(self.base + self.per_event * values[self.input], ZERO, self.cap)

    def explain(self, values: Values, inputs: Inputs) -> Text:
        count = values[self.input]
        what = inputs[self.input].labelled(count)
        raw = self.base + self.per_event * count
        points = self.points(values)
        step = f"{fmt(self.base)} {'+' if self.per_event >= 0 else '−'} "
        step += f"{fmt(abs(self.per_event))} × {fmt(count)} = {fmt(raw)}"
        if raw > self.cap:
            limit = Text(f"，封顶 {fmt(self.cap)}", f", capped at {fmt(self.cap)}")
        elif raw < ZERO:
            limit = Text("，最低 0 分", ", floored at 0")
        else:
            limit = Text("", "")
        return Text(
            f"{what.zh}：{step}{limit.zh}，得 {fmt(points)} 分。",
            f"{what.en}: {step}{limit.en}, {fmt(points)} points.",
        )

    def describe(self, inputs: Inputs) -> Text:
        sign = "+" if self.per_event >= 0 else "−"
        per = f"{sign}{fmt(abs(self.per_event))}"
        return Text(
            f"基础 {fmt(self.base)} 分，每次 {per} 分，范围 0–{fmt(self.cap)} 分",
            f"{fmt(self.base)} points, {per} per event, kept within 0–{fmt(self.cap)}",
        )
