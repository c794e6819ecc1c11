"""An appraisal's score: provisional until finalised, then kept as an immutable result.

The values come from the input providers (``inputs.py``); the core scores them and works
out what a calibration moves the total to. Nothing here does arithmetic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kaohe.core import (
    DEFAULT_GRADES,
    GradeScale,
    InputError,
    Outcome,
    ScoreResult,
    Text,
    result_data,
    score,
)

from .inputs import Value, gather
from .models import Appraisal, Cycle


@dataclass(frozen=True)
class Scored:
    result: ScoreResult | None  # None when a value was refused
    values: dict[str, Value]
    problem: Text | None = None  # why there is no result
    outcome: Outcome | None = None  # the total after calibration, its grade and pay

    @property
    def complete(self) -> bool:
        return self.outcome is not None


def score_appraisal(appraisal: Appraisal) -> Scored:
    scheme = appraisal.version.scheme()
    values = gather(appraisal, scheme)
    try:
        result = score(scheme, {k: v.value for k, v in values.items()}, appraisal.base_pay)
    except InputError as error:
        return Scored(None, values, problem=error.message)
    if result.total is None:
        return Scored(result, values)
    outcome = scheme.grades.outcome(result.total, appraisal.base_pay, appraisal.calibration)
    return Scored(result, values, outcome=outcome)


def trace_of(scored: Scored, appraisal: Appraisal) -> dict[str, Any]:
    """What a locked result keeps: the whole scored result at full precision, where each
    value came from, the calibration and the data cut-off."""
    assert scored.result is not None
    return {
        "result": result_data(scored.result),
        "sources": {name: value.as_data() for name, value in scored.values.items()},
        "calibration": str(appraisal.calibration),
        "data_cutoff": appraisal.data_cutoff.isoformat() if appraisal.data_cutoff else None,
    }


def grade_scale(cycle: Cycle) -> GradeScale:
    """The grades of the cycle's schemes (the first scheme's; built-in schemes share them)."""
    setting = cycle.schemes.exclude(version=None).select_related("version").first()
    if setting is None or setting.version is None:
        return DEFAULT_GRADES
    return setting.version.scheme().grades


def grades_of(cycle: Cycle) -> list[str]:
    return [band.grade for band in grade_scale(cycle).bands]
