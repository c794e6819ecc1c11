"""The weight advice's figures, gathered from the lake and judged into signals: the
organisation's and each department's key-account and complaint figures over the last five
quarters, and HR's current launch flags.

A department's figures are its people's added up (numerators and denominators), its
sub-departments' included. A department whose figures of a kind are exactly its parent's
or the organisation's says nothing more about them and is left out (the 企服部 that holds
every key account is the organisation, as far as key accounts go).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kaohe.analytics import (
    FIGURES_OF,
    ORGANISATION,
    QuarterReading,
    Signal,
    Subject,
    Trend,
    find_signal,
    launch_signal,
)
from kaohe.core import Text
from kaohe.data import services
from kaohe.metrics import (
    ADVICE_FIGURES,
    MetricValue,
    advice_figures,
    advice_quarters,
    figure_value,
    latest_record,
)
from kaohe.org.models import Department, Employee

from .models import LaunchFlag

QUARTERS = 5  # the latest and up to four before it
Series = dict[str, list[QuarterReading]]  # figure → readings, oldest first


@dataclass
class Found:
    """What a look for signals found."""

    quarters: list[str]
    signals: list[Signal] = field(default_factory=list)
    departments: dict[str, int] = field(default_factory=dict)  # subject key → department id
    flags: dict[int, LaunchFlag] = field(default_factory=dict)  # signal index → its flag


def look(now: datetime, today: date) -> Found:
    """The signals in the lake's figures as of ``now``, and the launch flags current on
    ``today``."""
    lake = services.lake()
    options = services.catalog_options()
    quarters = advice_quarters(now, options.zone, QUARTERS, latest_record(lake))
    by_quarter = advice_figures(lake, quarters, options)
    names = [q.name for q in quarters]
    found = Found(names)
    for subject, series, department, above in _subjects(names, by_quarter):
        for kind, figures in FIGURES_OF.items():
            if any(_same(series, other, figures) for other in above):
                continue  # the same figures as the organisation's or the parent's
            signal = find_signal(kind, subject, series)
            if signal is not None:
                found.signals.append(signal)
                if department is not None:
                    found.departments[subject.key] = department
    for flag in LaunchFlag.objects.filter(ended_on=None, ends_on__gte=today):
        found.flags[len(found.signals)] = flag
        starts, ends = flag.starts_on.isoformat(), flag.ends_on.isoformat()
        signal = launch_signal(flag.name, starts, ends, list(flag.indicators), flag.weight)
        found.signals.append(signal)
    return found


def _subjects(
    quarters: list[str], by_quarter: Mapping[str, list[MetricValue]]
) -> Iterable[tuple[Subject, Series, int | None, list[Series]]]:
    """The organisation's series, then each department's with those it must differ from
    to say anything (the organisation's and its parent's)."""
    org = _series(quarters, by_quarter, None)
    yield ORGANISATION, org, None, []
    where = dict(Employee.objects.values_list("number", "department__path"))
    made: dict[str, Series] = {}
    for department in Department.objects.order_by("path"):
        inside = department.path + "/"
        numbers = {n for n, path in where.items() if path == department.path or
                   (path or "").startswith(inside)}  # fmt: skip
        series = _series(quarters, by_quarter, numbers)
        made[department.path] = series
        if not numbers:
            continue
        parent = made.get(department.path.rpartition("/")[0])
        name = department.name
        above = [org] if parent is None else [org, parent]
        yield Subject(f"department:{department.pk}", Text(name, name)), series, department.pk, above


def _series(
    quarters: list[str], by_quarter: Mapping[str, list[MetricValue]], people: set[str] | None
) -> Series:
    """Each figure's readings over the quarters: the organisation's (``people`` None), or
    these people's added up."""
    series: Series = {figure: [] for figure in ADVICE_FIGURES}
    for quarter in quarters:
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for value in by_quarter.get(quarter, []):
            chosen = (
                value.subject_type == "org"
                if people is None
                else value.subject_type == "employee" and value.subject in people
            )
            if value.metric in series and chosen:
                sums[value.metric][0] += value.numerator or 0.0
                sums[value.metric][1] += value.denominator or 0.0
        for figure in ADVICE_FIGURES:
            numerator, denominator = sums.get(figure, [0.0, 0.0])
            value = figure_value(figure, numerator, denominator)
            series[figure].append(QuarterReading(quarter, value, denominator))
    return series


def _same(series: Series, other: Series, figures: Iterable[str]) -> bool:
    return all(
        [(r.value, r.base) for r in series[f]] == [(r.value, r.base) for r in other[f]]
        for f in figures
    )


def figures_data(signal: Signal) -> list[dict[str, Any]]:
    """The figures behind a signal, as the advice keeps and shows them."""
    return [_trend_data(trend) for trend in signal.trends]


def _trend_data(trend: Trend) -> dict[str, Any]:
    rule = trend.rule
    return {
        "figure": trend.figure,
        "name_zh": rule.name.zh,
        "name_en": rule.name.en,
        "unit": rule.unit,
        "reported": trend.reported,
        "strength": trend.strength,
        "baseline": trend.baseline,
        "swing": trend.swing,
        "readings": [
            {"period": r.period, "value": r.value, "base": r.base}
            for r in (*trend.earlier, trend.latest)
        ],
    }
