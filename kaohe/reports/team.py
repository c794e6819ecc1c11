"""The manager's dashboard: the team's KPIs and trend (all their reports, direct and
indirect), each report's provisional score in the running cycle and whether it waits on the
manager, the team's grade distribution (provisional), who is heading for one of the two
lowest grades by the period's end, and the goals at risk."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kaohe.org.policy import Access

from . import common, kpis, people, policy


@dataclass
class Team:
    people: int
    kpis: common.KpiBlock
    cycle: str
    rows: list[people.Provisional]
    waiting: set[int]  # appraisal ids whose next step is the manager's
    distribution: common.Distribution | None
    at_risk: list[people.Provisional]
    goals_at_risk: list[dict[str, Any]]

    @property
    def waiting_count(self) -> int:
        return len(self.waiting)


def team(access: Access) -> Team:
    me = access.employee
    return common.cached(
        policy.TEAM, f"of-{me.pk if me else 0}", lambda: _build(access),
        policy.team_appraisals(access),
    )  # fmt: skip


def _build(access: Access) -> Team:
    members = policy.team_people(access)
    block = common.kpi_block(members, _("your team"))
    appraisals = policy.team_appraisals(access)
    cycle = common.running_cycle(appraisals)
    rows: list[people.Provisional] = []
    distribution = None
    if cycle is not None:
        months = kpis.monthly_runs()
        in_cycle = (
            appraisals.filter(cycle=cycle).select_related("version").order_by("employee__number")
        )
        rows = [people.provisional(a, months) for a in in_cycle]
        graded = Counter(row.grade for row in rows if row.grade)
        distribution = common.distribution(cycle, graded, provisional=True)
    waiting = set(policy.waiting_on_me(access).values_list("pk", flat=True))
    goals = [
        {"id": o.pk, "title": o.title, "owner": o.owner.name, "confidence": o.confidence_now,
         "ends": o.ends}
        for o in policy.goals_at_risk(access)[:50]
    ]  # fmt: skip
    return Team(
        members.count(),
        block,
        cycle.name if cycle else "",
        rows,
        waiting,
        distribution,
        [row for row in rows if row.at_risk],
        goals,
    )
