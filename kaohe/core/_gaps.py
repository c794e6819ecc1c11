"""What would move a score: for one indicator, the nearest value that earns more points, and
the value that earns full points (the indicator's target as a dashboard shows it).

Only rules with a threshold to reach answer: tiers (the next tier up, whichever way is
better and whatever the gap policy makes of the values between tiers) and linear rules (the
target, where full points start). Ratings, ranges, deductions and per-event rules have no
"more of this value" to point at, and answer None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ._intervals import Bound
from ._rules import Linear, Rule
from ._scheme import Indicator
from ._tiers import Direction, Tiers

# A value just past an exclusive bound ("> 90"): points there are those of the tier beyond.
_JUST = Decimal("1e-9")


@dataclass(frozen=True, slots=True)
class NextStep:
    """Reaching ``needed`` (at least / more than, or at most / less than it, as
    ``direction`` says) moves ``indicator`` from ``points_now`` to ``points_then``."""

    indicator: str
    input: str
    value: Decimal
    needed: Bound
    direction: Direction
    points_now: Decimal
    points_then: Decimal

    @property
    def change(self) -> Decimal:
        """How far the value must move, always positive: 2 more points of a rate, 30 s less."""
        return abs(self.needed.value - self.value)

    @property
    def points_gained(self) -> Decimal:
        return self.points_then - self.points_now


def next_step(indicator: Indicator, values: Mapping[str, Decimal | None]) -> NextStep | None:
    """The nearest value that earns this indicator more points, or None: no value yet, full
    points already, or a rule without a threshold."""
    rule = indicator.rule
    if not isinstance(rule, Tiers | Linear):
        return None
    value = values.get(rule.input)
    if value is None:
        return None
    now = rule.points({rule.input: value})
    if isinstance(rule, Linear):
        found = _linear_step(rule, value, now)
    else:
        found = _tier_step(rule, value, now)
    if found is None:
        return None
    needed, direction, then = found
    return NextStep(indicator.id, rule.input, value, needed, direction, now, then)


def full_marks_at(rule: Rule) -> Bound | None:
    """Where the rule's full points start: the best tier's threshold, a linear rule's target."""
    if isinstance(rule, Linear):
        return Bound(rule.target, True)
    if not isinstance(rule, Tiers):
        return None
    best = max(rule.tiers, key=lambda tier: tier.points)
    bound = best.interval.low if rule.direction is Direction.HIGHER else best.interval.high
    return bound


def better_direction(rule: Rule) -> Direction | None:
    """Which way is better for a rule with a threshold."""
    if isinstance(rule, Tiers):
        return rule.direction
    if isinstance(rule, Linear):
        return Direction.HIGHER if rule.target > rule.floor else Direction.LOWER
    return None


def _linear_step(
    rule: Linear, value: Decimal, now: Decimal
) -> tuple[Bound, Direction, Decimal] | None:
    if now >= rule.full_points:
        return None
    direction = better_direction(rule)
    assert direction is not None
    return Bound(rule.target, True), direction, rule.full_points


def _tier_step(
    rule: Tiers, value: Decimal, now: Decimal
) -> tuple[Bound, Direction, Decimal] | None:
    """The entry points of every tier and every gap on the better side of the value, the
    nearest one that earns more points."""
    higher = rule.direction is Direction.HIGHER
    entries: list[Bound] = []
    for tier in rule.tiers:
        near, far = (tier.interval.low, tier.interval.high)
        if not higher:
            near, far = far, near
        if near is not None:
            entries.append(near)  # into the tier itself
        if far is not None:
            entries.append(far.flipped())  # into whatever lies beyond it
    best: tuple[Decimal, Bound, Decimal] | None = None
    for entry in entries:
        ahead = entry.value - value if higher else value - entry.value
        if ahead < 0 or (ahead == 0 and entry.inclusive):
            continue  # behind the value, or the value is there already
        probe = entry.value
        if not entry.inclusive:
            probe = probe + _JUST if higher else probe - _JUST
        then = rule.points({rule.input: probe})
        if then > now and (best is None or ahead < best[0]):
            best = (ahead, entry, then)
    if best is None:
        return None
    return best[1], rule.direction, best[2]
