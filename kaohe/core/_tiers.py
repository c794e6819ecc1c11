"""The tiers rule: ordered thresholds mapped to points (seed 002's tables).

Tiers are listed best first. A tier states its bounds with ``min`` (≥), ``above`` (>),
``max`` (≤) and ``below`` (<); a bound it leaves out on the side facing the previous tier
is taken from that tier, so ``≥ 90 → 20; ≥ 85 → 10; else → 0`` reads as
``[90, ∞) → 20; [85, 90) → 10; (−∞, 85) → 0``. Written literally, seed 002's
``≥ 90 → 20; ≥ 85 → 10; < 80 → 0`` leaves the gap [80, 85), which the gap policy settles
and the linter reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from ._intervals import Interval
from ._rules import ZERO, Inputs, SingleInputRule, Values
from ._text import Text, fmt


class Direction(StrEnum):
    HIGHER = "higher"  # higher values are better (rates, satisfaction)
    LOWER = "lower"  # lower values are better (repair time, error rate)


class GapPolicy(StrEnum):
    """What a value between two tiers scores."""

    NEXT_LOWER = "next_lower"  # the neighbouring tier worth fewer points (default)
    NEXT_HIGHER = "next_higher"  # the neighbouring tier worth more points


@dataclass(frozen=True, slots=True)
class Tier:
    interval: Interval
    points: Decimal


@dataclass(frozen=True, slots=True)
class TierMatch:
    tier: Tier | None  # None: the value lies beyond every tier
    gap: Interval | None = None  # set when the value fell between two tiers


@dataclass(frozen=True, slots=True)
class Tiers(SingleInputRule):
    kind: ClassVar[str] = "tiers"
    input: str
    direction: Direction
    tiers: tuple[Tier, ...]
    gap_policy: GapPolicy = GapPolicy.NEXT_LOWER

    @property
    def max_points(self) -> Decimal:
        return max(tier.points for tier in self.tiers)

    def match(self, value: Decimal) -> TierMatch:
        for tier in self.tiers:
            if value in tier.interval:
                return TierMatch(tier)
        return self._match_gap(value)

    def _match_gap(self, value: Decimal) -> TierMatch:
        below = [t for t in self.tiers if t.interval.is_below(value)]
        above = [t for t in self.tiers if t.interval.is_above(value)]
        if not below or not above:
            return TierMatch(None)
        nearest_below = max(below, key=_high_key)
        nearest_above = min(above, key=_low_key)
        lower_valued, higher_valued = nearest_below, nearest_above
        if self.direction is Direction.LOWER:
            lower_valued, higher_valued = higher_valued, lower_valued
        chosen = lower_valued if self.gap_policy is GapPolicy.NEXT_LOWER else higher_valued
        assert nearest_below.interval.high and nearest_above.interval.low
        gap = Interval(nearest_below.interval.high.flipped(), nearest_above.interval.low.flipped())
        return TierMatch(chosen, gap)

    def points(self, values: Values) -> Decimal:
        value = values[self.input]
        for tier in self.tiers:
            if value in tier.interval:
                return tier.points
        match = self._match_gap(value)
        return ZERO if match.tier is None else match.tier.points

    def explain(self, values: Values, inputs: Inputs) -> Text:
        limits = [limit for tier in self.tiers for limit in tier.interval.limits]
        what = inputs[self.input].labelled(values[self.input], limits)
        match = self.match(values[self.input])
        if match.tier is None:
            return Text(
                f"{what.zh}：不在任何档位内，得 0 分。",
                f"{what.en}: matches no tier, 0 points.",
            )
        tier_text = match.tier.interval.text()
        points = fmt(match.tier.points)
        if match.gap is None:
            return Text(
                f"{what.zh}：落在「{tier_text.zh}」档，得 {points} 分。",
                f"{what.en}: in the tier {tier_text.en}, {points} points.",
            )
        gap = match.gap.text()
        side = (
            Text("较低", "lower")
            if self.gap_policy is GapPolicy.NEXT_LOWER
            else Text("较高", "higher")
        )
        return Text(
            f"{what.zh}：落在档位之间的空档「{gap.zh}」，按空档规则取相邻{side.zh}档"
            f"「{tier_text.zh}」，得 {points} 分。",
            f"{what.en}: falls in the gap {gap.en} between tiers; the gap policy takes the "
            f"next {side.en} tier ({tier_text.en}), {points} points.",
        )

    def describe(self, inputs: Inputs) -> Text:
        zh = "；".join(f"{t.interval.text().zh} → {fmt(t.points)} 分" for t in self.tiers)
        en = "; ".join(f"{t.interval.text().en} → {fmt(t.points)}" for t in self.tiers)
        return Text(zh, en)


def _high_key(tier: Tier) -> tuple[Decimal, bool]:
    high = tier.interval.high
    assert high is not None
    return (high.value, high.inclusive)


def _low_key(tier: Tier) -> tuple[Decimal, bool]:
    low = tier.interval.low
    assert low is not None
    return (low.value, not low.inclusive)
