"""Appraisal periods: a month (2026-09), quarter (2026-Q3), half (2026-H2) or year (2026)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kaohe.core import Text

from ._errors import MetricsError

_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
)


@dataclass(frozen=True)
class Period:
    name: str
    first_day: date
    last_day: date  # inclusive

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: midnight to midnight in the organisation's zone."""
        start = datetime.combine(self.first_day, time(), zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time(), zone)
        return start, end


def parse_period(text: str) -> Period:
    text = text.strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match[1])
        if kind == "month":
            month = int(match[2])
            if not 1 <= month <= 12:
                break
            first, months = date(year, month, 1), 1
        elif kind == "quarter":
            first, months = date(year, 3 * int(match[2]) - 2, 1), 3
        elif kind == "half":
            first, months = date(year, 6 * int(match[2]) - 5, 1), 6
        else:
            first, months = date(year, 1, 1), 12
        return Period(text, first, _add_months(first, months) - timedelta(days=1))
    raise MetricsError(
        Text(
            f"考核期 {text!r} 无法识别：请填写月份（2026-09）、季度（2026-Q3）、半年（2026-H2）"
            "或年份（2026）",
            f"period {text!r}: use a month (2026-09), quarter (2026-Q3), half (2026-H2) "
            "or year (2026)",
        )
    )


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)
