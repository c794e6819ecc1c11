"""What the appraisal page shows, worked out from the one serialisation of a result.

A finalised appraisal is shown from its stored result (exactly what was locked); an open one
from its provisional score. Every figure is rounded for people here, and every value says
where it came from and whose figure it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kaohe import display
from kaohe.core import InputKind, MetricScope, Scheme, result_data
from kaohe.i18n import current_lang

from .inputs import FROM_METRICS, FROM_RATER
from .models import Appraisal, Result
from .scoring import Scored, score_appraisal


@dataclass
class Summary:
    """The headline figures: final or provisional."""

    final: bool
    total: str | None = None
    grade: str = ""
    grade_label: str = ""
    coefficient: str = ""
    pay: str | None = None
    development: str = ""
    version: int = 1
    secured: str | None = None  # while incomplete: the points already earned
    missing: list[str] = field(default_factory=list)  # while incomplete: what is missing
    problem: str = ""  # a value refused
    calibration: str = ""


@dataclass
class Page:
    summary: Summary
    dimensions: list[dict[str, Any]]
    data_cutoff: Any = None


def text_of(value: Any) -> str:
    """A serialised text ({zh, en}) in the reader's language."""
    if isinstance(value, dict):
        return str(value.get(current_lang()) or value.get("en") or "")
    return "" if value is None else str(value)


def build(appraisal: Appraisal, *, show_pay: bool) -> Page:
    scheme = appraisal.version.scheme()
    result = appraisal.latest_result()
    if result is not None:
        data = result.trace.get("result") or {}
        sources = result.trace.get("sources") or {}
        summary = _final_summary(result, scheme, data, show_pay)
    else:
        scored = score_appraisal(appraisal)
        data = result_data(scored.result) if scored.result else {}
        sources = {name: value.as_data() for name, value in scored.values.items()}
        summary = _provisional_summary(scored, scheme, show_pay)
    if appraisal.calibration:
        summary.calibration = display.points(appraisal.calibration)
    cutoff = appraisal.data_cutoff
    return Page(summary, _dimensions(appraisal, scheme, data, sources), cutoff)


def _final_summary(result: Result, scheme: Scheme, data: dict[str, Any], show_pay: bool) -> Summary:
    band = next((b for b in scheme.grades.bands if b.grade == result.grade), None)
    lang = current_lang()
    return Summary(
        final=True,
        total=display.total(result.total),
        grade=result.grade,
        grade_label=band.label(lang) if band else "",
        coefficient=display.coefficient(result.coefficient),
        pay=display.money(result.pay) if show_pay and result.pay is not None else None,
        development=band.actions(lang) if band else "",
        version=result.number,
    )


def _provisional_summary(scored: Scored, scheme: Scheme, show_pay: bool) -> Summary:
    lang = current_lang()
    outcome = scored.outcome
    if outcome is not None:
        return Summary(
            final=False,
            total=display.total(outcome.total),
            grade=outcome.grade.grade,
            grade_label=outcome.grade.label(lang),
            coefficient=display.coefficient(outcome.coefficient),
            pay=display.money(outcome.pay) if show_pay and outcome.pay is not None else None,
            development=outcome.grade.actions(lang),
        )
    summary = Summary(final=False)
    if scored.problem is not None:
        summary.problem = scored.problem(lang)
    if scored.result is not None:
        summary.secured = display.total(scored.result.secured)
        summary.missing = [scheme.inputs[n].label(lang) for n in scored.result.missing_inputs]
    return summary


def _dimensions(
    appraisal: Appraisal, scheme: Scheme, data: dict[str, Any], sources: dict[str, Any]
) -> list[dict[str, Any]]:
    lang = current_lang()
    scored_dimensions = {d["id"]: d for d in data.get("dimensions", [])}
    scored_indicators = {i["id"]: i for i in data.get("indicators", [])}
    shown = []
    for dimension in scheme.dimensions:
        scored = scored_dimensions.get(dimension.id, {})
        shown.append(
            {
                "id": dimension.id,
                "name": dimension.name(lang),
                "weight": display.points(dimension.weight),
                "earned": display.points(scored.get("earned")),
                "possible": display.points(scored.get("possible") or dimension.max_points),
                "score": display.points(scored.get("score")),
                "indicators": [
                    _indicator(
                        appraisal,
                        scheme,
                        indicator,
                        scored_indicators.get(indicator.id, {}),
                        sources,
                    )
                    for indicator in dimension.indicators
                ],
            }
        )
    return shown


def _indicator(
    appraisal: Appraisal, scheme: Scheme, indicator: Any, scored: dict[str, Any],
    sources: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    lang = current_lang()
    target = (appraisal.targets or {}).get(indicator.id) or (
        indicator.smart.target(lang) if indicator.smart and indicator.smart.target else ""
    )
    return {
        "id": indicator.id,
        "name": indicator.name(lang),
        "target": target,
        "values": [_value(appraisal, scheme, name, sources.get(name)) for name in indicator.inputs],
        "points": display.points(scored.get("points")),
        "max_points": display.points(indicator.max_points),
        "explanation": text_of(scored.get("explanation")),
        "status": scored.get("status", ""),
    }


def _value(
    appraisal: Appraisal, scheme: Scheme, name: str, source: dict[str, Any] | None
) -> dict[str, Any]:
    lang = current_lang()
    spec = scheme.inputs[name]
    label = spec.label(lang)
    shown = {"name": name, "label": label, "shown": None, "source": "", "whose": "", "detail": ""}
    self_rated = (appraisal.self_ratings or {}).get(name)
    if self_rated not in (None, ""):
        shown["self_rated"] = spec.show(Decimal(str(self_rated)))(lang)
    if spec.metric is not None and spec.metric.scope is not MetricScope.OWN:
        shown["whose"] = spec.metric.scope.label(lang)
    if source is None:
        return shown
    shown["shown"] = spec.show(Decimal(str(source["value"])))(lang)
    if source.get("source") == FROM_METRICS:
        shown["source"] = _("from data")
        shown["detail"] = _metric_detail(source, as_share=spec.kind is InputKind.PERCENT)
    elif source.get("source") == FROM_RATER:
        shown["source"] = _("rated by the manager")
    elif spec.feed is not None:
        # 360 reviews, the incident log, goals: the provider words its own detail, in both
        # languages, so that the trace explains the value after the cut-off too.
        shown["source"] = spec.feed.label(lang)
        shown["detail"] = text_of(source.get("detail"))
    return shown


def _metric_detail(source: dict[str, Any], *, as_share: bool) -> str:
    """How the figure was made: a share as its counts (1,234 / 1,300), anything else — a
    mean, a net score, a weighted rate — by how many it was taken over."""
    numerator, denominator = source.get("numerator"), source.get("denominator")
    parts = []
    if numerator is not None and denominator is not None:
        whole = Decimal(repr(numerator)) == Decimal(repr(numerator)).to_integral_value()
        if as_share and whole:
            parts.append(f"{display.figure(numerator)} / {display.figure(denominator)}")
        else:
            parts.append(_("over %(count)s") % {"count": display.figure(denominator)})
    computed = parse_datetime(source.get("computed_at") or "")
    if computed is not None:
        moment = timezone.localtime(computed).strftime("%Y-%m-%d %H:%M")
        parts.append(_("computed %(moment)s") % {"moment": moment})
    return " · ".join(parts)
