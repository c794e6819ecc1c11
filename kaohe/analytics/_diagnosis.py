"""Organisation diagnosis: how much of each indicator's points people earn, by group, and
the indicators where many people score low (seed 002 §四: low scores across many people
point at the organisation, not the individuals)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

LOW = Decimal("0.6")  # under 60 % of the indicator's points
SHARE = Decimal("0.4")  # more than 40 % of the people
MIN_PEOPLE = 5


@dataclass(frozen=True, slots=True)
class Attainment:
    """One person's points ÷ possible points on one indicator."""

    person: Hashable
    indicator: str
    group: str  # a department, a position
    share: Decimal


@dataclass(frozen=True, slots=True)
class Cell:
    mean: Decimal
    people: int


@dataclass(frozen=True, slots=True)
class Weakness:
    indicator: str
    people: int
    low: int  # of them under the low mark
    people_low: frozenset[Hashable]

    @property
    def share(self) -> Decimal:
        return Decimal(self.low) / Decimal(self.people)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    indicators: list[str]  # in the order first seen
    groups: list[str]  # sorted
    cells: dict[tuple[str, str], Cell]  # (indicator, group) → mean attainment
    overall: dict[str, Cell]
    weaknesses: list[Weakness]  # weakest share first


def diagnose(
    attainments: Iterable[Attainment],
    *,
    low: Decimal = LOW,
    share: Decimal = SHARE,
    min_people: int = MIN_PEOPLE,
) -> Diagnosis:
    by_cell: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    by_indicator: dict[str, list[Attainment]] = defaultdict(list)
    order: dict[str, None] = {}
    for a in attainments:
        by_cell[(a.indicator, a.group)].append(a.share)
        by_indicator[a.indicator].append(a)
        order.setdefault(a.indicator)
    cells = {key: Cell(_mean(values), len(values)) for key, values in by_cell.items()}
    overall = {
        indicator: Cell(_mean([a.share for a in found]), len(found))
        for indicator, found in by_indicator.items()
    }
    weaknesses = []
    for indicator, found in by_indicator.items():
        under = frozenset(a.person for a in found if a.share < low)
        people = len({a.person for a in found})
        if people >= min_people and Decimal(len(under)) > share * people:
            weaknesses.append(Weakness(indicator, people, len(under), under))
    weaknesses.sort(key=lambda w: (-w.share, w.indicator))
    groups = sorted({group for _indicator, group in cells})
    return Diagnosis(list(order), groups, cells, overall, weaknesses)


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)
