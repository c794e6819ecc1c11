"""``/api/v1/goals/…``: OKR objectives with their key results, check-ins and alignment tree,
as the goal pages show and change them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.goals import policy
from kaohe.goals.actions import (
    CheckInInput,
    GoalRefused,
    KeyResultInput,
    ObjectiveInput,
    do_check_in,
    do_create_objective,
    do_save_objective,
)
from kaohe.goals.models import Objective
from kaohe.goals.presenter import aligned_tree
from kaohe.metrics import MetricsError, parse_period
from kaohe.org.policy import access_for

router = Router(tags=["goals"])


class KeyResultOut(Schema):
    id: int
    title: str
    kind: str  # measurable or milestone
    start: str | None
    target: str | None
    current: str | None
    unit: str
    done: bool
    metric: str  # the catalog metric it follows; "" for none
    subject: str  # own or org, for a bound one
    completion: str  # percent, 0–100


class GoalCheckInOut(Schema):
    on: date
    key_result: int | None
    value: str | None
    done: bool | None
    confidence: str  # on_track, at_risk, off_track or ""
    note: str
    by_owner: bool


class GoalOut(Schema):
    id: int
    title: str
    description: str
    level: str  # personal, team or department
    owner: str  # the owner's employee number
    owner_name: str
    department: str
    period: str
    status: str  # draft, active or closed
    cadence: str  # weekly or monthly
    parent: int | None
    completion: str | None  # mean of the key results, percent
    confidence: str
    key_results: list[KeyResultOut]
    check_ins: list[GoalCheckInOut]


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _out(objective: Objective) -> GoalOut:
    done = objective.completion()
    return GoalOut(
        id=objective.pk, title=objective.title, description=objective.description,
        level=objective.level, owner=objective.owner.number, owner_name=objective.owner.name,
        department=objective.department.path, period=objective.period, status=objective.status,
        cadence=objective.cadence, parent=objective.parent_id,
        completion=None if done is None else _plain(done.quantize(Decimal("0.01"))),
        confidence=objective.latest_confidence(),
        key_results=[
            KeyResultOut(
                id=kr.pk, title=kr.title, kind=kr.kind, start=_plain(kr.start),
                target=_plain(kr.target), current=_plain(kr.current), unit=kr.unit,
                done=kr.done, metric=kr.metric, subject=kr.subject,
                completion=_plain(kr.completion().quantize(Decimal("0.01"))) or "0",
            )
            for kr in objective.key_results.all()
        ],
        check_ins=[
            GoalCheckInOut(on=c.on, key_result=c.key_result_id, value=_plain(c.value),
                           done=c.done, confidence=c.confidence, note=c.note,
                           by_owner=c.by_owner)
            for c in objective.check_ins.all()
        ],
    )  # fmt: skip


def _visible(request: HttpRequest, goal_id: int) -> Objective:
    found = (
        Objective.objects.select_related("owner", "department")
        .prefetch_related("key_results", "check_ins")
        .filter(pk=goal_id)
        .first()
    )
    if found is None or not policy.can_view(access_for(request), found):
        raise Http404
    return found


def _refusing(call: Any) -> Any:
    try:
        return call()
    except GoalRefused as refused:
        raise HttpError(409, str(refused)) from None


class GoalFilters(Schema):
    period: str = Field("", description="A quarter or month: its goals and, for a quarter, "
                                         "its months'.")  # fmt: skip
    owner: str = Field("", description="The owner's employee number.")
    level: str = Field("", pattern="^(|personal|team|department)$")


@router.get(
    "/goals",
    response=list[GoalOut],
    summary="The goals the caller may see: their own, their people's, their departments'",
)
def goals(request: HttpRequest, filters: Query[GoalFilters]) -> Any:
    access = access_for(request)
    if not policy.can_open_goals(access):
        raise PermissionDenied
    found = policy.objectives_in_view(access).prefetch_related("key_results", "check_ins")
    if filters.period:
        try:
            period = parse_period(filters.period)
        except MetricsError as error:
            raise HttpError(422, error.text.zh if _zh(request) else error.text.en) from None
        found = found.within(period.first_day, period.last_day)
    if filters.owner:
        found = found.filter(owner__number=filters.owner)
    if filters.level:
        found = found.filter(level=filters.level)
    return [_out(o) for o in found[:500]]


def _zh(request: HttpRequest) -> bool:
    return getattr(request, "LANGUAGE_CODE", "zh-hans").startswith("zh")


class KeyResultIn(Schema):
    id: int | None = Field(None, description="An existing key result's id; none for a new one.")
    title: str
    kind: str = Field("measurable", description="measurable or milestone")
    start: Decimal | None = None
    target: Decimal | None = None
    current: Decimal | None = None
    unit: str = ""
    done: bool = False
    metric: str = Field("", description="A catalog metric it follows, e.g. "
                                        "complaint_response_2h_rate.")  # fmt: skip
    subject: str = Field("", description="own (the owner's figure) or org")
    drop: bool = False


class GoalIn(Schema):
    title: str
    description: str = ""
    level: str = Field("personal", description="personal, team or department")
    owner: str = Field("", description="The owner's employee number; none: the caller.")
    department: str = Field("", description="A team's or department's path, for its goal.")
    period: str = Field(..., description="A quarter (2026-Q3) or a month (2026-09).")
    cadence: str = Field("weekly", description="weekly or monthly")
    parent: int | None = Field(None, description="The goal it aligns to.")
    status: str = Field("draft", description="draft, or active to publish it at once")
    key_results: list[KeyResultIn] = Field(default_factory=list)


def _key_results(given: list[KeyResultIn]) -> list[KeyResultInput]:
    return [
        KeyResultInput(title=k.title, kind=k.kind, start=k.start, target=k.target,
                       current=k.current, unit=k.unit, done=k.done, metric=k.metric,
                       subject=k.subject, id=k.id, drop=k.drop)
        for k in given
    ]  # fmt: skip


@router.post("/goals", response={201: GoalOut}, summary="Set a goal with its key results")
def create(request: HttpRequest, body: GoalIn) -> Any:
    given = ObjectiveInput(
        title=body.title, description=body.description, level=body.level,
        owner=body.owner or None, department=body.department or None, period=body.period,
        cadence=body.cadence, parent=body.parent, status=body.status,
        key_results=_key_results(body.key_results),
    )  # fmt: skip
    made = _refusing(lambda: do_create_objective(request.user, given))
    return Status(201, _out(_visible(request, made.pk)))


@router.get("/goals/{goal_id}", response=GoalOut, summary="One goal")
def goal(request: HttpRequest, goal_id: int) -> Any:
    return _out(_visible(request, goal_id))


class GoalChangeIn(Schema):
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    department: str | None = None
    period: str | None = None
    cadence: str | None = None
    parent: int | None = Field(None, description="The goal it aligns to; see clear_parent.")
    clear_parent: bool = False
    status: str | None = Field(None, description="draft, active (publish, reopen) or closed")
    key_results: list[KeyResultIn] | None = Field(
        None, description="Changes to the key results; absent ones stay as they are."
    )


@router.patch(
    "/goals/{goal_id}",
    response=GoalOut,
    summary="Change a goal: text, period, alignment, status, key results",
)
def change(request: HttpRequest, goal_id: int, body: GoalChangeIn) -> Any:
    found = _visible(request, goal_id)
    given = ObjectiveInput(
        title=body.title, description=body.description, owner=body.owner,
        department=body.department, period=body.period, cadence=body.cadence,
        parent=body.parent, clear_parent=body.clear_parent, status=body.status,
        key_results=None if body.key_results is None else _key_results(body.key_results),
    )  # fmt: skip
    _refusing(lambda: do_save_objective(request.user, found.pk, given))
    return _out(_visible(request, goal_id))


class GoalCheckInIn(Schema):
    on: date
    key_result: int | None = Field(None, description="The key result it reports on.")
    value: Decimal | None = Field(None, description="A measurable key result's new value.")
    done: bool | None = Field(None, description="A milestone's new state.")
    confidence: str = Field("", description="on_track, at_risk or off_track")
    note: str = ""


@router.post(
    "/goals/{goal_id}/check-ins",
    response={201: GoalOut},
    summary="Check in on a goal (the owner) or add a note (the manager chain)",
)
def check_in(request: HttpRequest, goal_id: int, body: GoalCheckInIn) -> Any:
    found = _visible(request, goal_id)
    given = CheckInInput(on=body.on, key_result=body.key_result, value=body.value,
                         done=body.done, confidence=body.confidence, note=body.note)  # fmt: skip
    _refusing(lambda: do_check_in(request.user, found.pk, given))
    return Status(201, _out(_visible(request, goal_id)))


class GoalNodeOut(Schema):
    id: int
    title: str
    level: str
    owner: str
    period: str
    completion: str  # percent, as the page shows it
    confidence: str
    children: list[GoalNodeOut]


def _node(node: Any) -> GoalNodeOut:
    o = node.objective
    return GoalNodeOut(
        id=o.pk, title=o.title, level=o.level, owner=o.owner.number, period=o.period,
        completion=node.completion, confidence=node.confidence,
        children=[_node(child) for child in node.children],
    )  # fmt: skip


@router.get(
    "/goals/{goal_id}/tree",
    response=GoalNodeOut,
    summary="A goal and the goals aligned to it, as far as the caller may see them",
)
def tree(request: HttpRequest, goal_id: int) -> Any:
    found = _visible(request, goal_id)
    return _node(aligned_tree(access_for(request), found))
