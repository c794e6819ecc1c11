"""The feature table: one row per person and month, the features as numbers, and whether
the person resigned within the horizon after that month (unknown while the horizon has
not passed, or when they left for another reason before it ended)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from kaohe.core import Text

from ._attrition_errors import BadTable

Matrix = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One person as they stood on one day (the end of a month, or today for scoring).

    ``values`` maps each feature to a number, or None when kaohe does not know it (no
    appraisal yet, no calls that month); ``left`` is True when the person resigned within
    the horizon after ``at``, False when they did not, None when it is not known yet.
    """

    person: str
    at: date
    values: Mapping[str, float | None]
    left: bool | None = None


@dataclass(frozen=True)
class FeatureTable:
    features: tuple[str, ...]
    rows: tuple[Snapshot, ...]

    def __post_init__(self) -> None:
        if len(set(self.features)) != len(self.features):
            raise BadTable(Text("特征名称有重复", "a feature is named twice"))
        known = set(self.features)
        for row in self.rows:
            extra = set(row.values) - known
            if extra:
                name = sorted(extra)[0]
                raise BadTable(
                    Text(f"第 {row.person} 行含有未声明的特征「{name}」",
                         f"the row of {row.person} has a feature not declared: “{name}”")
                )  # fmt: skip

    @classmethod
    def of(cls, features: Iterable[str], rows: Iterable[Snapshot]) -> FeatureTable:
        return cls(tuple(features), tuple(rows))

    def matrix(self, rows: Sequence[Snapshot] | None = None) -> Matrix:
        """The rows' features as floats, NaN where unknown."""
        chosen = self.rows if rows is None else rows
        out = np.full((len(chosen), len(self.features)), np.nan)
        for i, row in enumerate(chosen):
            for j, name in enumerate(self.features):
                value = row.values.get(name)
                if value is not None:
                    out[i, j] = float(value)
        return out

    def labelled(self) -> list[Snapshot]:
        return [row for row in self.rows if row.left is not None]

    def without(self, features: Iterable[str]) -> FeatureTable:
        """The table with these features left out."""
        gone = set(features)
        kept = tuple(f for f in self.features if f not in gone)
        rows = tuple(
            Snapshot(r.person, r.at, {k: v for k, v in r.values.items() if k not in gone}, r.left)
            for r in self.rows
        )
        return FeatureTable(kept, rows)


def labels(rows: Sequence[Snapshot]) -> NDArray[np.int_]:
    return np.array([1 if row.left else 0 for row in rows], dtype=np.int_)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it is shorter; month
    ends stay month ends (31 January + 1 is 28 or 29 February, + 2 is 31 March)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if at_end else min(day.day, last))
