"""The demo's quarterly cycle: 2026-Q3 over the whole 企服部, launched and then moved on by
the people themselves through the real workflow, so that appraisals sit in every state and
one finalised result has an open appeal.

The raters rate as real managers do: their impression of a person follows what the
person's data already shows (the share of the possible points their metric-fed indicators
earn), give or take, so that strong agents tend to get good ratings and the grades spread
like a real department's, around B and C. Counts and peer scores are not rated: the other
apps' demos log incidents and run 360 reviews for a launched cycle (``prepare``) before
anyone is rated, and the managers' reviews freeze them like the metrics.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from kaohe.core import Direction, IndicatorStatus, InputKind, InputSpec, PerEvent, Rule, Tiers
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
    self_inputs,
    take,
)
from .models import Appraisal, Cycle
from .scoring import score_appraisal
from .workflow import State

NAME = "2026年第三季度绩效考核"
BASE_PAY = {"客服总监": "12000", "客服组长": "5000", "技术支持主管": "5000", "行政主管": "4500"}
DEFAULT_BASE_PAY = Decimal(3000)

# Where each appraisal stops, in turn; the demo accounts get the ones named below.
# Calibration and the results come up more often: the demo's calibration session and its
# pay list need people there.
SPREAD = [
    State.DRAFT, State.CONFIRMING, State.IN_PROGRESS, State.SELF_ASSESSMENT,
    State.MANAGER_REVIEW, State.CALIBRATION, State.CALIBRATION, State.CALIBRATION,
    State.INTERVIEW, State.ACKNOWLEDGEMENT, State.FINALISING, State.FINALISED,
    State.CALIBRATION, State.FINALISED, State.CLOSED, State.CLOSED,
]  # fmt: skip
# Two leads lean: one rates about a level above what the data shows, one about a level
# below, for the calibration session's rater checks to find.
LEANING = {"客服二组": 0.22, "客服三组": -0.22}
FOR_ACCOUNT = {"agent": State.SELF_ASSESSMENT, "manager": State.CONFIRMING}


HISTORY_NAME = "2026年第二季度绩效考核"
# The year before the running cycle, oldest first: with 2026-Q2, four finalised quarters.
EARLIER = (
    ("2025年第三季度绩效考核", "2025-Q3"),
    ("2025年第四季度绩效考核", "2025-Q4"),
    ("2026年第一季度绩效考核", "2026-Q1"),
)


# What the other apps record about a launched cycle's people before anyone is rated — the
# incidents and 360 reviews the managers' reviews freeze into the appraisals.
Prepare = Callable[[Cycle], None]


def launch_history_cycle(prepare: Prepare | None = None) -> Cycle | None:
    """The quarter before, 2026-Q2, walked to closed for everyone it can score: the history
    that promotion candidates and trends read. Unless it exists; the cycle, when made now."""
    return _closed_cycle(HISTORY_NAME, "2026-Q2", prepare, seed=2025)


def launch_earlier_cycles() -> list[Cycle]:
    """The three quarters before 2026-Q2, each walked to closed like it (without a 360):
    the year of results that trends across cycles read. The cycles made now, oldest first;
    call it before ``launch_history_cycle`` so that the cycles keep time's order."""
    made = [
        _closed_cycle(name, period, None, seed=2022 + index)
        for index, (name, period) in enumerate(EARLIER)
    ]
    return [cycle for cycle in made if cycle is not None]


def _closed_cycle(name: str, period: str, prepare: Prepare | None, seed: int) -> Cycle | None:
    if Cycle.objects.filter(name=name).exists():
        return None
    cycle = _launched(name, period, {})
    if prepare is not None:
        prepare(cycle)
    rng = random.Random(seed)
    for appraisal in _people(cycle):
        _walk(appraisal, State.CLOSED, rng)
    cycle.refresh_from_db()
    return cycle


def _launched(name: str, period: str, deadlines: dict[State, date]) -> Cycle:
    hr = get_user_model().objects.get(username="hr")
    root = Department.objects.get(path="企服部")
    cycle = do_create_cycle(hr, CycleData(name, period, [root], appeal_days=7, deadlines=deadlines))
    settings = [
        PositionSetting(
            setting.pk, setting.version_id, left_out=setting.version_id is None,
            base_pay=Decimal(BASE_PAY.get(setting.position.name, DEFAULT_BASE_PAY)),
        )
        for setting in cycle.schemes.select_related("position")
    ]  # fmt: skip
    do_save_cycle_settings(hr, cycle, settings)
    do_launch_cycle(hr, cycle, wait=True)
    return cycle


