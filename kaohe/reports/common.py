"""What the three dashboards share: the KPI block over a group of people, the running
cycle's progress, a grade distribution against its guideline, and the cache key."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Appraisal, Cycle, Result, Transition
from kaohe.appraisals.scoring import grades_of
from kaohe.appraisals.workflow import STATE_LABELS, State
from kaohe.calibration.models import CycleGuideline
from kaohe.display import count
from kaohe.i18n import current_lang
from kaohe.org.models import Employee

from . import charts, kpis

KEPT_SECONDS = 6 * 3600  # a new import or result changes the key long before


def cached[T](
    kind: str,
    scope: str,
    build: Callable[[], T],
    changed: QuerySet[Appraisal] | None = None,
    *,
    steps: bool = True,
) -> T:
    """The dashboard as built after the latest import and result change, in the reader's
    language. The key holds the newest metric computation, locked result and workflow step
    (so that any of them builds it afresh) and, for a small scope (``changed``: a team, one
    person), the newest change to its appraisals, so that a rating shows at once. Figures
    of locked results alone leave the steps out (``steps=False``): a step elsewhere in the
    organisation then does not rebuild them."""
    result = Result.objects.aggregate(latest=Max("id"))["latest"] or 0
    step = Transition.objects.aggregate(latest=Max("id"))["latest"] or 0 if steps else 0
    stamp = 0.0
    if changed is not None:
        at = changed.order_by().aggregate(at=Max("updated_at"))["at"]
        stamp = at.timestamp() if at else 0.0
    key = f"dash:{kind}:{scope}:{current_lang()}:{kpis.latest_run_id()}:{result}:{step}:{stamp}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, KEPT_SECONDS)
    return found  # type: ignore[no-any-return]


# --- KPIs ---------------------------------------------------------------------------------


@dataclass
class KpiBlock:
    period: str  # the current period's name, "" without stored values
    figures: list[kpis.Figure]
    months: list[str] = field(default_factory=list)

    @property
    def has_values(self) -> bool:
        return any(figure.value is not None for figure in self.figures)


def kpi_block(people: QuerySet[Employee], whose: str, *, whole_org: bool = False) -> KpiBlock:
    """The group's KPIs now against their targets, each with its 12-month trend."""
    months = kpis.monthly_runs()
    current = kpis.current_run(months)
    goals = kpis.targets()
    if current is None:
        return KpiBlock("", kpis.figures_from({}, None, whose, goals))
    period, run = current
    runs = sorted({r for _m, r in months} | {run})
    if whole_org:
        figures = _org_figures(run, months, whose, goals)
    else:
        sums = kpis.sums_by(runs, people, "run")
        figures = kpis.figures_from(sums, run, whose, goals)
        for figure in figures:
            figure.trend = kpis.trend_of(sums, months, figure.kpi)
    draw(figures)
    return KpiBlock(period, figures, [m for m, _r in months])


def _org_figures(
    run: int, months: Sequence[tuple[str, int]], whose: str, goals: dict[str, kpis.Target]
) -> list[kpis.Figure]:
    stored = kpis.org_values([run, *(r for _m, r in months)])
    found = []
    for kpi in kpis.KPIS:
        figure = kpis.Figure(kpi, stored.get((run, kpi.metric)), goals[kpi.metric], whose)
        figure.trend = [(m, stored.get((r, kpi.metric))) for m, r in months]
        found.append(figure)
    return found


def draw(figures: list[kpis.Figure]) -> None:
    for figure in figures:
        title = f"{figure.kpi.label} · {figure.whose}"
        goal = figure.target.value
        figure.chart = charts.trend(title, figure.trend, figure.kpi.shown, goal)
        figure.spark = charts.sparkline(title, figure.trend, figure.kpi.shown, goal)


def group_figures(
    sums: kpis.Grouped, groups: Sequence[tuple[Any, str]], goals: dict[str, kpis.Target]
) -> list[tuple[str, list[kpis.Figure]]]:
    """Per group (key, its name) its current figures, for a table of centres or teams."""
    return [(name, kpis.figures_from(sums, key, name, goals)) for key, name in groups]


