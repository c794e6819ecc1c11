from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kaohe.metrics import MetricsError, parse_period

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-09", date(2026, 9, 1), date(2026, 9, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(text, first, last):
    period = parse_period(text)
    assert (period.first_day, period.last_day) == (first, last)


def test_bounds_are_local_midnights():
    start, end = parse_period("2026-09").bounds(SHANGHAI)
    assert start == datetime(2026, 9, 1, tzinfo=SHANGHAI)
    assert end == datetime(2026, 10, 1, tzinfo=SHANGHAI)
    assert start.utcoffset().total_seconds() == 8 * 3600


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26-09", "September", ""])
def test_bad_periods_say_what_is_accepted(text):
    with pytest.raises(MetricsError, match="use a month"):
        parse_period(text)