def _people(cycle: Cycle) -> list[Appraisal]:
    return list(
        Appraisal.objects.filter(cycle=cycle).select_related(
            "employee__user", "employee__department", "rater__user", "rater__manager__user"
        )
    )


def launch_demo_cycle(prepare: Prepare | None = None) -> Cycle | None:
    """Launch and spread the demo cycle unless it exists; the cycle, when made now."""
    if Cycle.objects.filter(name=NAME).exists():
        return None
    deadlines = {
        State.CONFIRMING: date(2026, 7, 10), State.SELF_ASSESSMENT: date(2026, 10, 10),
        State.MANAGER_REVIEW: date(2026, 10, 15), State.CALIBRATION: date(2026, 10, 20),
    }  # fmt: skip
    cycle = _launched(NAME, "2026-Q3", deadlines)
    if prepare is not None:
        prepare(cycle)
    _spread(cycle)
    cycle.refresh_from_db()
    return cycle


def _spread(cycle: Cycle) -> None:
    rng = random.Random(2026)
    appealed = False
    for index, appraisal in enumerate(_people(cycle)):
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
    own = _self_ratings(appraisal, ratings, rng)
    interview = InterviewRecord(
        strengths="客户沟通耐心，问题记录完整。", improvements="复杂投诉的处理时效。",
        root_cause="skills", actions="参加投诉处理专项培训，每周复盘两单。",
    )  # fmt: skip
    steps: list[tuple[Any, str, StepInputs]] = [
        (rater or hr, "send_for_confirmation", StepInputs()),
        (employee, "confirm", StepInputs()),
        (rater or hr, "open_assessment", StepInputs()),
        (employee, "submit_self_assessment",
         StepInputs(ratings=own, comment="本季度按计划完成各项工作。")),
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
    """The rater's ratings of every manual input, following their impression of the person."""
    scheme = appraisal.version.scheme()
    rules = {name: indicator.rule for indicator in scheme.indicators() for name in indicator.inputs}
    # The data, drawn in towards the middle and give or take: a rater sees more than the
    # numbers do, and rates the extremes less far out than they are.
    leaning = LEANING.get(appraisal.employee.department.name, 0.0)
    impression = _clamp(
        0.1 + 0.85 * _standing(appraisal) + leaning + rng.gauss(0, 0.07), 0.02, 0.98
    )
    return {
        name: _rating(scheme.inputs[name], rules.get(name), impression, rng)
        for name in manual_inputs(appraisal)
    }


def _standing(appraisal: Appraisal) -> float:
    """The share of the possible points that the person's data earns so far (0–1), or a
    middling 0.7 when no data-fed indicator has a value."""
    result = score_appraisal(appraisal).result
    scored = [
        indicator
        for indicator in (result.indicators if result is not None else ())
        if indicator.status is IndicatorStatus.SCORED and indicator.points is not None
    ]
    possible = sum(indicator.indicator.max_points for indicator in scored)
    if not possible:
        return 0.7
    return float(sum(indicator.points or 0 for indicator in scored) / possible)


def _rating(spec: InputSpec, rule: Rule | None, impression: float, rng: random.Random) -> str:
    """One manual input's value for a person the rater sees at ``impression`` (0–1)."""
    if spec.kind is InputKind.LEVEL:
        return str(round(_clamp(1 + 4 * impression + rng.gauss(0, 0.4), 1, 5)))
    if spec.kind is InputKind.COUNT:
        if isinstance(rule, PerEvent) and rule.per_event < 0:
            # Events that cost points, such as violations: rare, and rarer for the strong.
            return "1" if rng.random() < 0.35 * (1 - impression) else "0"
        return str(max(0, round(rng.gauss(3 * impression - 0.8, 0.7))))
    if spec.kind is InputKind.PERCENT:
        if isinstance(rule, Tiers) and rule.direction is Direction.LOWER:
            return f"{0.2 + 1.6 * (1 - impression):.2f}"
        return f"{_clamp(72 + 25 * impression + rng.gauss(0, 3), 0, 100):.1f}"
    low = float(spec.minimum) if spec.minimum is not None else 0.0
    if spec.maximum is None:
        return str(low)
    share = _clamp(0.5 + 0.45 * impression + rng.gauss(0, 0.04), 0, 1)
    return f"{low + (float(spec.maximum) - low) * share:.1f}"


def _self_ratings(
    appraisal: Appraisal, ratings: dict[str, str], rng: random.Random
) -> dict[str, str]:
    """The employee's own view of the anchored items: the rater's level, now and then one
    higher."""
    own = {}
    for name in self_inputs(appraisal):
        level = int(ratings[name])
        own[name] = str(min(5, level + 1) if rng.random() < 0.35 else level)
    return own


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))
