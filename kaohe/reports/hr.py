"""The HR dashboard's figures: each running and recent cycle's progress and bottlenecks
(who is late, at which stage, by how many days), how fresh each data source is, the
calibration sessions, and the open appeals with their deadlines.

Every figure is counted in the database over the reader's scope (``policy``): a fixed
number of queries whatever the organisation's size; the only rows brought back one by one
are the few listed (the latest late appraisals, the sessions, the open appeals) and one
date per data import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, Max, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Appeal, Appraisal, Cycle, Transition
from kaohe.appraisals.workflow import STATE_LABELS, WAITS_ON, Role, State
from kaohe.data.models import DataBatch
from kaohe.i18n import current_lang
from kaohe.metrics import SOURCES
from kaohe.names import person_name
from kaohe.org.policy import Access

from . import policy

RECENT_CYCLES = 6  # the latest launched cycles shown, running or done
LATE_LISTED = 50  # late appraisals listed by name; all are counted
APPEALS_LISTED = 100
SESSIONS_LISTED = 20
FRESH_DAYS, BEHIND_DAYS = 2, 7  # days since a source's last import: fresh, behind, stale
GAP_WINDOW = timedelta(days=365)  # the imports the longest gap is looked for in
DONE = {str(State.FINALISED), str(State.CLOSED)}


@dataclass
class Stage:
    state: str
    label: str
    count: int
    waits_on: str  # who the appraisals at this stage wait on, in words
    deadline: date | None = None
    days_late: int | None = None  # days past the deadline, when it has passed


@dataclass
class CycleProgress:
    id: int
    name: str
    period: str
    total: int
    done: int
    stages: list[Stage]
    late: int
    appeal_windows_open: int
    appeal_windows_until: datetime | None

    @property
    def done_percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.done < self.total

    @property
    def bottleneck(self) -> Stage | None:
        """The stage still to pass that holds the most appraisals (the latest one of a tie)."""
        waiting = [s for s in self.stages if s.state not in DONE and s.count]
        return max(waiting, key=lambda s: (s.count, s.days_late or 0), default=None)


@dataclass
class LateAppraisal:
    appraisal_id: int
    number: str
    name: str
    department: str
    cycle: str
    state: str
    stage: str
    waits_on: str
    deadline: date
    days_late: int
    days_in_stage: int | None


@dataclass
class SourceFreshness:
    name: str
    label: str
    last_import: datetime | None
    days_since: int | None
    longest_gap: int | None  # the most days between two imports within GAP_WINDOW
    batches: int
    rows: int

    @property
    def status(self) -> str:
        if self.days_since is None:
            return "never"
        if self.days_since <= FRESH_DAYS:
            return "fresh"
        return "behind" if self.days_since <= BEHIND_DAYS else "stale"


@dataclass
class SessionStatus:
    id: int
    name: str
    cycle: str
    status: str
    status_label: str
    facilitator: str
    members: int
    moves: int
    created_at: datetime
    closed_at: datetime | None


@dataclass
class OpenAppeal:
    id: int
    appraisal_id: int
    number: str
    name: str
    department: str
    cycle: str
    filed_at: datetime
    days_open: int
    deadline: date | None  # the cycle's deadline for deciding appeals, if it set one
    days_left: int | None  # negative once the deadline has passed

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


@dataclass
class HrDashboard:
    cycles: list[CycleProgress]
    late: list[LateAppraisal]
    late_total: int
    sources: list[SourceFreshness]
    sessions: list[SessionStatus]
    appeals: list[OpenAppeal]
    appeals_total: int
    today: date
    notes: list[str] = field(default_factory=list)


def hr_dashboard(access: Access) -> HrDashboard:
    today = timezone.localdate()
    cycles = list(policy.hr_cycles(access).order_by("-created_at", "-pk")[:RECENT_CYCLES])
    appraisals = policy.hr_appraisals(access).filter(cycle__in=cycles)
    progress = _progress(cycles, appraisals, today)
    late, late_total = _late(cycles, appraisals, today)
    appeals, appeals_total = _appeals(access, today)
    return HrDashboard(
        cycles=progress,
        late=late,
        late_total=late_total,
        sources=_freshness(today) if policy.sees_data_freshness(access) else [],
        sessions=_sessions(access),
        appeals=appeals,
        appeals_total=appeals_total,
        today=today,
    )


def _waits_on(state: str) -> str:
    role = WAITS_ON.get(State(state))
    return {
        Role.EMPLOYEE: _("the employee"),
        Role.RATER: _("the manager"),
        Role.HR: _("HR"),
    }.get(role, "—")  # type: ignore[call-overload]


def _passed_deadlines(cycle: Cycle, today: date) -> dict[str, date]:
    found = {}
    for state, day in (cycle.deadlines or {}).items():
        try:
            deadline = date.fromisoformat(day)
        except (TypeError, ValueError):
            continue
        if deadline < today and state not in DONE:
            found[state] = deadline
    return found


def _progress(cycles: list[Cycle], appraisals: Any, today: date) -> list[CycleProgress]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = appraisals.order_by().values_list("cycle_id", "state").annotate(n=Count("id"))
    for cycle_id, state, n in rows:
        counts[cycle_id][state] = n
    windows = {
        row["cycle_id"]: row
        for row in appraisals.filter(state=State.FINALISED, appeal_until__gt=timezone.now())
        .order_by()
        .values("cycle_id")
        .annotate(n=Count("id"), until=Max("appeal_until"))
    }
    found = []
    for cycle in cycles:
        mine = counts.get(cycle.pk, {})
        passed = _passed_deadlines(cycle, today)
        deadlines = {s: date.fromisoformat(d) for s, d in (cycle.deadlines or {}).items()
                     if _is_day(d)}  # fmt: skip
        stages = [
            Stage(
                state=str(state),
                label=str(label),
                count=mine.get(str(state), 0),
                waits_on=_waits_on(str(state)),
                deadline=deadlines.get(str(state)),
                days_late=(today - passed[str(state)]).days if str(state) in passed else None,
            )
            for state, label in STATE_LABELS.items()
        ]
        window = windows.get(cycle.pk, {})
        found.append(
            CycleProgress(
                id=cycle.pk,
                name=cycle.name,
                period=cycle.period,
                total=sum(mine.values()),
                done=sum(n for s, n in mine.items() if s in DONE),
                stages=stages,
                late=sum(mine.get(s, 0) for s in passed),
                appeal_windows_open=window.get("n", 0),
                appeal_windows_until=window.get("until"),
            )
        )
    return found


def _is_day(text: Any) -> bool:
    try:
        date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def _late(cycles: list[Cycle], appraisals: Any, today: date) -> tuple[list[LateAppraisal], int]:
    """The appraisals at a stage whose deadline has passed, the longest overdue first."""
    late, deadlines = Q(pk__in=[]), []
    for cycle in cycles:
        for state, day in _passed_deadlines(cycle, today).items():
            late |= Q(cycle_id=cycle.pk, state=state)
            deadlines.append(When(cycle_id=cycle.pk, state=state, then=Value(day.isoformat())))
    if not deadlines:
        return [], 0
    found = appraisals.filter(late)
    total = found.count()
    rows = list(
        found.annotate(deadline=Case(*deadlines, output_field=CharField()))
        .select_related("employee__department", "rater", "cycle")
        .order_by("deadline", "employee__number")[:LATE_LISTED]
    )
    moved = dict(
        Transition.objects.filter(appraisal_id__in=[a.pk for a in rows])
        .order_by()
        .values_list("appraisal_id")
        .annotate(at=Max("at"))
    )
    return [_late_row(a, moved.get(a.pk), today) for a in rows], total


def _late_row(appraisal: Any, moved: datetime | None, today: date) -> LateAppraisal:
    deadline = date.fromisoformat(appraisal.deadline)
    role = WAITS_ON.get(State(appraisal.state))
    if role is Role.EMPLOYEE:
        waits_on = appraisal.employee.name
    elif role is Role.RATER:
        waits_on = appraisal.rater.name if appraisal.rater else _("no manager named")
    else:
        waits_on = _waits_on(appraisal.state)
    employee = appraisal.employee
    return LateAppraisal(
        appraisal_id=appraisal.pk, number=employee.number, name=employee.name,
        department=employee.department.name, cycle=appraisal.cycle.name,
        state=appraisal.state, stage=str(appraisal.state_label()), waits_on=waits_on,
        deadline=deadline, days_late=(today - deadline).days,
        days_in_stage=(today - timezone.localdate(moved)).days if moved else None,
    )  # fmt: skip


def _freshness(today: date) -> list[SourceFreshness]:
    totals = {
        row["source"]: row
        for row in DataBatch.objects.order_by()
        .values("source")
        .annotate(last=Max("imported_at"), batches=Count("id"), rows=Sum("rows_read"))
    }
    since = timezone.now() - GAP_WINDOW
    days: dict[str, list[date]] = defaultdict(list)
    imports = DataBatch.objects.filter(imported_at__gte=since).order_by("source", "imported_at")
    for source, moment in imports.values_list("source", "imported_at"):
        days[source].append(timezone.localdate(moment))
    lang = current_lang()
    found = []
    for name, source in SOURCES.items():
        row = totals.get(name, {})
        last = row.get("last")
        gaps = [(b - a).days for a, b in zip(days[name], days[name][1:], strict=False)]
        if days[name]:
            gaps.append((today - days[name][-1]).days)  # the gap still open
        found.append(
            SourceFreshness(
                name=name,
                label=source.label(lang),
                last_import=last,
                days_since=(today - timezone.localdate(last)).days if last else None,
                longest_gap=max(gaps) if gaps else None,
                batches=row.get("batches", 0),
                rows=row.get("rows") or 0,
            )
        )
    return found


def _sessions(access: Access) -> list[SessionStatus]:
    sessions = (
        policy.hr_sessions(access)
        .annotate(
            member_count=Count("members", distinct=True),
            move_count=Count("moves", distinct=True),
        )
        .order_by("-status", "-created_at")[:SESSIONS_LISTED]
    )
    return [
        SessionStatus(
            id=s.pk,
            name=s.name,
            cycle=s.cycle.name,
            status=s.status,
            status_label=str(s.get_status_display()),
            facilitator=person_name(s.facilitator),
            members=s.member_count,
            moves=s.move_count,
            created_at=s.created_at,
            closed_at=s.closed_at,
        )
        for s in sessions
    ]


def _appeals(access: Access, today: date) -> tuple[list[OpenAppeal], int]:
    pending = policy.hr_appeals(access).filter(decision=Appeal.Decision.PENDING)
    rows = pending.select_related("appraisal__employee__department", "appraisal__cycle").order_by(
        "filed_at", "pk"
    )[:APPEALS_LISTED]
    found = []
    for appeal in rows:
        appraisal: Appraisal = appeal.appraisal
        day = (appraisal.cycle.deadlines or {}).get(str(State.APPEAL))
        deadline = date.fromisoformat(day) if _is_day(day) else None
        employee = appraisal.employee
        found.append(
            OpenAppeal(
                id=appeal.pk,
                appraisal_id=appraisal.pk,
                number=employee.number,
                name=employee.name,
                department=employee.department.name,
                cycle=appraisal.cycle.name,
                filed_at=appeal.filed_at,
                days_open=(today - timezone.localdate(appeal.filed_at)).days,
                deadline=deadline,
                days_left=(deadline - today).days if deadline else None,
            )
        )
    return found, pending.count()
