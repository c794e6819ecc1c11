"""``/api/v1/cycles``: the appraisal cycles HR manages, as the cycles page lists them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.appraisals import policy
from kaohe.appraisals.actions import CycleRefused, do_create_cycle, do_launch_cycle
from kaohe.appraisals.forms import DEADLINE_STAGES, CycleForm
from kaohe.appraisals.models import Cycle
from kaohe.org.models import Department
from kaohe.org.policy import access_for

from .errors import ValidationProblem
from .tasks import launch_task_id, task_url

router = Router(tags=["cycles"])


class CycleOut(Schema):
    id: int
    name: str
    period: str
    status: str  # draft, launching, open or closed
    status_label: str  # in the requested language
    departments: list[str]  # paths; each with everything below it
    appeal_days: int
    deadlines: dict[str, date]  # workflow state → the day it is due
    appraisals: int
    launch_done: int  # while launching: appraisals made so far, of launch_total
    launch_total: int
    created_at: datetime
    launched_at: datetime | None


class LaunchOut(CycleOut):
    task: str  # the address of the launch's task, to poll


def cycle_out(cycle: Cycle) -> CycleOut:
    return CycleOut(
        id=cycle.pk,
        name=cycle.name,
        period=cycle.period,
        status=cycle.status,
        status_label=cycle.get_status_display(),
        departments=sorted(d.path for d in cycle.departments.all()),
        appeal_days=cycle.appeal_days,
        deadlines={state: date.fromisoformat(day) for state, day in cycle.deadlines.items()},
        appraisals=cycle.appraisals.count(),
        launch_done=cycle.launch_done,
        launch_total=cycle.launch_total,
        created_at=cycle.created_at,
        launched_at=cycle.launched_at,
    )


def _hr(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_manage_cycles(access):
        raise PermissionDenied(_("Only HR manages appraisal cycles."))
    return access


@router.get("/cycles", response=list[CycleOut], summary="The cycles the caller manages")
def cycles(request: HttpRequest) -> Any:
    return [cycle_out(cycle) for cycle in policy.cycles_in_scope(_hr(request))]


@router.get("/cycles/{cycle_id}", response=CycleOut, url_name="cycle", summary="One cycle")
def cycle(request: HttpRequest, cycle_id: int) -> Any:
    access = _hr(request)
    found = Cycle.objects.prefetch_related("departments").filter(pk=cycle_id).first()
    if found is None or not policy.can_manage_cycle(access, found):
        raise Http404
    return cycle_out(found)


class CycleIn(Schema):
    name: str
    period: str = Field(..., description="2026-09, 2026-Q3, 2026-H2 or 2026.")
    departments: list[str] = Field(..., description="Department paths; each with all below.")
    appeal_days: int = Field(7, description="The appeal window after finalisation, 1–90.")
    deadlines: dict[str, date] = Field(
        default_factory=dict, description="Workflow state → the day it is due, in stage order."
    )


def _invalid(errors: list[tuple[str, str]]) -> ValidationProblem:
    """A 422 naming each field at fault, as a validation problem does."""
    return ValidationProblem([{"field": f, "in": "body", "reason": r} for f, r in errors])


@router.post(
    "/cycles",
    response={201: CycleOut},
    summary="Create a cycle (HR), checked as the new-cycle page checks it",
    description="Departments must be in the caller's scope. The cycle starts as a draft: "
    "check its schemes and base pay on its page, then launch it.",
)
def create_cycle(request: HttpRequest, body: CycleIn) -> Any:
    access = _hr(request)
    known = dict(Department.objects.filter(path__in=body.departments).values_list("path", "pk"))
    problems = [
        (f"departments.{index}", _("No department has the path “%(path)s”.") % {"path": path})
        for index, path in enumerate(body.departments)
        if path not in known
    ]
    stages = {str(stage) for stage in DEADLINE_STAGES}
    problems += [
        (f"deadlines.{state}", _("No stage “%(state)s” takes a deadline.") % {"state": state})
        for state in body.deadlines
        if state not in stages
    ]
    if problems:
        raise _invalid(problems)
    posted = MultiValueDict(
        {
            "name": [body.name],
            "period": [body.period],
            "departments": [str(known[path]) for path in body.departments],
            "appeal_days": [str(body.appeal_days)],
            **{f"deadline_{s}": [day.isoformat()] for s, day in body.deadlines.items()},
        }
    )
    form = CycleForm(posted, access=access)
    if not form.is_valid():
        raise _invalid(
            [
                ("deadlines" if field.startswith("deadline_") or field == "__all__" else field,
                 str(message))
                for field, messages in form.errors.items()
                for message in messages
            ]
        )  # fmt: skip
    try:
        made = do_create_cycle(request.user, form.cycle_data())
    except CycleRefused as refused:
        raise _invalid([("deadlines", problem) for problem in refused.problems]) from None
    return Status(201, cycle_out(made))


@router.post(
    "/cycles/{cycle_id}/launch",
    response={202: LaunchOut},
    summary="Launch a cycle (HR): its appraisals are made in the background",
    description="Answers at once with the cycle launching and, in task and the Location "
    "header, the task to poll (GET /api/v1/tasks/{id}) until it has succeeded or failed. A "
    "cycle that cannot be launched yet (a position without a scheme, already launched) is "
    "409 with every reason.",
)
def launch_cycle(request: HttpRequest, response: HttpResponse, cycle_id: int) -> Any:
    access = _hr(request)
    found = Cycle.objects.prefetch_related("departments").filter(pk=cycle_id).first()
    if found is None or not policy.can_manage_cycle(access, found):
        raise Http404
    try:
        do_launch_cycle(request.user, found)
    except CycleRefused as refused:
        raise HttpError(409, " ".join(refused.problems)) from None
    found.refresh_from_db()
    task = task_url(launch_task_id(found))
    response["Location"] = task
    return Status(202, LaunchOut(**cycle_out(found).model_dump(), task=task))
