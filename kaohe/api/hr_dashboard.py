"""``/api/v1/dashboards/hr``: the HR dashboard's figures — each recent cycle's progress by
stage and who is late, data freshness per source, calibration sessions and open appeals —
over the caller's HR scope, as the HR dashboard page shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kaohe.org.policy import access_for
from kaohe.reports import policy
from kaohe.reports.hr import hr_dashboard

router = Router(tags=["dashboards"])


class HrStageOut(Schema):
    state: str
    label: str
    count: int
    waits_on: str
    deadline: date | None
    days_late: int | None = Field(None, description="Days past the stage's deadline, if passed.")


class HrCycleOut(Schema):
    id: int
    name: str
    period: str
    total: int
    done: int = Field(..., description="Finalised or closed appraisals.")
    done_percent: int
    running: bool
    late: int = Field(..., description="Appraisals at a stage whose deadline has passed.")
    bottleneck: str | None = Field(None, description="The stage holding the most still to do.")
    appeal_windows_open: int
    stages: list[HrStageOut]


class HrLateOut(Schema):
    appraisal: int
    employee: str  # the employee number
    name: str
    department: str
    cycle: str
    state: str
    stage: str
    waits_on: str
    deadline: date
    days_late: int
    days_in_stage: int | None


class HrSourceOut(Schema):
    source: str
    label: str
    last_import: datetime | None
    days_since: int | None
    longest_gap: int | None = Field(None, description="Most days between imports in a year.")
    imports: int
    rows: int
    status: str = Field(..., description="fresh, behind, stale or never")


class HrSessionOut(Schema):
    id: int
    name: str
    cycle: str
    status: str  # open or closed
    facilitator: str
    members: int
    moves: int


class HrAppealOut(Schema):
    id: int
    appraisal: int
    employee: str
    name: str
    department: str
    cycle: str
    filed_at: datetime
    days_open: int
    deadline: date | None
    days_left: int | None


class HrDashboardOut(Schema):
    today: date
    scope: list[str] | None = Field(None, description="Department paths; null for everyone.")
    cycles: list[HrCycleOut]
    late_total: int
    late: list[HrLateOut] = Field(..., description="The 50 longest overdue.")
    sources: list[HrSourceOut]
    sessions: list[HrSessionOut]
    appeals_total: int
    appeals: list[HrAppealOut]


@router.get(
    "/dashboards/hr",
    response=HrDashboardOut,
    summary="The HR dashboard: cycle progress, who is late, data freshness, calibration, appeals",
)
def hr(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_open_hr_dashboard(access):
        raise PermissionDenied(_("The HR dashboard is for HR staff."))
    found = hr_dashboard(access)
    return HrDashboardOut(
        today=found.today,
        scope=policy.scope_in_words(access),
        cycles=[
            HrCycleOut(
                id=c.id, name=c.name, period=c.period, total=c.total, done=c.done,
                done_percent=c.done_percent, running=c.running, late=c.late,
                bottleneck=c.bottleneck.state if c.bottleneck else None,
                appeal_windows_open=c.appeal_windows_open,
                stages=[HrStageOut(**vars(s)) for s in c.stages],
            )
            for c in found.cycles
        ],
        late_total=found.late_total,
        late=[
            HrLateOut(
                appraisal=r.appraisal_id, employee=r.number, name=r.name, department=r.department,
                cycle=r.cycle, state=r.state, stage=r.stage, waits_on=r.waits_on,
                deadline=r.deadline, days_late=r.days_late, days_in_stage=r.days_in_stage,
            )
            for r in found.late
        ],
        sources=[
            HrSourceOut(
                source=s.name, label=s.label, last_import=s.last_import, days_since=s.days_since,
                longest_gap=s.longest_gap, imports=s.batches, rows=s.rows, status=s.status,
            )
            for s in found.sources
        ],
        sessions=[
            HrSessionOut(
                id=s.id, name=s.name, cycle=s.cycle, status=s.status, facilitator=s.facilitator,
                members=s.members, moves=s.moves,
            )
            for s in found.sessions
        ],
        appeals_total=found.appeals_total,
        appeals=[
            HrAppealOut(
                id=a.id, appraisal=a.appraisal_id, employee=a.number, name=a.name,
                department=a.department, cycle=a.cycle, filed_at=a.filed_at,
                days_open=a.days_open, deadline=a.deadline, days_left=a.days_left,
            )
            for a in found.appeals
        ],
    )  # fmt: skip
