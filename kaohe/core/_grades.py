"""Grades A–E, their pay coefficients and the development action each one calls for."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ._text import Text, round_half_up


@dataclass(frozen=True, slots=True)
class GradeBand:
    grade: str
    minimum: Decimal  # inclusive lower bound of the rounded total
    coefficient: Decimal
    label: Text
    actions: Text


@dataclass(frozen=True, slots=True)
class GradeScale:
    bands: tuple[GradeBand, ...]  # best first, minimums descending

    def grade_for(self, total: Decimal) -> GradeBand:
        for band in self.bands:
            if total >= band.minimum:
                return band
        return self.bands[-1]

    def pay(self, band: GradeBand, base_pay: Decimal) -> Decimal:
        """Performance pay = base pay Q × coefficient, rounded half-up to the fen."""
        return round_half_up(base_pay * band.coefficient)

    def outcome(
        self, total: Decimal, base_pay: Decimal | None, adjustment: Decimal = Decimal(0)
    ) -> Outcome:
        """What a total comes to once moved by ``adjustment`` points (a calibration, an
        appeal's decision): rounded half-up to two decimals, kept within 0–100, graded,
        paid. The one place a moved score is worked out."""
        moved = round_half_up(total + adjustment)
        moved = min(max(moved, LOWEST), HIGHEST)
        band = self.grade_for(moved)
        pay = None if base_pay is None else self.pay(band, base_pay)
        return Outcome(moved, band, pay, adjustment)

    def adjustment_into(
        self, grade: str, total: Decimal, adjustment: Decimal = Decimal(0)
    ) -> Decimal:
        """The points that move ``total`` into ``grade`` with the least change: up to the
        band's minimum, down to a cent below the band above, or ``adjustment`` as it is when
        the moved total is in the band already. Calibration's "target grade"."""
        index = next((i for i, band in enumerate(self.bands) if band.grade == grade), None)
        if index is None:
            raise KeyError(grade)
        moved = round_half_up(total + adjustment)
        if self.grade_for(moved).grade == grade:
            return adjustment
        band = self.bands[index]
        if moved < band.minimum:
            return band.minimum - total
        return self.bands[index - 1].minimum - CENT - total


LOWEST, HIGHEST = Decimal(0), Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Outcome:
    """A final figure: total, grade (with its coefficient and development action), pay."""

    total: Decimal
    grade: GradeBand
    pay: Decimal | None
    adjustment: Decimal  # the points the total was moved by, 0 when none

    @property
    def coefficient(self) -> Decimal:
        return self.grade.coefficient


def _band(grade: str, minimum: int, coefficient: str, label: Text, actions: Text) -> GradeBand:
    return GradeBand(grade, Decimal(minimum), Decimal(coefficient), label, actions)


# Seed 002's table of grades, coefficients and development actions.
DEFAULT_GRADES = GradeScale(
    (
        _band(
            "A",
            90,
            "1.2",
            Text("优秀", "Excellent"),
            Text("晋升候选 / 特别奖励", "Promotion candidate / special award"),
        ),
        _band(
            "B",
            80,
            "1.0",
            Text("胜任", "Competent"),
            Text("重点培养 / 潜力开发", "Key development / potential development"),
        ),
        _band("C", 70, "0.8", Text("良好", "Fair"), Text("能力强化计划", "Capability plan")),
        _band(
            "D",
            60,
            "0.5",
            Text("及格", "Pass"),
            Text("绩效改进计划（PIP）", "Performance improvement plan (PIP)"),
        ),
        _band(
            "E",
            0,
            "0",
            Text("差", "Poor"),
            Text("岗位调整 / 退出机制", "Role change / exit"),
        ),
    )
)
