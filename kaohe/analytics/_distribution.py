"""Distribution guidelines: the share of people each grade should hold, and the quotas
for a population of N people.

A guideline gives each grade either a range (A 10–20 %) or a single target share (A 20 %).
Target shares become whole places by the largest-remainder method: every grade first gets
the whole part of N × share, and the places left over go to the largest remainders, ties
to the grade that comes first (A before E). The places always add up to N and each is
within one of N × share. A range allows from ⌊N × low⌋ to ⌈N × high⌉ people, so that a small
population is never asked for a fraction of a person; what a range "would cost if met
exactly" uses its midpoints, rescaled to 100 %, as target shares.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from kaohe.core import Text

DEFAULT_MINIMUM_POPULATION = 25
HUNDRED = Decimal(100)


class GuidelineError(ValueError):
    """A guideline that cannot be used, worded in both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True, slots=True)
class Share:
    """One grade's share of the population, in per cent: a range, or low == high."""

    grade: str
    low: Decimal
    high: Decimal

    @property
    def is_target(self) -> bool:
        return self.low == self.high

    def written(self) -> str:
        if self.is_target:
            return f"{_plain(self.low)} %"
        return f"{_plain(self.low)}–{_plain(self.high)} %"


def largest_remainder(n: int, shares: Sequence[tuple[str, Fraction]]) -> dict[str, int]:
    """Whole places for ``n`` people from shares (fractions of one, in grade order, adding
    up to one): floors first, then the rest to the largest remainders, ties in order."""
    if n < 0:
        raise ValueError("a population cannot be negative")
    exact = [(grade, share * n) for grade, share in shares]
    places = {grade: math.floor(value) for grade, value in exact}
    left = n - sum(places.values())
    by_remainder = sorted(
        range(len(exact)), key=lambda i: (-(exact[i][1] - math.floor(exact[i][1])), i)
    )
    for i in by_remainder[:left]:
        places[exact[i][0]] += 1
    return places


@dataclass(frozen=True, slots=True)
class GradeCheck:
    """One grade of a population against its guideline."""

    grade: str
    count: int
    minimum: int
    maximum: int
    expected: int  # the places if the guideline were met exactly
    share: Share

    @property
    def over(self) -> bool:
        return self.count > self.maximum

    @property
    def under(self) -> bool:
        return self.count < self.minimum

    @property
    def within(self) -> bool:
        return not (self.over or self.under)


@dataclass(frozen=True, slots=True)
class GuidelineCheck:
    population: int
    grades: tuple[GradeCheck, ...]
    enforced: bool  # the guideline asks for enforcement...
    minimum_population: int

    @property
    def enforceable(self) -> bool:
        """...which applies only to a population of at least the minimum size."""
        return self.enforced and self.population >= self.minimum_population

    @property
    def broken(self) -> bool:
        return any(not grade.within for grade in self.grades)

    @property
    def blocks_closing(self) -> bool:
        return self.broken and self.enforceable

    def grade(self, grade: str) -> GradeCheck:
        return next(check for check in self.grades if check.grade == grade)


