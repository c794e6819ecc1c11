"""The business calendar: Chinese statutory holidays and make-up workdays (调休).

The statutory calendar comes from the maintained ``chinesecalendar`` package. Overrides —
for years the package does not cover yet, and for company-specific days — take precedence.
A year neither covers falls back to Monday–Friday, and ``covers`` says so, so that a caller
can warn instead of silently miscounting.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar


@dataclass(frozen=True)
class BusinessCalendar:
    # date → True for a working day, False for a day off; wins over everything else.
    overrides: Mapping[date, bool] = field(default_factory=dict)

    def is_workday(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override
        if self.statutory_covers(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    @staticmethod
    def statutory_covers(year: int) -> bool:
        """Whether the package knows the statutory holidays of ``year``."""
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            return False
        return True

    def covers(self, year: int) -> bool:
        """Whether holidays of ``year`` are known, from the package or from overrides."""
        return self.statutory_covers(year) or any(d.year == year for d in self.overrides)

    def days(self, first: date, last: date) -> Iterator[tuple[date, bool]]:
        """Every day from ``first`` to ``last`` inclusive, with whether it is a workday."""
        day = first
        while day <= last:
            yield day, self.is_workday(day)
            day += timedelta(days=1)

    def workdays_after(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
        if end <= start:
            return 0
        return sum(1 for _day, work in self.days(start + timedelta(days=1), end) if work)
