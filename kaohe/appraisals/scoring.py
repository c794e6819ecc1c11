"""An appraisal's values, where each came from, and its score: provisional until finalised.

Values come from three places: the metric engine (the period's latest computation, for
inputs that name a metric), the rater's ratings, and — for inputs the rater leaves empty —
nothing, which the scheme's missing-data policy handles. The employee's self-ratings are
shown beside the rater's but never scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kaohe.core import GradeBand, InputError, Scheme, ScoreResult, round_half_up, score
from kaohe.data.services import metric_records
from kaohe.metrics import MetricsError, parse_period

from .models import Appraisal

FROM_METRICS, FROM_RATER = "metrics", "rater"


@dataclass(frozen=True)
class Value:
    value: object
    source: str  # FROM_METRICS or FROM_RATER
    detail: str = ""  # e.g. the metric and its numerator / denominator


@dataclass(frozen=True)
class Scored:
    result: ScoreResult | None  # None when a value was refused
    values: dict[str, Value]
    problem: str = ""  # why there is no result
    total: Decimal | None = None  # after calibration
    grade: GradeBand | None = None
    pay: Decimal | None = None


def metric_values(scheme: Scheme, employee_number: str, period: str) -> dict[str, Value]:
    """The scheme's metric-fed inputs from the period's latest computation, each with the
    metric, its numerator and denominator and the computation it came from."""
    try:
        name = parse_period(period).name
    except MetricsError:
        return {}
    found = {}
    for input_name, record in metric_records(scheme, employee_number, name).items():
        detail = record.metric
        if record.denominator is not None and record.numerator is not None:
            detail += f" = {record.numerator:g} / {record.denominator:g}"
        found[input_name] = Value(record.value, FROM_METRICS, f"{detail} ({record.run})")
    return found


def values_of(appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
    found = metric_values(scheme, appraisal.employee.number, appraisal.cycle.period)
    for name, value in (appraisal.ratings or {}).items():
        if name in scheme.inputs and name not in found and value not in (None, ""):
            found[name] = Value(value, FROM_RATER)
    return found


def score_appraisal(appraisal: Appraisal) -> Scored:
    scheme = appraisal.version.scheme()
    values = values_of(appraisal, scheme)
    try:
        result = score(scheme, {k: v.value for k, v in values.items()}, appraisal.base_pay)
    except InputError as error:
        return Scored(None, values, problem=str(error))
    if result.total is None:
        return Scored(result, values)
    total = round_half_up(result.total + appraisal.calibration)
    total = min(max(total, Decimal(0)), Decimal(100))
    grade = scheme.grades.grade_for(total)
    pay = None if appraisal.base_pay is None else scheme.grades.pay(grade, appraisal.base_pay)
    return Scored(result, values, total=total, grade=grade, pay=pay)


def trace_of(scored: Scored) -> dict[str, object]:
    """What a locked result keeps: every indicator's values, points and explanation."""
    assert scored.result is not None
    return {
        "indicators": [
            {
                "id": item.indicator.id,
                "status": str(item.status),
                "values": {k: None if v is None else str(v) for k, v in item.values.items()},
                "points": None if item.points is None else str(item.points),
                "explanation": {"zh": item.explanation().zh, "en": item.explanation().en},
            }
            for item in scored.result.indicators
        ],
        "sources": {k: [v.source, v.detail] for k, v in scored.values.items()},
        "scored_total": None if scored.result.total is None else str(scored.result.total),
    }