@dataclass(frozen=True, slots=True)
class Guideline:
    shares: tuple[Share, ...]  # in grade order
    enforced: bool = False
    minimum_population: int = DEFAULT_MINIMUM_POPULATION

    def __post_init__(self) -> None:
        _check_shares(self.shares)
        if self.minimum_population < 1:
            raise GuidelineError(
                Text("最小人数至少为 1。", "The minimum population must be at least 1.")
            )

    @property
    def is_target(self) -> bool:
        return all(share.is_target for share in self.shares)

    def written(self) -> str:
        return ", ".join(f"{share.grade} {share.written()}" for share in self.shares)

    def expected(self, n: int) -> dict[str, int]:
        """The places per grade if the guideline were met exactly."""
        midpoints = [(s.grade, Fraction(s.low + s.high) / 2) for s in self.shares]
        total = sum(share for _grade, share in midpoints)
        if total == 0:
            return {grade: 0 for grade, _share in midpoints}
        return largest_remainder(n, [(grade, share / total) for grade, share in midpoints])

    def bounds(self, n: int) -> dict[str, tuple[int, int]]:
        """The fewest and most people each grade may hold in a population of ``n``."""
        if self.is_target:
            return {grade: (places, places) for grade, places in self.expected(n).items()}
        return {
            s.grade: (
                math.floor(Fraction(s.low) * n / 100),
                math.ceil(Fraction(s.high) * n / 100),
            )
            for s in self.shares
        }

    def check(self, counts: Mapping[str, int]) -> GuidelineCheck:
        """A population's grade counts against the guideline; grades the guideline does
        not name count as allowing nobody."""
        n = sum(counts.values())
        bounds, expected = self.bounds(n), self.expected(n)
        named = {share.grade for share in self.shares}
        unnamed = [grade for grade in counts if grade not in named and counts[grade]]
        rows = [
            GradeCheck(s.grade, counts.get(s.grade, 0), *bounds[s.grade], expected[s.grade], s)
            for s in self.shares
        ] + [GradeCheck(g, counts[g], 0, 0, 0, Share(g, Decimal(0), Decimal(0))) for g in unnamed]
        return GuidelineCheck(n, tuple(rows), self.enforced, self.minimum_population)

    # --- reading one ---------------------------------------------------------------------

    @classmethod
    def from_text(
        cls,
        text: str,
        grades: Sequence[str],
        *,
        enforced: bool = False,
        minimum_population: int = DEFAULT_MINIMUM_POPULATION,
    ) -> Guideline:
        """``A 10-20, B 20-30, C 30-50, D 5-15, E 0-10`` or ``A 20, B 70, C 10`` (per
        cent, ``%`` optional; commas, semicolons, 、 or new lines between grades)."""
        given: dict[str, tuple[str, str]] = {}
        for part in re.split(r"[,;，；、\n]+", text):
            part = part.strip()
            if not part:
                continue
            found = re.fullmatch(
                r"([A-Za-z])\s*[:：]?\s*([\d.]+)\s*%?\s*(?:[-–~～至到]\s*([\d.]+)\s*%?)?", part
            )
            if found is None:
                raise GuidelineError(
                    Text(
                        f"“{part}”看不懂：请写成“A 10-20”或“A 20”。",
                        f"“{part}” is not understood: write “A 10-20” or “A 20”.",
                    )
                )
            grade, low, high = found.group(1).upper(), found.group(2), found.group(3)
            if grade in given:
                raise GuidelineError(
                    Text(f"{grade} 等级写了两次。", f"Grade {grade} is given twice.")
                )
            given[grade] = (low, high or low)
        return cls.from_mapping(
            given, grades, enforced=enforced, minimum_population=minimum_population
        )

    @classmethod
    def from_mapping(
        cls,
        given: Mapping[str, object],
        grades: Sequence[str],
        *,
        enforced: bool = False,
        minimum_population: int = DEFAULT_MINIMUM_POPULATION,
    ) -> Guideline:
        """Per grade a share (``20``) or a range (``[10, 20]``), in per cent."""
        unknown = [grade for grade in given if grade not in grades]
        if unknown:
            raise GuidelineError(
                Text(
                    f"等级 {'、'.join(unknown)} 不在等级表中（{'、'.join(grades)}）。",
                    f"Grade {', '.join(unknown)} is not on the grade scale ({', '.join(grades)}).",
                )
            )
        missing = [grade for grade in grades if grade not in given]
        if missing:
            raise GuidelineError(
                Text(
                    f"请给出每个等级的比例，缺少：{'、'.join(missing)}。",
                    f"Give every grade a share; missing: {', '.join(missing)}.",
                )
            )
        shares = []
        for grade in grades:
            value = given[grade]
            low, high = value if isinstance(value, (list, tuple)) else (value, value)
            shares.append(Share(grade, _percent(grade, low), _percent(grade, high)))
        return cls(tuple(shares), enforced, minimum_population)


def _percent(grade: str, value: object) -> Decimal:
    try:
        number = Decimal(str(value).strip().rstrip("%").strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not 0 <= number <= HUNDRED:
        raise GuidelineError(
            Text(
                f"{grade}：“{value}”不是 0 到 100 之间的百分比。",
                f"{grade}: “{value}” is not a percentage between 0 and 100.",
            )
        )
    return number


def _check_shares(shares: Sequence[Share]) -> None:
    if not shares:
        raise GuidelineError(Text("指导比例是空的。", "The guideline is empty."))
    for share in shares:
        if share.low > share.high:
            raise GuidelineError(
                Text(
                    f"{share.grade}：下限 {_plain(share.low)}% 高于上限 {_plain(share.high)}%。",
                    f"{share.grade}: the low end {_plain(share.low)} % is above the high "
                    f"end {_plain(share.high)} %.",
                )
            )
    lows = sum((s.low for s in shares), Decimal(0))
    highs = sum((s.high for s in shares), Decimal(0))
    if all(share.is_target for share in shares) and lows != HUNDRED:
        raise GuidelineError(
            Text(
                f"目标比例合计须为 100%，现在是 {_plain(lows)}%。",
                f"Target shares must add up to 100 %; they add up to {_plain(lows)} %.",
            )
        )
    if lows > HUNDRED or highs < HUNDRED:
        raise GuidelineError(
            Text(
                f"区间无法同时满足：下限合计 {_plain(lows)}%，上限合计 {_plain(highs)}%"
                "（下限合计不能超过 100%，上限合计不能低于 100%）。",
                f"The ranges cannot all be met: the low ends add up to {_plain(lows)} % and "
                f"the high ends to {_plain(highs)} % (the lows may add up to at most 100 %, "
                "the highs to at least 100 %).",
            )
        )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
