"""The demo's quarterly cycle: 2026-Q3 over the whole 企服部, launched and then moved on by
the people themselves through the real workflow, so that appraisals sit in every state and
one finalised result has an open appeal."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from kaohe.core import InputKind
from kaohe.org.models import Department

from .actions import (
    CycleData,
    InterviewRecord,
    PositionSetting,
    StepInputs,
    WorkflowError,
    do_create_cycle,
    do_launch_cycle,
    do_save_cycle_settings,
    manual_inputs,
    take,
)
from .models import Appraisal, Cycle
from .workflow import State

NAME = "2026年第三季度绩效考核"
BASE_PAY = {"客服总监": "12000", "客服组长": "5000", "技术支持主管": "5000", "行政主管": "4500"}
DEFAULT_BASE_PAY = Decimal(3000)

# Where each appraisal stops, in turn; the demo accounts get the ones named below.
SPREAD = [
    State.DRAFT, State.CONFIRMING, State.IN_PROGRESS, State.SELF_ASSESSMENT,
    State.MANAGER_REVIEW, State.CALIBRATION, State.INTERVIEW, State.ACKNOWLEDGEMENT,
    State.FINALISED, State.CLOSED,
]  # fmt: skip
FOR_ACCOUNT = {"agent": State.SELF_ASSESSMENT, "manager": State.CONFIRMING}


def launch_demo_cycle() -> Cycle | None:
    """Launch and spread the demo cycle unless it exists; the cycle, when made now."""
    if Cycle.objects.filter(name=NAME).exists():
        return None
    hr = get_user_model().objects.get(username="hr")
    root = Department.objects.get(path="企服部")
    deadlines = {
        State.CONFIRMING: date(2026, 7, 10), State.SELF_ASSESSMENT: date(2026, 10, 10),
        State.MANAGER_REVIEW: date(2026, 10, 15), State.CALIBRATION: date(2026, 10, 20),
    }  # fmt: skip
    cycle = do_create_cycle(
        hr, CycleData(NAME, "2026-Q3", [root], appeal_days=7, deadlines=deadlines)
    )
    settings = [
        PositionSetting(
            setting.pk, setting.version_id, left_out=setting.version_id is None,
            base_pay=Decimal(BASE_PAY.get(setting.position.name, DEFAULT_BASE_PAY)),
        )
        for setting in cycle.schemes.select_related("position")
    ]  # fmt: skip
    do_save_cycle_settings(hr, cycle, settings)
    do_launch_cycle(hr, cycle, wait=True)
    _spread(cycle)
    cycle.refresh_from_db()
    return cycle


def _spread(cycle: Cycle) -> None:
    rng = random.Random(2026)
    appraisals = list(
        Appraisal.objects.filter(cycle=cycle).select_related(
            "employee__user", "rater__user", "rater__manager__user"
        )
    )
    appealed = False
    for index, appraisal in enumerate(appraisals):
        username = appraisal.employee.user.get_username() if appraisal.employee.user else ""
        goal = FOR_ACCOUNT.get(username, SPREAD[index % len(SPREAD)])
        if goal is State.FINALISED and not appealed:
            goal, appealed = State.APPEAL, True
        _walk(appraisal, goal, rng)


def _walk(appraisal: Appraisal, goal: State, rng: random.Random) -> None:
    employee = appraisal.employee.user
    rater = appraisal.rater.user if appraisal.rater else None
    hr = get_user_model().objects.get(username="hr")
    ratings = _ratings(appraisal, rng)
    interview = InterviewRecord(
        strengths="客户沟通耐心，问题记录完整。", improvements="复杂投诉的处理时效。",
        root_cause="skills", actions="参加投诉处理专项培训，每周复盘两单。",
    )  # fmt: skip
    steps: list[tuple[Any, str, StepInputs]] = [
        (rater or hr, "send_for_confirmation", StepInputs()),
        (employee, "confirm", StepInputs()),
        (rater or hr, "open_assessment", StepInputs()),
        (employee, "submit_self_assessment",
         StepInputs(ratings=ratings, comment="本季度按计划完成各项工作。")),
        (rater, "submit_review", StepInputs(ratings=ratings, comment="整体表现稳定，服务意识好。")),
        (hr, "calibrate", StepInputs()),
        (rater, "record_interview", StepInputs(interview=interview)),
        (employee, "acknowledge", StepInputs()),
        (hr, "finalise", StepInputs()),
        (employee, "appeal", StepInputs(reason="质检抽样只有两通电话，希望复核。")),
    ]  # fmt: skip
    if goal is State.CLOSED:
        steps = steps[:-1]
    for user, action, given in steps:
        if Appraisal.objects.get(pk=appraisal.pk).state == goal:
            return
        if user is None:
            return
        try:
            take(user, appraisal.pk, action, given)
        except WorkflowError:
            return  # e.g. a score the scheme cannot complete without data: stop there
    if goal is State.CLOSED:
        Appraisal.objects.filter(pk=appraisal.pk).update(appeal_until="2026-10-31T00:00:00Z")
        take(hr, appraisal.pk, "close")


def _ratings(appraisal: Appraisal, rng: random.Random) -> dict[str, str]:
    scheme = appraisal.version.scheme()
    values = {}
    for name in manual_inputs(appraisal):
        spec = scheme.inputs[name]
        if spec.kind is InputKind.LEVEL:
            values[name] = str(rng.choice([3, 4, 4, 5]))
        elif spec.kind is InputKind.PERCENT:
            values[name] = str(rng.randint(82, 99))
        elif spec.kind is InputKind.COUNT:
            values[name] = str(rng.choice([0, 0, 1]))
        else:
            low = spec.minimum if spec.minimum is not None else Decimal(0)
            values[name] = str(low)
    return values
