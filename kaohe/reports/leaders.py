"""The leaders' dashboard (director, department head, executive): the KPIs now against
their targets for the reader's whole scope, per centre and per team, with the 12-month
trend; the running cycle's progress; the last results' grade distribution against the
guideline; the indicator × team heatmap of attainment and the organisation diagnosis
(``kaohe.development``'s); the pay budget (``kaohe.pay``'s).

Centres are the departments one level below the top (企服部/客服中心), where a person's
department path is deeper; teams are the people who share a direct manager."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kaohe.development.diagnosis import report
from kaohe.i18n import current_lang
from kaohe.org.models import Department, Employee
from kaohe.org.policy import Access
from kaohe.pay.paylist import DepartmentCost, budget

from . import charts, common, kpis, policy


@dataclass
class Leaders:
    scope: str  # whose figures: the whole organisation, or those below the reader
    people: int
    kpis: common.KpiBlock
    centres: list[tuple[str, list[kpis.Figure]]]
    teams: list[tuple[str, list[kpis.Figure]]]  # every team (the API's)
    teams_shown: list[tuple[str, list[kpis.Figure]]]  # the page's: those furthest below target
    progress: common.Progress | None
    distribution: common.Distribution | None
    heatmap: charts.Chart | None
    cells: list[tuple[str, str, float, int]]  # (indicator, team, attainment 0–1, people)
    findings: list[Any]
    diagnosis_cycle: str
    budget: tuple[list[DepartmentCost], DepartmentCost] | None
    budget_cycle: str


def leaders(access: Access) -> Leaders:
    return common.cached(policy.LEADERS, policy.leaders_scope_key(access), lambda: _build(access))


def _build(access: Access) -> Leaders:
    people = policy.leaders_people(access)
    whole = access_reads_all(access)
    scope = _("the whole organisation") if whole else _("everyone below you")
    block = common.kpi_block(people, scope, whole_org=whole)
    centres, teams = _groups(people, block)
    appraisals = policy.leaders_appraisals(access)
    cycle = common.running_cycle(appraisals)
    last = common.last_cycle_with_results(appraisals)
    locked = common.cached(
        "leaders-results", policy.leaders_scope_key(access),
        lambda: _from_results(access, appraisals, last), steps=False,
    )  # fmt: skip
    distribution, heatmap, cells, findings, spent, budget_cycle = locked
    return Leaders(
        scope,
        people.count(),
        block,
        centres,
        teams,
        furthest_below(teams),
        common.progress(appraisals, cycle),
        distribution,
        heatmap,
        cells,
        findings,
        last.name if last else "",
        spent,
        budget_cycle.name if budget_cycle else "",
    )


TEAMS_SHOWN = 30  # a page of 487 teams × 9 KPIs reads as nothing, and renders slowly
HEATMAP_COLUMNS = 12  # beyond as many teams, the heatmap shows centres


def furthest_below(
    teams: list[tuple[str, list[kpis.Figure]]],
) -> list[tuple[str, list[kpis.Figure]]]:
    """The teams with the most KPIs below target first (then by name), at most 30."""

    def below(team: tuple[str, list[kpis.Figure]]) -> tuple[int, str]:
        return (-sum(1 for figure in team[1] if figure.met is False), team[0])

    return sorted(teams, key=below)[:TEAMS_SHOWN]


def _from_results(access: Access, appraisals: Any, last: Any) -> tuple[Any, ...]:
    """What the locked results show — the grades, the heatmap and diagnosis, the budget —
    built once per new result (the slow part at 20,000 people: every trace is read)."""
    distribution = None
    if last is not None:
        counts = common.locked_grades(appraisals, last)
        distribution = common.distribution(last, counts, provisional=False)
    heatmap, cells, findings = None, [], []
    if last is not None and policy.shows_diagnosis(access):
        heatmap, cells, findings = _diagnosis(access, last)
    spent = None
    budget_cycle = common.last_finished_cycle(appraisals)
    if budget_cycle is not None and policy.shows_budget(access):
        spent = budget(access, budget_cycle)
    return distribution, heatmap, cells, findings, spent, budget_cycle


def access_reads_all(access: Access) -> bool:
    return policy.leaders_scope_key(access) == "all"


def _groups(
    people: Any, block: common.KpiBlock
) -> tuple[list[tuple[str, list[kpis.Figure]]], list[tuple[str, list[kpis.Figure]]]]:
    """The current period's figures per centre and per team, summed in the database."""
    current = kpis.current_run(kpis.monthly_runs())
    if current is None:
        return [], []
    goals = kpis.targets()
    run = [current[1]]
    by_department = kpis.sums_by(run, people, "department")
    by_manager = kpis.sums_by(run, people, "manager")
    centres = _fold_into_centres(by_department)
    centre_names = sorted({key for key, _metric in centres})
    managers = dict(
        Employee.objects.filter(pk__in={k for k, _m in by_manager if k is not None}).values_list(
            "pk", "name"
        )
    )
    teams = sorted(((pk, _("%(name)s's team") % {"name": name}) for pk, name in managers.items()),
                   key=lambda pair: pair[1])  # fmt: skip
    return (
        common.group_figures(centres, [(c, c) for c in centre_names], goals),
        common.group_figures(by_manager, teams, goals),
    )


