"""``/api/v1/cycles``: the appraisal cycles HR manages, as the cycles page lists them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kaohe.appraisals import policy
from kaohe.appraisals.models import Cycle
from kaohe.org.policy import access_for

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


@router.get("/cycles/{cycle_id}", response=CycleOut, summary="One cycle")
def cycle(request: HttpRequest, cycle_id: int) -> Any:
    access = _hr(request)
    found = Cycle.objects.prefetch_related("departments").filter(pk=cycle_id).first()
    if found is None or not policy.can_manage_cycle(access, found):
        raise Http404
    return cycle_out(found)
