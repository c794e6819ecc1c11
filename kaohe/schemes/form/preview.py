"""The live preview: a made-up person's input values, scored by the core as an appraisal
would be, so that HR sees what an edit does to points, total and grade."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kaohe.core import (
    Deductions,
    InputError,
    InputKind,
    Linear,
    PerEvent,
    RatingLevels,
    Scheme,
    TargetRange,
    Tiers,
    fmt,
    score,
)
from kaohe.display import points, total
from kaohe.i18n import current_lang

SAMPLE_PREFIX = "sample/"


def sample_values(scheme: Scheme) -> dict[str, str]:
    """A plausible value for each input: somewhere a rule reading it turns, so that the
    preview moves when its thresholds do."""
    values = {
        name: _default(spec.kind, spec.minimum, spec.maximum)
        for name, spec in scheme.inputs.items()
    }
    for indicator in scheme.indicators():
        rule = indicator.rule
        if isinstance(rule, Tiers):
            limits = [limit for tier in rule.tiers for limit in tier.interval.limits]
            if limits:
                values[rule.input] = fmt(limits[0])
        elif isinstance(rule, Linear):
            values[rule.input] = fmt((rule.floor + rule.target) / 2)
        elif isinstance(rule, TargetRange):
            values[rule.input] = fmt((rule.low + rule.high) / 2)
        elif isinstance(rule, RatingLevels):
            values[rule.input] = str(max(1, len(rule.levels) - 1))
        elif isinstance(rule, PerEvent):
            values[rule.input] = "1"
        elif isinstance(rule, Deductions):
            for check in rule.checks:
                bound = check.passes_when.low or check.passes_when.high
                if bound is not None:
                    values[check.input] = fmt(bound.value)
    return values


def _default(kind: InputKind, low: Decimal | None, high: Decimal | None) -> str:
    if kind is InputKind.LEVEL:
        return "4"
    if kind is InputKind.COUNT:
        return "1"
    if low is not None and high is not None:
        return fmt((low + high) / 2)
    return "90" if kind is InputKind.PERCENT else "1"


def posted_samples(scheme: Scheme, posted: Any) -> dict[str, str]:
    """The values HR typed, falling back to the made-up ones for inputs not posted."""
    values = sample_values(scheme)
    for name in scheme.inputs:
        key = SAMPLE_PREFIX + name
        if key in posted:
            values[name] = str(posted[key]).strip()
    return values


def preview(scheme: Scheme, values: dict[str, str]) -> dict[str, Any]:
    """What the core makes of these values: points per indicator, dimensions, total, grade.
    A value the input refuses is left out and said why."""
    lang = current_lang()
    problems: dict[str, str] = {}
    usable: dict[str, str] = {}
    for name, raw in values.items():
        try:
            scheme.inputs[name].parse(raw) if raw else None
        except InputError as error:
            problems[name] = error.problem(lang)
            continue
        usable[name] = raw
    result = score(scheme, usable)
    grade = result.grade
    return {
        "inputs": [
            {
                "name": name,
                "label": spec.label(lang),
                "kind": spec.kind.value,
                "value": values.get(name, ""),
                "problem": problems.get(name, ""),
                "field": SAMPLE_PREFIX + name,
                "unit": spec.unit(lang) if spec.unit else "",
            }
            for name, spec in scheme.inputs.items()
        ],
        "indicators": [
            {
                "id": r.indicator.id,
                "name": r.indicator.name(lang),
                "points": points(r.points) if r.points is not None else "",
                "max_points": points(r.indicator.max_points),
                "status": r.status.value,
                "explanation": r.explanation()(lang),
            }
            for r in result.indicators
        ],
        "dimensions": [
            {
                "name": d.dimension.name(lang),
                "weight": points(d.dimension.weight),
                "score": "" if d.score is None else points(d.score),
            }
            for d in result.dimensions
        ],
        "total": "" if result.total is None else total(result.total),
        "grade": "" if grade is None else grade.grade,
        "grade_label": "" if grade is None else grade.label(lang),
        "coefficient": "" if grade is None else fmt(grade.coefficient),
        "blocked_by": list(result.blocked_by),
    }