def _columns(diagnosis: Any) -> tuple[list[str], dict[tuple[str, str], float]]:
    """The heatmap's columns: the teams (departments), or their centres when there are more
    than a page's width of teams, each centre the people-weighted mean of its teams."""
    if len(diagnosis.groups) <= HEATMAP_COLUMNS:
        return diagnosis.groups, {key: float(cell.mean) for key, cell in diagnosis.cells.items()}
    paths = dict(Department.objects.filter(name__in=diagnosis.groups).values_list("name", "path"))
    sums: dict[tuple[str, str], list[float]] = {}
    for (indicator, group), cell in diagnosis.cells.items():
        centre = centre_of(paths.get(group, group)).rsplit("/", 1)[-1]
        total = sums.setdefault((indicator, centre), [0.0, 0.0])
        total[0] += float(cell.mean) * cell.people
        total[1] += cell.people
    folded = {key: earned / people for key, (earned, people) in sums.items() if people}
    return sorted({centre for _indicator, centre in folded}), folded


def centre_of(path: str) -> str:
    """The centre a department belongs to: its path's first two levels."""
    return "/".join(path.split("/")[:2])


def _fold_into_centres(by_department: kpis.Grouped) -> kpis.Grouped:
    paths = dict(
        Department.objects.filter(pk__in={k for k, _m in by_department}).values_list("pk", "path")
    )
    found: kpis.Grouped = {}
    for (department, metric), sums in by_department.items():
        centre = centre_of(paths[department]).rsplit("/", 1)[-1]
        found.setdefault((centre, metric), kpis.Sums()).add(
            sums.numerator, sums.denominator, sums.people
        )
    return found


def _diagnosis(
    access: Access, cycle: Any
) -> tuple[charts.Chart | None, list[tuple[str, str, float, int]], list[Any]]:
    """The indicator × team heatmap of the last results and the weak indicators, from the
    organisation diagnosis (teams being the departments the results' people are in)."""
    found = report(access, [cycle], "department")
    diagnosis = found.diagnosis
    lang = current_lang()
    findings = [
        {"name": f.name, "low": f.low, "people": f.people, "hint": f.hint(lang) if f.hint else ""}
        for f in found.findings
    ]
    if not diagnosis.indicators:
        return None, [], findings
    rows = [found.names[i] for i in diagnosis.indicators]
    columns, folded = _columns(diagnosis)
    cells = {
        (found.names[indicator], column): share for (indicator, column), share in folded.items()
    }
    chart = charts.heatmap(
        _("Attainment per indicator and team"), rows, columns, cells, kpis.share_shown
    )
    listed = [
        (found.names[indicator], group, float(cell.mean), cell.people)
        for (indicator, group), cell in sorted(diagnosis.cells.items())
    ]
    return chart, listed, findings
