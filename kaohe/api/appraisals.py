"""``/api/v1/appraisals``: the appraisals the caller may see, as the appraisal list shows
them, with pay only where the caller may see it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kaohe.appraisals import policy
from kaohe.appraisals.actions import InterviewRecord, StepInputs, WorkflowError, take
from kaohe.appraisals.listing import NewestCycleFirst
from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.scoring import score_appraisal
from kaohe.appraisals.workflow import ACTIONS, STATE_LABELS, State
from kaohe.core import Outcome, result_data
from kaohe.i18n import current_lang
from kaohe.org.policy import access_for

from .pages import Page, PageQuery, page_of

router = Router(tags=["appraisals"])


class AppraisalFilters(PageQuery):
    cycle: int | None = Field(None, description="A cycle's id.")
    state: State | None = Field(None, description="A workflow state, e.g. manager_review.")
    employee: str = Field("", description="An employee number.")
    waiting_on_me: bool = Field(False, description="Only those that wait on the caller.")


class CycleRef(Schema):
    id: int
    name: str
    period: str


class PersonRef(Schema):
    number: str
    name: str


class ResultOut(Schema):
    version: int  # 1, then one more for each appeal's new version
    total: Decimal
    grade: str
    coefficient: Decimal
    pay: Decimal | None  # null where the caller may not see pay, or no base pay was set


class AppraisalRow(Schema):
    id: int
    employee: PersonRef
    cycle: CycleRef
    state: str
    state_label: str  # in the requested language
    waiting_on_me: bool
    result: ResultOut | None  # the latest recorded result; null before one is recorded


@router.get(
    "/appraisals",
    response=Page[AppraisalRow],
    summary="The appraisals the caller may see",
    description="Newest cycle first, then by employee number, as the appraisal list shows "
    "them. Pay is shown where the caller may see it: to the employee, HR in scope and "
    "executive viewers.",
)
def appraisals(request: HttpRequest, filters: Query[AppraisalFilters]) -> Any:
    access = access_for(request)
    found = policy.visible_appraisals(access)
    if filters.cycle is not None:
        found = found.filter(cycle_id=filters.cycle)
    if filters.state is not None:
        found = found.filter(state=filters.state)
    if filters.employee:
        found = found.filter(employee__number=filters.employee)
    if filters.waiting_on_me:
        found = found.filter(policy.waiting_on(access))
    return page_of(NewestCycleFirst(found), filters, lambda ids: _rows(access, ids))


def _rows(access: Any, ids: list[int]) -> list[AppraisalRow]:
    loaded = Appraisal.objects.select_related("employee", "cycle").in_bulk(ids)
    listed = [loaded[pk] for pk in ids if pk in loaded]
    mine = policy.waiting_on_among(access, listed)
    pay_shown = policy.pay_visible_among(access, listed)
    latest: dict[int, Result] = {}
    for result in Result.objects.filter(appraisal_id__in=ids).order_by("number"):
        latest[result.appraisal_id] = result  # the highest number wins
    return [
        AppraisalRow(
            id=a.pk,
            employee=PersonRef(number=a.employee.number, name=a.employee.name),
            cycle=CycleRef(id=a.cycle_id, name=a.cycle.name, period=a.cycle.period),
            state=a.state,
            state_label=str(STATE_LABELS[State(a.state)]),
            waiting_on_me=a.pk in mine,
            result=_result(latest.get(a.pk), a.pk in pay_shown),
        )
        for a in listed
    ]


def _result(result: Result | None, pay_shown: bool) -> ResultOut | None:
    return None if result is None else ResultOut(**_result_fields(result, pay_shown))


def _result_fields(result: Result, pay_shown: bool) -> dict[str, Any]:
    return {
        "version": result.number,
        "total": result.total,
        "grade": result.grade,
        "coefficient": result.coefficient,
        "pay": result.pay if pay_shown else None,
    }


class ActionRef(Schema):
    name: str  # as in POST /api/v1/appraisals/{id}/actions/{name}
    label: str  # in the requested language


class StepOut(Schema):
    at: datetime
    action: str
    source: str
    target: str
    by: str  # the person's name, or "system"
    reason: str


class InterviewOut(Schema):
    held_at: datetime
    strengths: str
    improvements: str
    root_cause: str
    causes: dict[str, str]  # weak indicator id → root cause
    actions: str


class AppealOut(Schema):
    filed_at: datetime
    reason: str
    decision: str  # pending, upheld or adjusted
    decision_reason: str
    decided_at: datetime | None


class VersionRef(ResultOut):
    reason: str  # why a new version was made (an appeal's adjustment); empty for the first
    created_at: datetime


class AppraisalOut(Schema):
    id: int
    employee: PersonRef
    cycle: CycleRef
    rater: PersonRef | None
    state: str
    state_label: str
    final: bool  # the score is a locked result; otherwise provisional
    data_cutoff: datetime | None  # the inputs are frozen as of then (the manager's review)
    # The score at full precision, as the core writes it: total, grade, coefficient, pay
    # (where the caller may see pay), every dimension (weight, earned, possible, score)
    # and indicator (values, points, max points, the explanation in the requested
    # language), and while incomplete the secured score and the missing inputs.
    score: dict[str, Any] | None
    # Where each input's value came from: the metric engine (with the run, the metric and
    # whose figure it is) or the rater.
    sources: dict[str, Any]
    calibration: Decimal  # the points HR moved the total by
    # The total, grade, coefficient and pay after calibration (None while incomplete).
    outcome: dict[str, Any] | None
    results: list[VersionRef]
    actions: list[ActionRef]  # what the caller may do now
    history: list[StepOut]
    interview: InterviewOut | None
    appeals: list[AppealOut]


@router.get(
    "/appraisals/{appraisal_id}",
    response=AppraisalOut,
    summary="One appraisal: everything its page shows, at full precision",
    description="404 both for an appraisal that does not exist and for one the caller may "
    "not see. Pay is left out where the caller may not see it.",
)
def appraisal(request: HttpRequest, appraisal_id: int) -> Any:
    access, found = _visible(request, appraisal_id)
    show_pay = policy.can_see_pay(access, found)
    lang = current_lang()
    latest = found.latest_result()
    if latest is not None:
        score = _in_language(latest.trace.get("result"), lang)
        sources = latest.trace.get("sources") or {}
        outcome = {"total": str(latest.total), "grade": latest.grade,
                   "coefficient": str(latest.coefficient), "pay": _exact(latest.pay)}  # fmt: skip
    else:
        scored = score_appraisal(found)
        score = result_data(scored.result, lang) if scored.result else None
        sources = {name: value.as_data() for name, value in scored.values.items()}
        outcome = _outcome(scored.outcome)
    if not show_pay:
        for figures in (score, outcome):
            for key in ("pay", "base_pay"):
                if figures:
                    figures.pop(key, None)
    return AppraisalOut(
        id=found.pk,
        employee=PersonRef(number=found.employee.number, name=found.employee.name),
        cycle=CycleRef(id=found.cycle_id, name=found.cycle.name, period=found.cycle.period),
        rater=PersonRef(number=found.rater.number, name=found.rater.name) if found.rater else None,
        state=found.state,
        state_label=str(STATE_LABELS[State(found.state)]),
        final=latest is not None,
        data_cutoff=found.data_cutoff,
        score=score,
        sources=sources,
        calibration=found.calibration,
        outcome=outcome,
        results=[
            VersionRef(**_result_fields(r, show_pay), reason=r.reason, created_at=r.created_at)
            for r in found.results.order_by("number")
        ],
        actions=[
            ActionRef(name=a.name, label=str(a.label))
            for a in policy.available_actions(access, found)
        ],
        history=[
            StepOut(
                at=s.at,
                action=s.action,
                source=s.source,
                target=s.target,
                by=s.actor_name,
                reason=s.reason,
            )
            for s in found.history.all()
        ],
        interview=_interview(found),
        appeals=[
            AppealOut(
                filed_at=a.filed_at,
                reason=a.reason,
                decision=a.decision,
                decision_reason=a.decision_reason,
                decided_at=a.decided_at,
            )
            for a in found.appeals.order_by("filed_at")
        ],
    )


def _in_language(data: Any, lang: str) -> Any:
    """A stored serialisation with each {zh, en} text in one language."""
    if isinstance(data, dict):
        if set(data) == {"zh", "en"}:
            return data[lang]
        return {key: _in_language(value, lang) for key, value in data.items()}
    if isinstance(data, list):
        return [_in_language(item, lang) for item in data]
    return data


def _outcome(outcome: Outcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {"total": _exact(outcome.total), "grade": outcome.grade.grade,
            "coefficient": _exact(outcome.coefficient), "pay": _exact(outcome.pay)}  # fmt: skip


def _interview(appraisal: Appraisal) -> InterviewOut | None:
    interview = getattr(appraisal, "interview", None)
    if interview is None:
        return None
    return InterviewOut(
        held_at=interview.held_at,
        strengths=interview.strengths,
        improvements=interview.improvements,
        root_cause=interview.root_cause,
        causes=interview.causes or {},
        actions=interview.actions,
    )


def _exact(value: Decimal | None) -> str | None:
    """A figure at full precision, as the core's serialisation writes it."""
    return None if value is None else str(value)


