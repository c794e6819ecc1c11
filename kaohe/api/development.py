"""``/api/v1/development/…``: proposals, plans (IDP and PIP) and promotion candidates, as
the Development pages show and change them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.development import policy
from kaohe.development.actions import (
    DevelopmentRefused,
    ItemInput,
    do_agree_plan,
    do_check_in,
    do_decide_proposal,
    do_save_plan,
    do_set_outcome,
    do_start_plan,
)
from kaohe.development.candidates import DEFAULT_CYCLES, promotion_candidates
from kaohe.development.diagnosis import cycles_with_results, report
from kaohe.development.models import Plan, Proposal
from kaohe.i18n import current_lang
from kaohe.org.policy import access_for

router = Router(tags=["development"])


class ProposalOut(Schema):
    id: int
    appraisal: int
    employee: str  # the employee number
    name: str
    cycle: str
    result_version: int
    grade: str
    kind: str  # promotion, key_development, capability, pip or role_change
    proposed_kind: str
    status: str  # proposed, accepted, changed, dismissed or superseded
    reason: str


def _proposal(p: Proposal) -> ProposalOut:
    employee = p.appraisal.employee
    return ProposalOut(
        id=p.pk, appraisal=p.appraisal_id, employee=employee.number, name=employee.name,
        cycle=p.appraisal.cycle.name, result_version=p.result_number, grade=p.grade,
        kind=p.kind, proposed_kind=p.proposed_kind, status=p.status, reason=p.reason,
    )  # fmt: skip


@router.get(
    "/development/proposals",
    response=list[ProposalOut],
    summary="Development proposals of the caller's scope (HR)",
)
def proposals(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_decide_proposals(access):
        raise PermissionDenied
    return [_proposal(p) for p in policy.proposals_in_view(access)[:1000]]


class DecisionIn(Schema):
    decision: str = Field(..., description="accept, change or dismiss")
    reason: str = ""
    kind: str = Field("", description="For a change: what the proposal becomes.")


@router.post(
    "/development/proposals/{proposal_id}/decision",
    response=ProposalOut,
    summary="Accept, change or dismiss a proposal (HR in scope)",
)
def decide(request: HttpRequest, proposal_id: int, body: DecisionIn) -> Any:
    try:
        made = do_decide_proposal(request.user, proposal_id, body.decision, body.reason, body.kind)
    except PermissionDenied:
        raise Http404 from None
    except DevelopmentRefused as refused:
        raise HttpError(409, str(refused)) from None
    return _proposal(made)


class ItemOut(Schema):
    id: int
    indicator: str
    label: str
    action: str
    goal: str
    due: date | None
    status: str  # open, in_progress, done or dropped


class CheckInOut(Schema):
    on: date
    note: str


class PlanOut(Schema):
    id: int
    appraisal: int
    employee: str
    name: str
    type: str  # idp or pip
    status: str  # draft, agreed or closed
    support: str
    outcome: str
    agreed_at: datetime | None
    items: list[ItemOut]
    check_ins: list[CheckInOut]


def _plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        id=plan.pk, appraisal=plan.appraisal_id, employee=plan.employee.number,
        name=plan.employee.name, type=plan.type, status=plan.status, support=plan.support,
        outcome=plan.outcome, agreed_at=plan.agreed_at,
        items=[ItemOut(id=i.pk, indicator=i.indicator, label=i.label, action=i.action,
                       goal=i.goal, due=i.due, status=i.status) for i in plan.items.all()],
        check_ins=[CheckInOut(on=c.on, note=c.note) for c in plan.check_ins.all()],
    )  # fmt: skip


def _visible_plan(request: HttpRequest, plan_id: int) -> Plan:
    found = (
        Plan.objects.select_related("employee", "employee__department").filter(pk=plan_id).first()
    )
    if found is None or not policy.can_view_plan(access_for(request), found):
        raise Http404
    return found


@router.get(
    "/development/plans",
    response=list[PlanOut],
    summary="The plans the caller may see: their own, their people's, HR's scope",
)
def plans(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_open_development(access):
        raise PermissionDenied  # as the page: an account linked to nobody and not HR
    return [_plan_out(p) for p in policy.plans_in_view(access)[:500]]


@router.get("/development/plans/{plan_id}", response=PlanOut, summary="One plan")
def plan(request: HttpRequest, plan_id: int) -> Any:
    return _plan_out(_visible_plan(request, plan_id))


class StartIn(Schema):
    type: str = Field(..., description="idp or pip")


@router.post(
    "/appraisals/{appraisal_id}/plans",
    response={201: PlanOut},
    summary="Draft a plan for a locked result, its items from the weakest indicators",
)
def start(request: HttpRequest, appraisal_id: int, body: StartIn) -> Any:
    try:
        made = do_start_plan(request.user, appraisal_id, body.type)
    except PermissionDenied:
        raise Http404 from None
    except DevelopmentRefused as refused:
        raise HttpError(409, str(refused)) from None
    return Status(201, _plan_out(made))


class ItemIn(Schema):
    id: int | None = Field(None, description="An existing item's id; none for a new one.")
    action: str = ""
    goal: str = ""
    due: date | None = None
    status: str = "open"
    label: str = ""
    drop: bool = False


class PlanIn(Schema):
    items: list[ItemIn] = Field(default_factory=list)
    support: str | None = Field(None, description="A PIP's support promised.")


def _refusing(call: Any) -> Any:
    try:
        return call()
    except DevelopmentRefused as refused:
        raise HttpError(409, str(refused)) from None


@router.put(
    "/development/plans/{plan_id}",
    response=PlanOut,
    summary="Edit a plan's items (and a PIP's support): the employee's managers and HR",
)
def save(request: HttpRequest, plan_id: int, body: PlanIn) -> Any:
    found = _visible_plan(request, plan_id)
    given = [
        ItemInput(i.id, i.action, i.goal, i.due, i.status, i.label, i.drop) for i in body.items
    ]
    _refusing(lambda: do_save_plan(request.user, found.pk, given, body.support))
    return _plan_out(_visible_plan(request, plan_id))


@router.post(
    "/development/plans/{plan_id}/agree",
    response=PlanOut,
    summary="The employee agrees their plan",
)
def agree(request: HttpRequest, plan_id: int) -> Any:
    found = _visible_plan(request, plan_id)
    _refusing(lambda: do_agree_plan(request.user, found.pk))
    return _plan_out(_visible_plan(request, plan_id))


class CheckInIn(Schema):
    on: date
    note: str


@router.post(
    "/development/plans/{plan_id}/check-ins",
    response=PlanOut,
    summary="Record an improvement plan's check-in",
)
def check_in(request: HttpRequest, plan_id: int, body: CheckInIn) -> Any:
    found = _visible_plan(request, plan_id)
    _refusing(lambda: do_check_in(request.user, found.pk, body.on, body.note))
    return _plan_out(_visible_plan(request, plan_id))


class OutcomeIn(Schema):
    outcome: str = Field(..., description="passed, extended or failed")
    reason: str


@router.post(
    "/development/plans/{plan_id}/outcome",
    response=PlanOut,
    summary="Record an improvement plan's outcome (passed and failed close it)",
)
def outcome(request: HttpRequest, plan_id: int, body: OutcomeIn) -> Any:
    found = _visible_plan(request, plan_id)
    _refusing(lambda: do_set_outcome(request.user, found.pk, body.outcome, body.reason))
    return _plan_out(_visible_plan(request, plan_id))


class GradedOut(Schema):
    cycle: str
    period: str
    total: str
    grade: str


class CandidateOut(Schema):
    employee: str
    name: str
    department: str
    history: list[GradedOut]  # oldest first


class CandidatesQuery(Schema):
    cycles: int = Field(DEFAULT_CYCLES, ge=1, le=12, description="Graded A in each of these.")


@router.get(
    "/development/promotion-candidates",
    response=list[CandidateOut],
    summary="People graded A in each of their last N cycles (HR)",
)
def candidates(request: HttpRequest, query: Query[CandidatesQuery]) -> Any:
    access = access_for(request)
    if not policy.can_see_promotion_candidates(access):
        raise PermissionDenied
    found = promotion_candidates(policy.results_for_candidates(access), query.cycles)
    return [
        CandidateOut(
            employee=c.number,
            name=c.name,
            department=c.department,
            history=[
                GradedOut(cycle=g.cycle, period=g.period, total=str(g.total), grade=g.grade)
                for g in c.history
            ],
        )
        for c in found
    ]


class DiagnosisQuery(Schema):
    cycle: int | None = Field(None, description="A cycle's id; none: the newest with results.")
    by: str = Field("department", pattern="^(department|position)$")


class CellOut(Schema):
    indicator: str
    group: str
    mean: str  # the mean share of the indicator's points, 0–1
    people: int


class WeakIndicatorOut(Schema):
    indicator: str
    name: str
    people: int
    low: int  # of them under 60 % of the points
    causes: dict[str, int]  # interview root cause → people
    hint: str | None


class DiagnosisOut(Schema):
    cycle: int | None
    results: int
    cells: list[CellOut]
    findings: list[WeakIndicatorOut]


@router.get(
    "/development/diagnosis",
    response=DiagnosisOut,
    summary="Attainment per indicator and group, and where many score low (the caller's scope)",
)
def diagnosis(request: HttpRequest, query: Query[DiagnosisQuery]) -> Any:
    access = access_for(request)
    if not policy.can_read_diagnosis(access):
        raise PermissionDenied
    cycles = cycles_with_results(access)
    # A cycle outside the caller's scope (or without results) reads as one with nothing.
    picked = [c for c in cycles if c.pk == query.cycle][:1] if query.cycle else cycles[:1]
    if not picked:
        return DiagnosisOut(cycle=None, results=0, cells=[], findings=[])
    found = report(access, picked, query.by)
    lang = current_lang()
    return DiagnosisOut(
        cycle=picked[0].pk,
        results=found.people,
        cells=[
            CellOut(indicator=i, group=g, mean=str(cell.mean.quantize(Decimal("0.0001"))),
                    people=cell.people)
            for (i, g), cell in found.diagnosis.cells.items()
        ],
        findings=[
            WeakIndicatorOut(indicator=f.indicator, name=f.name, people=f.people, low=f.low,
                       causes=dict(f.causes), hint=f.hint(lang) if f.hint else None)
            for f in found.findings
        ],
    )  # fmt: skip
