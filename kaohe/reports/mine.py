"""The employee's dashboard: my KPIs against target with a sparkline (and my team's figure
beside mine where the team has at least ``policy.ANONYMITY`` people), my provisional score
and what would move it, my goals, my history across cycles, and my badges (the points
app's shelf)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from kaohe.appraisals.scoring import score_appraisal
from kaohe.org.models import Employee
from kaohe.org.policy import Access
from kaohe.points.shelf import ShelfItem, badge_shelf

from . import charts, common, kpis, people, policy


@dataclass
class Mine:
    kpis: common.KpiBlock
    team_figures: dict[str, str]  # KPI key → the team's figure, only over enough people
    team_size: int
    cycle: str
    score: people.Provisional | None
    moves: list[people.Move]
    goals: list[dict[str, Any]]
    history: list[people.Past]
    history_chart: charts.Chart | None
    badges: list[ShelfItem] = field(default_factory=list)


def mine(access: Access) -> Mine:
    me = access.employee
    built = common.cached(
        policy.MINE, f"of-{me.pk if me else 0}", lambda: _build(access),
        policy.my_appraisals(access),
    )  # fmt: skip
    # Badges are awarded after any import or locked result: read fresh, in one query.
    return replace(built, badges=badge_shelf(me)) if me is not None else built


def _build(access: Access) -> Mine:
    me = access.employee
    assert me is not None
    block = _my_kpis(me)
    peers = policy.peers(access)
    team_figures: dict[str, str] = {}
    size = peers.count()
    if policy.may_show_aggregate(size) and block.period:
        run = kpis.current_run(kpis.monthly_runs())
        assert run is not None
        sums = kpis.sums_by([run[1]], peers, "run")
        for figure in kpis.figures_from(sums, run[1], "", kpis.targets()):
            team_figures[figure.kpi.key] = figure.shown
    appraisals = list(policy.my_appraisals(access).select_related("version", "cycle"))
    running = [a for a in appraisals if a.cycle.status == a.cycle.Status.OPEN]
    current = max(running, key=lambda a: a.cycle.created_at, default=None)
    score = moves = None
    if current is not None:
        score = people.provisional(current, kpis.monthly_runs())
        moves = people.moves(score_appraisal(current))
    history = people.history(appraisals)
    history_chart = None
    if len(history) > 1:  # a line needs two cycles; one result reads in the table
        history_chart = charts.trend(
            _("My total per cycle"), [(p.period, p.total_value) for p in history], _shown
        )
    goals = [
        {"id": o.pk, "title": o.title, "period": o.period, "completion": o.completion(),
         "confidence": o.latest_confidence()}
        for o in policy.my_goals(access)
    ]  # fmt: skip
    return Mine(
        block,
        team_figures,
        size,
        current.cycle.name if current else "",
        score,
        moves or [],
        goals,
        history,
        history_chart,
    )


def _shown(value: float) -> str:
    from kaohe.display import total

    return total(value)


def _my_kpis(me: Employee) -> common.KpiBlock:
    months = kpis.monthly_runs()
    current = kpis.current_run(months)
    goals = kpis.targets()
    whose = _("mine")
    if current is None:
        return common.KpiBlock("", kpis.figures_from({}, None, whose, goals))
    runs = sorted({r for _m, r in months} | {current[1]})
    stored = kpis.person_values(me.number, runs)
    figures = []
    for kpi in kpis.KPIS:
        mine_or_queues = _("my queues") if kpi.subject == kpis.AGENT_QUEUES else whose
        figure = kpis.Figure(kpi, stored.get((current[1], kpi.metric)), goals[kpi.metric],
                             mine_or_queues, 1)  # fmt: skip
        figure.trend = [(m, stored.get((r, kpi.metric))) for m, r in months]
        figures.append(figure)
    common.draw(figures)
    return common.KpiBlock(current[0], figures, [m for m, _r in months])
