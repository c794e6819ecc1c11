"""The dashboards' KPI figures, read from the stored metric values (``MetricRecord``).

A group's figure is the ratio of the sums of its people's numerators and denominators
(never a mean of their rates): a team's CSAT is all its top-two answers over all its
answers. The answer rate and service level belong to queues, so a group's figure sums its
agents' own-queue figures (each queue weighted by the agent's answered calls, as the
catalog stores them under ``agent_queues``); the whole organisation's figures are the ones
the catalog stores for ``org``. The sums run in the database, one query per period.

Periods: the current one is the latest month with stored values (the running cycle's
period when no month has any); the trend is the last 12 months with values. Targets come
from the schemes that score the metric, where their rule has a threshold for full points
(the best tier, a linear rule's target), else from ``DEFAULT_TARGETS``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Max, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaohe.appraisals.models import Cycle, CycleScheme
from kaohe.core import (
    Direction,
    Scheme,
    better_direction,
    builtin_names,
    full_marks_at,
    load_scheme,
)
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.display import count, points
from kaohe.org.models import Employee

RATE, MEAN = "rate", "mean"
EMPLOYEE, AGENT_QUEUES, ORG = "employee", "agent_queues", "org"
MONTH = re.compile(r"^\d{4}-\d{2}$")
TREND_MONTHS = 12


@dataclass(frozen=True)
class Kpi:
    key: str
    metric: str  # the catalog's name
    label: Promise
    kind: str  # RATE: 100 × Σ numerator ÷ Σ denominator; MEAN: Σ numerator ÷ Σ denominator
    better: Direction
    subject: str = EMPLOYEE  # what a person's figure is stored under
    unit: str = "%"

    def value(self, numerator: float | None, denominator: float | None) -> float | None:
        if not denominator or numerator is None:
            return None  # no base, no figure (never 0)
        share = numerator / denominator
        return 100 * share if self.kind == RATE else share

    def shown(self, value: float | None) -> str:
        """Rounded for people: rates to one decimal with %, seconds whole, scores to two."""
        if value is None:
            return "—"
        if self.unit == "%":
            return f"{Decimal(repr(value)).quantize(Decimal('0.1'))}%"
        if self.unit == "s":
            return f"{count(value)} s"
        return points(value)


# The KPIs of issue 13, in the order the dashboards show them.
KPIS: tuple[Kpi, ...] = (
    Kpi("answer_rate", "answer_rate", _("Answer rate"), RATE, Direction.HIGHER, AGENT_QUEUES),
    Kpi("service_level", "service_level_20s", _("Service level (20 s)"), RATE, Direction.HIGHER,
        AGENT_QUEUES),
    Kpi("aht", "aht_seconds", _("Average handle time"), MEAN, Direction.LOWER, unit="s"),
    Kpi("fcr", "fcr_rate", _("First-contact resolution"), RATE, Direction.HIGHER),
    Kpi("csat", "csat_rate", _("CSAT"), RATE, Direction.HIGHER),
    Kpi("ces", "ces_mean", _("Customer effort (CES, 1–7)"), MEAN, Direction.LOWER, unit=""),
    Kpi("nps", "nps", _("NPS"), RATE, Direction.HIGHER, unit=""),
    Kpi("qa", "qa_pass_rate", _("QA pass rate"), RATE, Direction.HIGHER),
    Kpi("complaints", "complaint_resolution_rate", _("Complaints resolved"), RATE,
        Direction.HIGHER),
)  # fmt: skip
BY_METRIC = {kpi.metric: kpi for kpi in KPIS}

# Where no scheme scores a metric with a threshold: seed 000's figures where it has one
# (answer rate ≥ 92 %, complaints 100 % resolved), the industry's usual ones otherwise
# (80 % of calls answered within 20 s; 7 minutes' handling, the middle of the seed's 3–10
# minutes of talk; CES 2 on 1–7 with lower better).
DEFAULT_TARGETS: dict[str, float] = {
    "answer_rate": 92, "service_level_20s": 80, "aht_seconds": 420, "fcr_rate": 85,
    "csat_rate": 90, "ces_mean": 2, "nps": 50, "qa_pass_rate": 95,
    "complaint_resolution_rate": 100,
}  # fmt: skip


@dataclass(frozen=True)
class Target:
    value: float
    source: str  # a scheme's name, or "" for the default table


@dataclass
class Figure:
    kpi: Kpi
    value: float | None
    target: Target
    whose: str
    people: int = 0  # whose figures it sums (0 for the catalog's org figure)
    trend: list[tuple[str, float | None]] = field(default_factory=list)
    chart: Any = None  # charts.Chart of the trend, drawn once the trend is known
    spark: Any = None

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        if self.kpi.better is Direction.HIGHER:
            return self.value >= self.target.value
        return self.value <= self.target.value

    @property
    def shown(self) -> str:
        return self.kpi.shown(self.value)

    @property
    def target_shown(self) -> str:
        return self.kpi.shown(self.target.value)


def share_shown(share: float) -> str:
    """A share 0–1 as a whole percentage, rounded half-up: 0.675 → 68%."""
    return f"{count(100 * Decimal(repr(share)))}%"


# --- periods -----------------------------------------------------------------------------


def monthly_runs() -> list[tuple[str, int]]:
    """(month, its latest computation's id), oldest first, the last 12 months with values."""
    latest = MetricRun.objects.values("period").annotate(run=Max("id")).values_list("period", "run")
    months = sorted((period, run) for period, run in latest if MONTH.match(period))
    return months[-TREND_MONTHS:]


def current_run(months: Sequence[tuple[str, int]]) -> tuple[str, int] | None:
    """The latest month with values, else the running cycle's period's latest computation."""
    if months:
        return months[-1]
    running = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-created_at").first()
    if running is None:
        return None
    run = MetricRun.objects.filter(period=running.period).first()
    return None if run is None else (running.period, run.pk)


def latest_run_id() -> int:
    """For the cache: a new computation changes every figure."""
    return MetricRun.objects.aggregate(latest=Max("id"))["latest"] or 0


# --- targets -----------------------------------------------------------------------------


def targets() -> dict[str, Target]:
    """Per metric, the threshold for full points in the schemes in use (the open cycles',
    else the built-in ones) where they agree most; else the default table."""
    found: dict[str, Counter[tuple[float, str]]] = {}
    for scheme in _schemes_in_use():
        for metric, value in _thresholds(scheme):
            found.setdefault(metric, Counter())[(value, scheme.name.zh)] += 1
    chosen = {}
    for metric, default in DEFAULT_TARGETS.items():
        votes = found.get(metric)
        if votes:
            (value, source), _n = votes.most_common(1)[0]
            chosen[metric] = Target(value, source)
        else:
            chosen[metric] = Target(default, "")
    return chosen


def _schemes_in_use() -> list[Scheme]:
    versions = CycleScheme.objects.filter(cycle__status=Cycle.Status.OPEN).exclude(version=None)
    schemes = [setting.version.scheme() for setting in versions.select_related("version")]
    unique = {scheme.id: scheme for scheme in schemes}
    if not unique:
        unique = {name: load_scheme(name) for name in builtin_names()}
    return [unique[key] for key in sorted(unique)]


def _thresholds(scheme: Scheme) -> Iterable[tuple[str, float]]:
    """(metric, the value earning full points) for each indicator reading a KPI's metric
    in its own unit (an input converted to minutes is left out), the right way round."""
    for indicator in scheme.indicators():
        for name in indicator.inputs:
            spec = scheme.inputs[name]
            if spec.metric is None or spec.metric.metric not in BY_METRIC or spec.duration:
                continue
            bound = full_marks_at(indicator.rule)
            if (
                bound is None
                or better_direction(indicator.rule) is not BY_METRIC[spec.metric.metric].better
            ):
                continue
            yield spec.metric.metric, float(bound.value)


# --- sums --------------------------------------------------------------------------------


@dataclass
class Sums:
    numerator: float = 0.0
    denominator: float = 0.0
    people: int = 0

    def add(self, numerator: float | None, denominator: float | None, people: int) -> None:
        self.numerator += numerator or 0.0
        self.denominator += denominator or 0.0
        self.people += people


# (group, metric) → sums; group is whatever the caller grouped by.
Grouped = dict[tuple[Any, str], Sums]


def sums_by(run_ids: Sequence[int], people: QuerySet[Employee], group: str = "run") -> Grouped:
    """Σ numerator and Σ denominator of each KPI over these people's stored figures, by
    ``group``: ``run``, ``manager`` (the person's direct manager) or ``department``. One
    query in the database; the people's query is its subquery."""
    if not run_ids:
        return {}
    columns = {"run": "r.run_id", "manager": "e.manager_id", "department": "e.department_id"}
    key = columns[group]
    # The people as a list of numbers the records are matched on: filtering the joined
    # employee's id instead makes SQLite walk the id list for every record.
    people_sql, people_params = people.order_by().values("number").query.sql_with_params()
    pairs = [(kpi.subject, kpi.metric) for kpi in KPIS]
    wanted = " OR ".join("(r.subject_type = %s AND r.metric = %s)" for _pair in pairs)
    sql = f"""
        SELECT {key}, r.metric, SUM(r.numerator), SUM(r.denominator), COUNT(*)
        FROM {MetricRecord._meta.db_table} r
        JOIN {Employee._meta.db_table} e ON e.number = r.subject
        WHERE r.run_id IN ({", ".join("%s" for _r in run_ids)})
          AND ({wanted})
          AND r.denominator IS NOT NULL
          AND r.subject IN ({people_sql})
        GROUP BY {key}, r.metric
    """
    params = [*run_ids, *(value for pair in pairs for value in pair), *people_params]
    found: Grouped = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group_key, metric, numerator, denominator, people_count in cursor.fetchall():
            found.setdefault((group_key, metric), Sums()).add(numerator, denominator, people_count)
    return found


def org_values(run_ids: Sequence[int]) -> dict[tuple[int, str], float | None]:
    """(run, metric) → the organisation's figure as the catalog stored it."""
    stored = MetricRecord.objects.filter(
        run_id__in=list(run_ids), subject_type=ORG, subject=ORG, metric__in=list(BY_METRIC)
    ).values_list("run_id", "metric", "value")
    return {(run, metric): value for run, metric, value in stored}


def person_values(number: str, run_ids: Sequence[int]) -> dict[tuple[int, str], float | None]:
    """(run, metric) → one person's own figure as the catalog stored it (their queues' for
    the answer rate and service level)."""
    stored = MetricRecord.objects.filter(
        run_id__in=list(run_ids), subject=number, metric__in=list(BY_METRIC)
    ).values_list("run_id", "subject_type", "metric", "value")
    return {
        (run, metric): value
        for run, subject_type, metric, value in stored
        if subject_type == BY_METRIC[metric].subject
    }


def figures_from(
    sums: Grouped,
    group: Any,
    whose: str,
    goals: dict[str, Target],
) -> list[Figure]:
    """The figures of one group out of grouped sums, each KPI in order."""
    found = []
    for kpi in KPIS:
        summed = sums.get((group, kpi.metric))
        value = None if summed is None else kpi.value(summed.numerator, summed.denominator)
        people = 0 if summed is None else summed.people
        found.append(Figure(kpi, value, goals[kpi.metric], whose, people))
    return found


def trend_of(
    sums: Grouped, months: Sequence[tuple[str, int]], kpi: Kpi
) -> list[tuple[str, float | None]]:
    points_found = []
    for month, run in months:
        summed = sums.get((run, kpi.metric))
        value = None if summed is None else kpi.value(summed.numerator, summed.denominator)
        points_found.append((month, value))
    return points_found
