"""Units the core knows by name: durations, which convert into one another.

A scheme may write an input's unit as free text (``unit: {zh: 篇, en: articles}``) or, for a
duration, as one of these names (``unit: minutes``). A duration-valued metric carries its
unit in its name (``avg_talk_seconds``, ``repair_hours``), so a metric in seconds can feed an
input a scheme reads in minutes, and the page, the rule and the explanation all speak
minutes.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from ._text import Text


class Duration(StrEnum):
    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"

    @property
    def seconds(self) -> Decimal:
        return _SECONDS[self]

    @property
    def label(self) -> Text:
        return _LABELS[self]

    @classmethod
    def of_metric(cls, metric: str) -> Duration | None:
        """The unit a metric's name ends in (``_seconds``, ``_minutes``, ``_hours``,
        ``_days``), or None for a metric that is not a duration."""
        for unit in cls:
            if metric.endswith(f"_{unit.value}"):
                return unit
        return None


_SECONDS = {
    Duration.SECONDS: Decimal(1),
    Duration.MINUTES: Decimal(60),
    Duration.HOURS: Decimal(3600),
    Duration.DAYS: Decimal(86400),
}
_LABELS = {
    Duration.SECONDS: Text("秒", "s"),
    Duration.MINUTES: Text("分钟", "min"),
    Duration.HOURS: Text("小时", "h"),
    Duration.DAYS: Text("天", "days"),
}


def convert(value: Decimal, source: Duration, target: Duration) -> Decimal:
    """A duration in another unit, exactly (multiply before dividing)."""
    if source is target:
        return value
    return value * source.seconds / target.seconds
