"""The business calendar: statutory holidays, make-up workdays, overrides, uncovered years."""

from datetime import date

from kaohe.metrics import BusinessCalendar

CALENDAR = BusinessCalendar()


def test_national_day_2026_and_its_make_up_saturday():
    assert not CALENDAR.is_workday(date(2026, 10, 1))  # Thursday, National Day
    assert not CALENDAR.is_workday(date(2026, 10, 7))
    assert CALENDAR.is_workday(date(2026, 10, 8))
    assert CALENDAR.is_workday(date(2026, 10, 10))  # Saturday, a make-up workday (调休)
    assert not CALENDAR.is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_the_issues_example_is_within_three_working_days():
    # Created Wednesday 2026-09-30, resolved Saturday 2026-10-10: Oct 8, 9 and 10 count.
    assert CALENDAR.workdays_after(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert CALENDAR.workdays_after(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert CALENDAR.workdays_after(date(2026, 9, 30), date(2026, 9, 30)) == 0


def test_a_year_the_package_lacks_falls_back_to_weekdays_and_says_so():
    assert not BusinessCalendar.statutory_covers(2027)
    assert not CALENDAR.covers(2027)
    assert CALENDAR.is_workday(date(2027, 1, 4))  # a Monday
    assert not CALENDAR.is_workday(date(2027, 1, 2))  # a Saturday


def test_overrides_win_and_cover_a_year():
    calendar = BusinessCalendar({date(2027, 1, 1): False, date(2026, 10, 8): False})
    assert not calendar.is_workday(date(2027, 1, 1))
    assert not calendar.is_workday(date(2026, 10, 8))  # a company day off
    assert calendar.covers(2027)
