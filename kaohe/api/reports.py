"""``/api/v1/dashboards/…``: the dashboards' figures per role — the leaders' (director,
department head, executive), the team's (a manager) and mine (an employee) — the same data
as the pages under the same policy (``kaohe.reports.policy``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from kaohe.org.policy import Access, access_for
from kaohe.reports import policy
from kaohe.reports.common import Distribution, KpiBlock, Progress
from kaohe.reports.kpis import Figure
from kaohe.reports.leaders import leaders
from kaohe.reports.mine import mine
from kaohe.reports.people import Provisional
from kaohe.reports.team import team

router = Router(tags=["reports"])


class DashTrendPointOut(Schema):
    period: str  # a month, 2026-07
    value: float | None


class DashKpiOut(Schema):
    key: str  # answer_rate, service_level, aht, fcr, csat, ces, nps, qa, complaints
    metric: str  # the catalog's metric
    label: str
    whose: str  # whose figure it is, in the caller's language
    value: float | None  # full precision; None without a base
    shown: str  # rounded for people
    target: float
    target_source: str  # the scheme whose rule sets it, "" for the default table
    met: bool | None
    people: int  # whose figures it sums (0: the catalog's organisation figure)
    trend: list[DashTrendPointOut]


class DashGroupKpiOut(Schema):
    key: str
    value: float | None
    shown: str
    met: bool | None


class DashGroupOut(Schema):
    name: str
    kpis: list[DashGroupKpiOut]


class DashStateCountOut(Schema):
    state: str
    label: str
    count: int


class DashProgressOut(Schema):
    cycle: str
    period: str
    total: int
    done: int  # with a locked result
    states: list[DashStateCountOut]


class DashDistributionOut(Schema):
    cycle: str
    provisional: bool  # provisional grades (else locked results)
    counts: dict[str, int]
    guideline: bool


class DashHeatCellOut(Schema):
    indicator: str
    team: str
    attainment: float  # points earned ÷ points possible, the team's mean, 0–1
    people: int


class DashFindingOut(Schema):
    indicator: str
    low: int
    people: int
    hint: str


class DashBudgetRowOut(Schema):
    department: str
    people: int
    base_total: str
    pay_total: str
    budget: str | None


class LeadersDashboardOut(Schema):
    scope: str
    people: int
    period: str  # the current period: the latest month with stored values
    kpis: list[DashKpiOut]
    centres: list[DashGroupOut]
    teams: list[DashGroupOut]
    progress: DashProgressOut | None
    distribution: DashDistributionOut | None
    heatmap: list[DashHeatCellOut]
    findings: list[DashFindingOut]
    budget_cycle: str
    budget: list[DashBudgetRowOut]


class DashProvisionalOut(Schema):
    appraisal: int
    employee: str  # the employee number
    name: str
    state: str
    total: str | None  # rounded for people, two decimals
    grade: str
    projected: str | None  # the total heading for the period's end
    projected_grade: str
    at_risk: bool  # heading for one of the two lowest grades
    missing: int  # values the score waits on
    waits_on_me: bool


class DashGoalAtRiskOut(Schema):
    id: int
    title: str
    owner: str
    confidence: str  # at_risk or off_track


class TeamDashboardOut(Schema):
    people: int
    period: str
    kpis: list[DashKpiOut]
    cycle: str
    scores: list[DashProvisionalOut]
    distribution: DashDistributionOut | None
    at_risk: list[str]  # employee numbers
    goals_at_risk: list[DashGoalAtRiskOut]


class DashMoveOut(Schema):
    id: str  # the indicator's id in the scheme
    indicator: str
    value: str
    needed: str
    change: str
    more: bool
    percent: bool  # the change is in percentage points
    points_now: str
    points_then: str


class DashGoalOut(Schema):
    id: int
    title: str
    period: str
    completion: float | None
    confidence: str


class DashPastOut(Schema):
    cycle: str
    period: str
    total: str
    grade: str


class MyDashboardOut(Schema):
    period: str
    kpis: list[DashKpiOut]
    colleagues: dict[str, str]  # KPI key → the colleagues' figure (at least 5 people)
    cycle: str
    score: DashProvisionalOut | None
    moves: list[DashMoveOut]
    goals: list[DashGoalOut]
    history: list[DashPastOut]


def _kpi(figure: Figure) -> DashKpiOut:
    return DashKpiOut(
        key=figure.kpi.key, metric=figure.kpi.metric, label=str(figure.kpi.label),
        whose=figure.whose, value=figure.value, shown=figure.shown,
        target=figure.target.value, target_source=figure.target.source, met=figure.met,
        people=figure.people,
        trend=[DashTrendPointOut(period=p, value=v) for p, v in figure.trend],
    )  # fmt: skip


def _kpis(block: KpiBlock) -> list[DashKpiOut]:
    return [_kpi(figure) for figure in block.figures]


def _groups(groups: list[tuple[str, list[Figure]]]) -> list[DashGroupOut]:
    return [
        DashGroupOut(
            name=name,
            kpis=[
                DashGroupKpiOut(key=f.kpi.key, value=f.value, shown=f.shown, met=f.met)
                for f in figures
            ],
        )
        for name, figures in groups
    ]


def _progress(found: Progress | None) -> DashProgressOut | None:
    if found is None:
        return None
    return DashProgressOut(
        cycle=found.cycle, period=found.period, total=found.total, done=found.done,
        states=[DashStateCountOut(state=s, label=label, count=n) for s, label, n in found.states],
    )  # fmt: skip


def _distribution(found: Distribution | None) -> DashDistributionOut | None:
    if found is None:
        return None
    return DashDistributionOut(cycle=found.cycle, provisional=found.provisional,
                           counts=found.counts, guideline=found.guideline)  # fmt: skip


def _score(row: Provisional, waiting: set[int]) -> DashProvisionalOut:
    return DashProvisionalOut(
        appraisal=row.appraisal_id, employee=row.number, name=row.name, state=row.state,
        total=None if row.total is None else row.total_shown, grade=row.grade,
        projected=None if row.projected is None else row.projected_shown,
        projected_grade=row.projected_grade, at_risk=row.at_risk, missing=row.missing,
        waits_on_me=row.appraisal_id in waiting,
    )  # fmt: skip


def _allowed(request: HttpRequest, check: Any) -> Access:
    access = access_for(request)
    if not check(access):
        raise PermissionDenied
    return access


@router.get(
    "/dashboards/leaders",
    response=LeadersDashboardOut,
    summary="The leaders' dashboard: KPIs per centre and team, cycle, grades, heatmap, budget",
)
def leaders_dashboard(request: HttpRequest) -> Any:
    board = leaders(_allowed(request, policy.can_open_leaders_dashboard))
    rows, _total = board.budget or ([], None)
    return LeadersDashboardOut(
        scope=board.scope, people=board.people, period=board.kpis.period,
        kpis=_kpis(board.kpis), centres=_groups(board.centres), teams=_groups(board.teams),
        progress=_progress(board.progress), distribution=_distribution(board.distribution),
        heatmap=[DashHeatCellOut(indicator=i, team=t, attainment=a, people=n)
                 for i, t, a, n in board.cells],
        findings=[DashFindingOut(indicator=f["name"], low=f["low"], people=f["people"],
                             hint=f["hint"]) for f in board.findings],
        budget_cycle=board.budget_cycle,
        budget=[DashBudgetRowOut(department=r.department, people=r.people,
                             base_total=str(r.base_total), pay_total=str(r.pay_total),
                             budget=None if r.budget is None else str(r.budget))
                for r in rows],
    )  # fmt: skip


@router.get(
    "/dashboards/team",
    response=TeamDashboardOut,
    summary="The manager's dashboard: the team's KPIs, provisional scores, risks and goals",
)
def team_dashboard(request: HttpRequest) -> Any:
    board = team(_allowed(request, policy.can_open_team_dashboard))
    return TeamDashboardOut(
        people=board.people, period=board.kpis.period, kpis=_kpis(board.kpis),
        cycle=board.cycle, scores=[_score(row, board.waiting) for row in board.rows],
        distribution=_distribution(board.distribution),
        at_risk=[row.number for row in board.at_risk],
        goals_at_risk=[DashGoalAtRiskOut(id=g["id"], title=g["title"], owner=g["owner"],
                                     confidence=g["confidence"]) for g in board.goals_at_risk],
    )  # fmt: skip


@router.get(
    "/dashboards/mine",
    response=MyDashboardOut,
    summary="My dashboard: my KPIs, provisional score, what would move it, goals, history",
)
def my_dashboard(request: HttpRequest) -> Any:
    board = mine(_allowed(request, policy.can_open_my_dashboard))
    return MyDashboardOut(
        period=board.kpis.period, kpis=_kpis(board.kpis), colleagues=board.team_figures,
        cycle=board.cycle,
        score=None if board.score is None else _score(board.score, set()),
        moves=[DashMoveOut(id=m.id, indicator=m.indicator, value=m.value, needed=m.needed,
                       change=m.change, more=m.more, percent=m.percent, points_now=m.points_now,
                       points_then=m.points_then) for m in board.moves],
        goals=[DashGoalOut(id=g["id"], title=g["title"], period=g["period"],
                         completion=None if g["completion"] is None else float(g["completion"]),
                         confidence=g["confidence"]) for g in board.goals],
        history=[DashPastOut(cycle=p.cycle, period=p.period, total=p.total, grade=p.grade)
                 for p in board.history],
    )  # fmt: skip
