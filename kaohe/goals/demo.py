"""The demo's OKR goals for a quarter (seed 002 §五: the director's two or three agile
quarterly goals): the director's department goals, each customer-service team lead's team
goal aligned to one of them, personal goals of a few agents aligned to their team's, one key
result bound to the complaint-ticket metric, and weekly check-ins with mixed confidence.
Everything through the real actions, as the people themselves would; the same every time.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import translation

from kaohe.metrics import parse_period
from kaohe.org.models import Department, Employee

from .actions import (
    CheckInInput,
    KeyResultInput,
    ObjectiveInput,
    do_check_in,
    do_create_objective,
)
from .models import Confidence, KeyResult, Level, Objective

ROOT = "企服部"
TEAMS = ("客服一组", "客服二组", "客服三组")
AGENTS_PER_TEAM = 2
MILESTONE = KeyResult.Kind.MILESTONE


def _measured(title: str, start: int, target: int, unit: str = "%", **bound: str) -> Any:
    return KeyResultInput(
        title=title, start=Decimal(start), target=Decimal(target), unit=unit, **bound
    )


def _director_goals() -> list[tuple[str, list[KeyResultInput]]]:
    return [
        (
            "上线智能客服系统，解决率提升15%",
            [
                KeyResultInput(title="智能客服系统完成上线验收", kind=MILESTONE),
                _measured("智能客服自助解决率", 0, 15),
                _measured(
                    "投诉 2 小时响应率 ≥ 95%",
                    80,
                    95,
                    metric="complaint_response_2h_rate",
                    subject=KeyResult.Subject.ORG,
                ),
            ],
        ),
        (
            "大客户回访全覆盖",
            [
                _measured("大客户季度回访执行率", 60, 100),
                _measured("回访问题闭环天数", 10, 5, unit="天"),  # a falling target
            ],
        ),
        (
            "建设学习型客服团队",
            [
                KeyResultInput(title="完成新版知识库上线", kind=MILESTONE),
                _measured("人均培训课时", 4, 12, unit="小时"),
            ],
        ),
    ]


TEAM_GOALS = {
    "客服一组": ("一组：投诉响应提速", 0),
    "客服二组": ("二组：大客户回访零遗漏", 1),
    "客服三组": ("三组：知识库共建", 2),
}


def demo_goals(period: str = "2026-Q3", seed: int = 2026) -> int:
    """Create the demo's goals for ``period`` (a quarter) unless goals of that period exist;
    the number of goals made.

    Arguments: ``period`` — the quarter the goals are set for, as the demo cycle's period;
    ``seed`` — the random seed of the check-ins' progress and confidence (the same seed
    gives the same goals). Needs the demo organisation (``kaohe.demo.load_demo``); run it
    after the demo data is imported so that the metric-bound key result starts from the
    stored value (later imports update it either way).
    """
    quarter = parse_period(period)
    if Objective.objects.filter(period=quarter.name).exists():
        return 0
    root = Department.objects.filter(path=ROOT).first()
    if root is None:
        return 0
    director = Employee.objects.filter(department=root, position__name="客服总监").first()
    if director is None or director.user is None:
        return 0
    rng = random.Random(seed)
    made: list[Objective] = []
    with translation.override("zh-hans"):
        tops = [
            _goal(director, quarter.name, title, krs, Level.DEPARTMENT, ROOT)
            for title, krs in _director_goals()
        ]
        made += tops
        for team in TEAMS:
            made += _team_and_agents(team, tops, quarter.name)
        for objective in made:
            _weekly_check_ins(objective, quarter.first_day, rng)
    return len(made)


def _goal(
    owner: Employee, period: str, title: str, krs: list[KeyResultInput], level: str,
    department: str | None = None, parent: int | None = None, by: Any = None,
) -> Objective:  # fmt: skip
    given = ObjectiveInput(
        title=title, level=level, owner=owner.number, department=department, period=period,
        parent=parent, status=Objective.Status.ACTIVE, key_results=krs,
    )  # fmt: skip
    return do_create_objective(by or owner.user, given)


def _team_and_agents(team: str, tops: list[Objective], period: str) -> list[Objective]:
    path = f"{ROOT}/客服中心/{team}"
    members = Employee.objects.filter(department__path=path, user__isnull=False)
    lead = members.filter(direct_reports__isnull=False).distinct().first()
    if lead is None:
        return []
    title, top = TEAM_GOALS[team]
    team_goal = _goal(
        lead, period, title,
        [_measured("组内投诉 2 小时响应率", 82, 95), _measured("组内首次解决率", 70, 80),
         KeyResultInput(title="每周复盘一次典型投诉", kind=MILESTONE)],
        Level.TEAM, path, tops[top].pk,
    )  # fmt: skip
    made = [team_goal]
    agents = members.filter(manager=lead).order_by("number")[:AGENTS_PER_TEAM]
    for agent in agents:
        made.append(
            _goal(
                agent,
                period,
                f"{agent.name}：提升一次解决能力",
                [
                    _measured("个人首次解决率", 68, 80, metric="fcr_rate"),
                    _measured("平均处理时长（分钟）", 9, 7, unit="分钟"),
                    KeyResultInput(title="通过进阶话术考核", kind=MILESTONE),
                ],
                Level.PERSONAL,
                parent=team_goal.pk,
            )
        )
    return made


CONFIDENCES = [Confidence.ON_TRACK] * 3 + [Confidence.AT_RISK] * 2 + [Confidence.OFF_TRACK]
NOTES = ("按计划推进", "本周进展顺利", "资源紧张，需协调", "客户配合度不高", "已与团队复盘")


def _weekly_check_ins(objective: Objective, first_day: Any, rng: random.Random) -> None:
    """Six weekly check-ins by the owner, each moving one hand-entered key result on and
    saying how confident they are; a milestone is done at the fourth."""
    user = objective.owner.user
    manual = [kr for kr in objective.key_results.all() if not kr.metric]
    for week in range(6):
        on = first_day + timedelta(days=4 + 7 * week)
        kr = manual[week % len(manual)]
        value = done = None
        if kr.kind == MILESTONE:
            done = week >= 3
        else:
            assert kr.start is not None and kr.target is not None
            share = Decimal(min(week + 1, 6)) / 8 + Decimal(rng.randint(-5, 5)) / 100
            value = (kr.start + (kr.target - kr.start) * share).quantize(Decimal("0.1"))
        do_check_in(
            user, objective.pk,
            CheckInInput(on=on, key_result=kr.pk, value=value, done=done,
                         confidence=rng.choice(CONFIDENCES), note=rng.choice(NOTES)),
        )  # fmt: skip
