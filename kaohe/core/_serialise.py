"""One way to write a score down: the trace a result keeps, what the CLI prints as JSON and
what the API returns.

Numbers are strings holding the full precision (``"14.461538461538461538461538"``), so that
nothing is lost in JSON and any figure can be reproduced; pages round them for people. Text
is ``{"zh": …, "en": …}``, or one language's string when ``lang`` is given.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ._scoring import IndicatorStatus, ScoreResult
from ._text import Lang, Text

Data = dict[str, Any]


def number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _text(value: Text | None, lang: Lang | None) -> object:
    if value is None:
        return None
    return {"zh": value.zh, "en": value.en} if lang is None else value(lang)


def result_data(result: ScoreResult, lang: Lang | None = None) -> Data:
    """The whole result: scheme, total, grade, pay, every dimension and indicator."""
    grade = result.grade
    dimension_of = {i.id: d.id for d in result.scheme.dimensions for i in d.indicators}
    return {
        "scheme": {
            "id": result.scheme.id,
            "version": result.scheme.version,
            "name": _text(result.scheme.name, lang),
        },
        "complete": result.complete,
        "total": number(result.total),
        "secured": number(result.secured),
        "missing_inputs": list(result.missing_inputs),
        "grade": None if grade is None else grade.grade,
        "grade_label": None if grade is None else _text(grade.label, lang),
        "coefficient": None if grade is None else number(grade.coefficient),
        "base_pay": number(result.base_pay),
        "pay": number(result.pay),
        "development": None if grade is None else _text(grade.actions, lang),
        "rescaled": result.rescaled,
        "blocked_by": list(result.blocked_by),
        "dimensions": [
            {
                "id": d.dimension.id,
                "name": _text(d.dimension.name, lang),
                "weight": number(d.dimension.weight),
                "earned": number(d.earned),
                "possible": number(d.possible),
                "score": number(d.score),
            }
            for d in result.dimensions
        ],
        "indicators": [
            {
                "id": i.indicator.id,
                "dimension": dimension_of[i.indicator.id],
                "name": _text(i.indicator.name, lang),
                "status": i.status.value,
                "values": {name: number(value) for name, value in i.values.items()},
                "points": number(i.points),
                "max_points": number(i.indicator.max_points),
                "counted": i.status is not IndicatorStatus.EXCLUDED,
                "explanation": _text(i.explanation(), lang),
            }
            for i in result.indicators
        ],
    }
