"""Where a provisional total is heading by the end of its period.

The figures of a period so far are its months so far together; the months still to come
are taken to go as the latest month went. So the total at the end is the period-so-far
total for the share of the period gone, and the latest month's total for the rest:

    projected = so_far × elapsed + latest × (1 − elapsed)

A person whose latest month is worse than their quarter so far is heading down, and one
whose latest month is better is heading up. With no latest month (or the period over), the
total so far is the projection.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kaohe.core import round_half_up
from kaohe.core._text import fraction_half_up


@dataclass(frozen=True, slots=True)
class Projection:
    so_far: Decimal
    latest: Decimal | None
    elapsed: Fraction  # share of the period gone, 0–1
    total: Decimal  # at the period's end, rounded half-up to two decimals


def elapsed_share(months_gone: int, months_in_period: int) -> Fraction:
    """The share of a period gone after ``months_gone`` of its months, within 0–1."""
    if months_in_period <= 0:
        raise ValueError("a period has at least one month")
    return Fraction(min(max(months_gone, 0), months_in_period), months_in_period)


def project_total(so_far: Decimal, latest: Decimal | None, elapsed: Fraction) -> Projection:
    if not 0 <= elapsed <= 1:
        raise ValueError("the share of the period gone lies between 0 and 1")
    if latest is None or elapsed == 1:
        return Projection(so_far, latest, elapsed, round_half_up(so_far))
    exact = Fraction(so_far) * elapsed + Fraction(latest) * (1 - elapsed)
    return Projection(so_far, latest, elapsed, fraction_half_up(exact))