# --- cycle progress -------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    cycle: str
    period: str
    total: int
    states: list[tuple[str, str, int]]  # (state, its label, how many)
    chart: charts.Chart

    @property
    def done(self) -> int:
        return sum(n for state, _label, n in self.states if state in DONE_STATES)


DONE_STATES = {str(State.FINALISED), str(State.APPEAL), str(State.CLOSED)}


def running_cycle(appraisals: QuerySet[Appraisal]) -> Cycle | None:
    """The newest open cycle these appraisals belong to."""
    ids = appraisals.filter(cycle__status=Cycle.Status.OPEN).values("cycle_id")
    return Cycle.objects.filter(pk__in=ids).order_by("-created_at", "-pk").first()


def progress(appraisals: QuerySet[Appraisal], cycle: Cycle | None) -> Progress | None:
    if cycle is None:
        return None
    counted = dict(
        appraisals.filter(cycle=cycle).order_by().values_list("state").annotate(n=Count("pk"))
    )
    states = [(str(s), str(STATE_LABELS[s]), counted[str(s)]) for s in State if str(s) in counted]
    chart = charts.bars(
        _("Appraisals by stage"),
        [charts.Bar(label, n) for _s, label, n in states],
        lambda v: count(v),
        _("appraisals"),
    )
    return Progress(cycle.name, cycle.period, sum(counted.values()), states, chart)


# --- grade distribution --------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    cycle: str
    counts: dict[str, int]
    provisional: bool  # from provisional scores (else locked results)
    chart: charts.Chart
    guideline: bool

    @property
    def people(self) -> int:
        return sum(self.counts.values())


def last_finished_cycle(appraisals: QuerySet[Appraisal]) -> Cycle | None:
    """The newest cycle whose appraisals (of these) all hold a locked result: its pay adds
    up without scoring anyone provisionally."""
    ids = appraisals.filter(results__isnull=False).values("cycle_id")
    for found in Cycle.objects.filter(pk__in=ids).order_by("-created_at", "-pk")[:4]:
        if not appraisals.filter(cycle=found).exclude(state__in=DONE_STATES).exists():
            return found
    return None


def last_cycle_with_results(appraisals: QuerySet[Appraisal]) -> Cycle | None:
    ids = appraisals.filter(results__isnull=False).values("cycle_id")
    return Cycle.objects.filter(pk__in=ids).order_by("-created_at", "-pk").first()


def locked_grades(appraisals: QuerySet[Appraisal], cycle: Cycle) -> Counter[str]:
    """Per grade, the appraisals whose latest result has it: counted in the database."""
    newest = Result.objects.filter(appraisal=OuterRef("pk")).order_by("-number")
    graded = (
        appraisals.filter(cycle=cycle, results__isnull=False)
        .order_by()
        .annotate(grade=Subquery(newest.values("grade")[:1]))
        .values_list("grade")
        .annotate(n=Count("pk", distinct=True))
    )
    return Counter(dict(graded))


def distribution(cycle: Cycle, counts: Counter[str], *, provisional: bool) -> Distribution:
    grades = grades_of(cycle)
    held = CycleGuideline.objects.filter(cycle=cycle).first()
    guideline = held.guideline(grades) if held is not None else None
    check = guideline.check(counts) if guideline is not None else None
    allowed = {g.grade: (g.minimum, g.maximum, not g.within) for g in check.grades} if check else {}
    items = []
    for grade in grades:
        low, high, outside = allowed.get(grade, (0, 0, False))
        items.append(
            charts.Bar(
                grade, counts.get(grade, 0), (low, high) if grade in allowed else None, outside
            )
        )
    chart = charts.bars(_("People per grade"), items, lambda v: count(v), _("people"))
    return Distribution(cycle.name, dict(counts), provisional, chart, check is not None)
