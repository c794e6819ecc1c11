"""The scheme model: dimensions with weights, indicators with rules, inputs and grades."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ._grades import DEFAULT_GRADES, GradeScale
from ._inputs import InputSpec
from ._rules import Rule
from ._text import Text


class MissingPolicy(StrEnum):
    """What happens when an indicator has no value. Never a silent zero."""

    ZERO = "zero"  # counts as 0 points, and the trace says so
    EXCLUDE = "exclude"  # left out; its dimension is rescaled over the other indicators
    BLOCK = "block"  # no total until the value arrives (the default)


@dataclass(frozen=True, slots=True)
class Smart:
    """The SMART facts of a quantitative indicator."""

    target: Text | None = None
    data_source: Text | None = None
    period: Text | None = None


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: Text
    rule: Rule
    max_points: Decimal
    missing: MissingPolicy = MissingPolicy.BLOCK
    unit: Text | None = None
    smart: Smart = field(default_factory=Smart)
    description: Text | None = None
    inputs: tuple[str, ...] = field(init=False, compare=False)  # the rule's, kept at hand

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", self.rule.inputs)

    @property
    def quantitative(self) -> bool:
        return self.rule.quantitative


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    name: Text
    weight: Decimal  # percent of the total
    indicators: tuple[Indicator, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((i.max_points for i in self.indicators), Decimal(0))


# The appraisal stages a scheme may leave out (``stages: {self_assessment: false}``).
OPTIONAL_STAGES = frozenset({"self_assessment", "calibration", "interview"})


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    name: Text
    dimensions: tuple[Dimension, ...]
    inputs: Mapping[str, InputSpec]
    grades: GradeScale = DEFAULT_GRADES
    version: int = 1
    description: Text | None = None
    notes: Text | None = None
    source: str = ""  # the file it was loaded from
    abstract: bool = False  # a base for other schemes to extend, not scored itself
    # Workflow stages an appraisal under this scheme goes through; the others are skipped.
    stages: frozenset[str] = OPTIONAL_STAGES

    def indicators(self) -> Iterator[Indicator]:
        for dimension in self.dimensions:
            yield from dimension.indicators

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators():
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)