class InterviewIn(Schema):
    strengths: str
    improvements: str
    actions: str
    root_cause: str = Field("", description="process, skills, resources, attitude or empty.")
    causes: dict[str, str] = Field(
        default_factory=dict, description="Per weak indicator's id, its root cause."
    )


class ActionIn(Schema):
    """What a step may be given; each step reads the fields it needs (the same as the
    appraisal page's forms): targets for send_for_confirmation, ratings and a comment for
    the assessments, a reason for ask_for_change, calibrate, appeal, uphold and adjust, the
    points for calibrate and adjust, the interview for record_interview, a comment for
    acknowledge."""

    targets: dict[str, str] = Field(default_factory=dict, description="indicator id → target")
    ratings: dict[str, str | int | Decimal] = Field(
        default_factory=dict, description="input → value: a level, a number or a count"
    )
    comment: str = ""
    reason: str = ""
    adjustment: Decimal = Field(Decimal(0), description="points, e.g. 1.5 or -2")
    interview: InterviewIn | None = None


def _visible(request: HttpRequest, appraisal_id: int) -> tuple[Any, Appraisal]:
    access = access_for(request)
    loaded = Appraisal.objects.select_related("employee", "cycle", "rater", "version")
    found = loaded.filter(pk=appraisal_id).first()
    if found is None or not policy.can_view_appraisal(access, found):
        raise Http404
    return access, found


