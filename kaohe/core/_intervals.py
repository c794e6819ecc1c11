"""Intervals of values with inclusive or exclusive bounds, used by tiers and checks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ._text import Text, fmt


@dataclass(frozen=True, slots=True)
class Bound:
    value: Decimal
    inclusive: bool

    def flipped(self) -> Bound:
        """The same point seen from the other side: the end of ``≥ 85`` is ``< 85``."""
        return Bound(self.value, not self.inclusive)


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of values between two optional bounds; None means unbounded on that side."""

    low: Bound | None = None
    high: Bound | None = None

    def __contains__(self, value: Decimal) -> bool:
        low, high = self.low, self.high
        if low is not None and (value < low.value or (value == low.value and not low.inclusive)):
            return False
        return high is None or value < high.value or (value == high.value and high.inclusive)

    @property
    def is_empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        if self.low.value != self.high.value:
            return self.low.value > self.high.value
        return not (self.low.inclusive and self.high.inclusive)

    @property
    def limits(self) -> tuple[Decimal, ...]:
        """The values of its bounds, for showing a value near them precisely enough."""
        return tuple(bound.value for bound in (self.low, self.high) if bound is not None)

    def is_below(self, value: Decimal) -> bool:
        """True when every value of the interval is smaller than ``value``."""
        high = self.high
        return high is not None and (
            high.value < value or (high.value == value and not high.inclusive)
        )

    def is_above(self, value: Decimal) -> bool:
        low = self.low
        return low is not None and (low.value > value or (low.value == value and not low.inclusive))

    def text(self) -> Text:
        """The interval as people write it: ``≥ 85 且 < 90`` / ``≥ 85 and < 90``."""
        parts = []
        if self.low is not None:
            parts.append(("≥ " if self.low.inclusive else "> ") + fmt(self.low.value))
        if self.high is not None:
            parts.append(("≤ " if self.high.inclusive else "< ") + fmt(self.high.value))
        if not parts:
            return Text("任意值", "any value")
        if (
            self.low is not None
            and self.high is not None
            and self.low.value == self.high.value
            and not self.is_empty
        ):
            return Text("= " + fmt(self.low.value), "= " + fmt(self.low.value))
        return Text(" 且 ".join(parts), " and ".join(parts))


def gap_between(lower: Interval, upper: Interval) -> Interval | None:
    """The values between two intervals that neither holds, if any (``lower`` lies below)."""
    if lower.high is None or upper.low is None:
        return None
    gap = Interval(lower.high.flipped(), upper.low.flipped())
    return None if gap.is_empty else gap


def overlap_of(first: Interval, second: Interval) -> Interval | None:
    """The values both intervals hold, if any."""
    low = _max_low(first.low, second.low)
    high = _min_high(first.high, second.high)
    both = Interval(low, high)
    return None if both.is_empty else both


def _max_low(a: Bound | None, b: Bound | None) -> Bound | None:
    if a is None or b is None:
        return b if a is None else a
    if a.value != b.value:
        return a if a.value > b.value else b
    return a if not a.inclusive else b


def _min_high(a: Bound | None, b: Bound | None) -> Bound | None:
    if a is None or b is None:
        return b if a is None else a
    if a.value != b.value:
        return a if a.value < b.value else b
    return a if not a.inclusive else b


def sort_key(interval: Interval) -> tuple[int, Decimal, int]:
    """Order intervals by where they start; unbounded-below first."""
    low = interval.low
    if low is None:
        return (0, Decimal(0), 0)
    return (1, low.value, 0 if low.inclusive else 1)
