"""The projection to the period's end: the period so far for the share gone, the latest
month for the rest, worked by hand."""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from kaohe.analytics import elapsed_share, project_total


def test_two_months_of_a_quarter_gone_weigh_the_latest_month_a_third():
    # 72 so far, latest month 60: 72 × 2/3 + 60 × 1/3 = 48 + 20 = 68.
    found = project_total(D(72), D(60), elapsed_share(2, 3))
    assert found.total == D("68.00")


def test_a_latest_month_better_than_the_quarter_lifts_the_projection():
    # 58 so far after one month of three, latest 64: 58/3 + 64 × 2/3 = 19.333… + 42.666… = 62.
    assert project_total(D(58), D(64), elapsed_share(1, 3)).total == D("62.00")


def test_the_rounding_is_half_up_on_the_exact_value():
    # 70.01 × 1/2 + 70 × 1/2 = 70.005 → 70.01 (half-up, not banker's 70.00).
    assert project_total(D("70.01"), D(70), Fraction(1, 2)).total == D("70.01")


def test_without_a_latest_month_or_with_the_period_over_the_total_so_far_stands():
    assert project_total(D("81.456"), None, Fraction(1, 3)).total == D("81.46")
    assert project_total(D(81), D(40), Fraction(1)).total == D(81)


def test_the_share_gone_stays_within_the_period():
    assert elapsed_share(5, 3) == 1
    assert elapsed_share(0, 3) == 0
    with pytest.raises(ValueError, match="at least one month"):
        elapsed_share(1, 0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        project_total(D(1), D(1), Fraction(3, 2))