@router.get(
    "/appraisals/{appraisal_id}/actions",
    response=list[ActionRef],
    summary="The actions the caller may take on the appraisal now",
)
def appraisal_actions(request: HttpRequest, appraisal_id: int) -> Any:
    access, found = _visible(request, appraisal_id)
    return [
        ActionRef(name=a.name, label=str(a.label)) for a in policy.available_actions(access, found)
    ]


@router.post(
    "/appraisals/{appraisal_id}/actions/{action}",
    response=AppraisalOut,
    summary="Take a workflow action, as the appraisal page does",
    description="The action must be one the caller may take now (see .../actions): "
    "otherwise 403 with the reason. A step refused for its input or the appraisal's state "
    "is 409 with the reason. The answer is the appraisal after the action.",
)
def take_action(request: HttpRequest, appraisal_id: int, action: str, body: ActionIn) -> Any:
    access, found = _visible(request, appraisal_id)
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    if not policy.may_take(access, found, step):
        raise PermissionDenied(
            _("You may not “%(action)s” this appraisal.") % {"action": step.label}
        )
    interview = body.interview
    given = StepInputs(
        targets=body.targets,
        ratings={name: str(value) for name, value in body.ratings.items()},
        comment=body.comment,
        reason=body.reason,
        adjustment=body.adjustment,
        interview=InterviewRecord(
            interview.strengths,
            interview.improvements,
            interview.actions,
            interview.root_cause,
            interview.causes,
        )
        if interview
        else None,
    )
    try:
        take(request.user, found.pk, action, given)
    except WorkflowError as refused:
        raise HttpError(409, str(refused)) from None
    return appraisal(request, found.pk)
