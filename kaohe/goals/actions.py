"""The goals app's writes: objectives with their key results, their status and alignment,
check-ins (progress and confidence, or a manager's note), reminders to check in, and the
metric-bound key results taking the values of a new metric computation.

Every ``do_*`` takes the actor (None for the system: a task or the data refresh), asks the
policy, writes the audit row and commits in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Notification
from kaohe.audit.models import record
from kaohe.core import MetricKey, MetricScope
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.metrics import MetricsError, parse_period
from kaohe.names import person_name
from kaohe.org.models import Department, Employee, subtree_ids
from kaohe.org.policy import access_for

from . import policy
from .catalog import CATALOG_METRICS
from .models import (
    CADENCE_DAYS,
    FEWEST_KEY_RESULTS,
    MOST_KEY_RESULTS,
    Cadence,
    CheckIn,
    Confidence,
    KeyResult,
    Level,
    Objective,
    Progress,
)

REMIND = "goals_remind"  # the notification's action
_MONTH_OR_QUARTER = re.compile(r"^\d{4}-(\d{2}|Q[1-4])$")


class GoalRefused(Exception):
    """Refused for a reason the user can act on; worded for them."""


@dataclass(frozen=True)
class KeyResultInput:
    """One key result as a form or the API gives it; ``id`` None for a new one."""

    title: str
    kind: str = KeyResult.Kind.MEASURABLE
    start: Decimal | None = None
    target: Decimal | None = None
    current: Decimal | None = None
    unit: str = ""
    done: bool = False
    metric: str = ""  # a catalog metric that feeds ``current``
    subject: str = ""  # own or org; own when a metric is given without one
    id: int | None = None
    drop: bool = False


@dataclass(frozen=True)
class ObjectiveInput:
    """An objective as given; on a change, None keeps a field as it is (and
    ``key_results`` None keeps them all)."""

    title: str | None = None
    description: str | None = None
    level: str | None = None
    owner: str | None = None  # an employee number
    department: str | None = None  # a department's path, for a team's or department's goal
    period: str | None = None
    cadence: str | None = None
    parent: int | None = None
    clear_parent: bool = False
    status: str | None = None
    key_results: Sequence[KeyResultInput] | None = None


# --- objectives --------------------------------------------------------------------------


def do_create_objective(actor: Any, given: ObjectiveInput) -> Objective:
    """A new objective, a draft unless ``given.status`` publishes it at once."""
    level = given.level or Level.PERSONAL
    if level not in Level.values:
        raise GoalRefused(_("The level is personal, team or department."))
    if not (given.title or "").strip():
        raise GoalRefused(_("Write the objective: what should be achieved."))
    with transaction.atomic(durable=True):
        access = access_for(actor)
        owner = _owner(given.owner, access)
        department = _department_of(level, owner, given.department)
        if not policy.may_create(access, level, owner, department.pk):
            raise PermissionDenied
        objective = Objective(level=level, owner=owner, department=department, created_by=actor)
        _set_period(objective, given.period or "")
        _fill(objective, given, actor)
        objective.save()
        _save_key_results(objective, given.key_results or (), actor)
        _set_status(objective, given.status or Objective.Status.DRAFT)
        _take_stored_values(objective, actor)
        record(actor, "goals.create", objective, after=_data(objective))
        return objective


def do_save_objective(actor: Any, objective_id: int, given: ObjectiveInput) -> Objective:
    """Change an objective: its text, period, cadence, alignment, status, key results."""
    with transaction.atomic(durable=True):
        objective = _locked(actor, objective_id)
        access = access_for(actor)
        reopening = (
            given.status == Objective.Status.ACTIVE and objective.status == Objective.Status.CLOSED
        )
        allowed = policy.may_reopen(access, objective) if reopening else None
        if not (allowed or policy.may_edit(access, objective)):
            raise PermissionDenied
        if given.level is not None and given.level != objective.level:
            raise GoalRefused(_("A goal keeps its level; set a new goal for another level."))
        before = _data(objective)
        if given.owner is not None and given.owner != objective.owner.number:
            owner = _owner(given.owner, access)
            department = _department_of(objective.level, owner, given.department)
            if not policy.may_create(access, objective.level, owner, department.pk):
                raise PermissionDenied
            objective.owner, objective.department = owner, department
        if given.period is not None:
            _set_period(objective, given.period)
        _fill(objective, given, actor)
        objective.save()
        if given.key_results is not None:
            _save_key_results(objective, given.key_results, actor)
        _set_status(objective, given.status or objective.status)
        _take_stored_values(objective, actor)
        record(actor, "goals.edit", objective, before=before, after=_data(objective))
        return objective


def _owner(number: str | None, access: Any) -> Employee:
    """The owner named by number; the actor themselves when none is named."""
    if not number:
        if access.employee is None:
            raise GoalRefused(_("Name the goal's owner by employee number."))
        return access.employee
    found = Employee.objects.select_related("department").filter(number=number).first()
    if found is None or not found.active:
        raise GoalRefused(
            _("There is no active employee numbered “%(number)s”.") % {"number": number}
        )
    return found


def _department_of(level: str, owner: Employee, path: str | None) -> Department:
    """A personal goal's department is its owner's; a team's or department's is named, and
    its owner works in it (or below it)."""
    if level == Level.PERSONAL:
        return owner.department
    found = Department.objects.filter(path=(path or "").strip()).first()
    if found is None:
        raise GoalRefused(_("Choose the team or department whose goal this is."))
    if owner.department_id not in subtree_ids([found.pk]):
        raise GoalRefused(
            _("The owner of %(department)s's goal works in it: choose someone of %(department)s.")
            % {"department": found.path}
        )
    return found


def _set_period(objective: Objective, text: str) -> None:
    try:
        period = parse_period(text)
    except MetricsError:
        period = None
    if period is None or not _MONTH_OR_QUARTER.match(period.name):
        raise GoalRefused(
            _("“%(text)s” is not a quarter or a month: write 2026-Q3 or 2026-09.") % {"text": text}
        )
    objective.period, objective.starts, objective.ends = (
        period.name,
        period.first_day,
        period.last_day,
    )


def _fill(objective: Objective, given: ObjectiveInput, actor: Any) -> None:
    if given.title is not None:
        if not given.title.strip():
            raise GoalRefused(_("Write the objective: what should be achieved."))
        objective.title = given.title.strip()[:200]
    if given.description is not None:
        objective.description = given.description.strip()
    if given.cadence is not None:
        if given.cadence not in Cadence.values:
            raise GoalRefused(_("Check-ins are weekly or monthly."))
        objective.cadence = given.cadence
    if given.clear_parent:
        objective.parent = None
    elif given.parent is not None:
        objective.parent = _parent(objective, given.parent, actor)
    elif objective.parent is not None and not _inside(objective, objective.parent):
        raise GoalRefused(
            _("The goal's period must lie within the period of the goal it aligns to.")
        )


def _parent(objective: Objective, parent_id: int, actor: Any) -> Objective:
    parent = Objective.objects.select_related("parent").filter(pk=parent_id).first()
    if parent is None or not policy.can_view(access_for(actor), parent):
        raise GoalRefused(_("Choose a goal you can see to align to."))
    if objective.pk is not None and (
        parent.pk == objective.pk or objective.pk in {a.pk for a in parent.ancestors()}
    ):
        raise GoalRefused(_("A goal cannot align to itself or to a goal aligned below it."))
    if not _inside(objective, parent):
        raise GoalRefused(
            _("The goal's period must lie within the period of the goal it aligns to.")
        )
    return parent


def _inside(objective: Objective, parent: Objective) -> bool:
    return parent.starts <= objective.starts and objective.ends <= parent.ends


def _set_status(objective: Objective, status: str) -> None:
    if status not in Objective.Status.values:
        raise GoalRefused(_("The status is draft, active or closed."))
    count = objective.key_results.count()
    if count > MOST_KEY_RESULTS:
        raise GoalRefused(
            _("A goal has at most %(most)d key results; this one has %(count)d.")
            % {"most": MOST_KEY_RESULTS, "count": count}
        )
    if status != Objective.Status.DRAFT and count < FEWEST_KEY_RESULTS:
        raise GoalRefused(
            _(
                "A published goal needs %(fewest)d to %(most)d key results; this one has "
                "%(count)d. Add key results or keep it as a draft."
            )
            % {"fewest": FEWEST_KEY_RESULTS, "most": MOST_KEY_RESULTS, "count": count}
        )
    if status == Objective.Status.ACTIVE and objective.activated_at is None:
        objective.activated_at = timezone.now()
    objective.status = status
    objective.save(update_fields=["status", "activated_at"])


def _save_key_results(objective: Objective, given: Sequence[KeyResultInput], actor: Any) -> None:
    held = {kr.pk: kr for kr in objective.key_results.all()}
    position = len(held)
    for item in given:
        if item.id is not None and item.id not in held:
            raise GoalRefused(_("A key result given is not one of this goal's."))
        if item.drop:
            if item.id is not None:
                held.pop(item.id).delete()
            continue
        kr = held.get(item.id) if item.id is not None else None
        if kr is None:
            position += 1
            kr = KeyResult(objective=objective, position=position)
        before = None if kr.pk is None else (kr.current, kr.done)
        _fill_key_result(kr, item)
        kr.save()
        if before is not None and before != (kr.current, kr.done):
            Progress.objects.create(
                on=timezone.localdate(), key_result=kr, value=kr.current, done=kr.done,
                source=Progress.Source.EDIT, recorded_by=actor,
            )  # fmt: skip


def _fill_key_result(kr: KeyResult, item: KeyResultInput) -> None:
    title = item.title.strip()
    if not title:
        raise GoalRefused(_("Every key result needs a title."))
    if item.kind not in KeyResult.Kind.values:
        raise GoalRefused(_("A key result is measurable or a milestone."))
    kr.title, kr.kind, kr.unit = title[:200], item.kind, item.unit.strip()[:16]
    if item.kind == KeyResult.Kind.MILESTONE:
        kr.start = kr.target = kr.current = None
        kr.done, kr.metric, kr.subject = item.done, "", ""
        return
    if item.start is None or item.target is None:
        raise GoalRefused(_("“%(title)s”: give the start and the target value.") % {"title": title})
    if item.start == item.target:
        raise GoalRefused(
            _("“%(title)s”: the target must differ from the start.") % {"title": title}
        )
    kr.start, kr.target, kr.done = item.start, item.target, False
    kr.current = item.current if item.current is not None else (kr.current or item.start)
    metric = item.metric.strip()
    if metric and metric not in CATALOG_METRICS:
        raise GoalRefused(
            _("“%(metric)s” is not a metric of the catalog, such as complaint_response_2h_rate.")
            % {"metric": metric}
        )
    subject = item.subject or (KeyResult.Subject.OWN if metric else "")
    if metric and subject not in KeyResult.Subject.values:
        raise GoalRefused(_("A metric is read for the owner (own) or the organisation (org)."))
    kr.metric, kr.subject = metric, subject if metric else ""


def _locked(actor: Any, objective_id: int) -> Objective:
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("owner", "owner__department", "department", "parent")
        .filter(pk=objective_id)
        .first()
    )
    if objective is None or not policy.can_view(access_for(actor), objective):
        raise PermissionDenied
    return objective


def _data(objective: Objective) -> dict[str, Any]:
    """What the audit log keeps of an objective."""
    return {
        "title": objective.title,
        "level": objective.level,
        "owner": objective.owner.number,
        "department": objective.department.path,
        "period": objective.period,
        "status": objective.status,
        "cadence": objective.cadence,
        "parent": objective.parent_id,
        "key_results": [_kr_data(kr) for kr in objective.key_results.all()],
    }


def _kr_data(kr: KeyResult) -> dict[str, Any]:
    if kr.kind == KeyResult.Kind.MILESTONE:
        return {"title": kr.title, "done": kr.done}
    shown = {"title": kr.title, "start": _text(kr.start), "target": _text(kr.target),
             "current": _text(kr.current), "unit": kr.unit}  # fmt: skip
    if kr.metric:
        shown["metric"] = f"{kr.subject}:{kr.metric}"
    return shown


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


# --- check-ins ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInInput:
    on: date
    key_result: int | None = None  # the key result it reports on; None: the objective
    value: Decimal | None = None  # a measurable key result's new current value
    done: bool | None = None  # a milestone's new state
    confidence: str = ""
    note: str = ""


def do_check_in(actor: Any, objective_id: int, given: CheckInInput) -> CheckIn:
    """The owner's check-in (progress, confidence, note) or, from the manager chain, a
    note alone."""
    if given.confidence and given.confidence not in Confidence.values:
        raise GoalRefused(_("Confidence is on track, at risk or off track."))
    progress = given.value is not None or given.done is not None
    with transaction.atomic(durable=True):
        objective = _locked(actor, objective_id)
        access = access_for(actor)
        by_owner = policy.may_check_in(access, objective)
        if not by_owner and not policy.may_comment(access, objective):
            raise PermissionDenied
        if not by_owner and (progress or given.confidence):
            raise GoalRefused(_("You may add a note; progress and confidence are the owner's."))
        if not (progress or given.confidence or given.note.strip()):
            raise GoalRefused(_("Give the progress, the confidence or a note."))
        kr = _key_result(objective, given)
        if progress:
            _progress(kr, given, actor)
        made = CheckIn.objects.create(
            objective=objective, key_result=kr, on=given.on, value=given.value, done=given.done,
            confidence=given.confidence, note=given.note.strip(), recorded_by=actor,
            by_owner=by_owner,
        )  # fmt: skip
        record(
            actor, "goals.check_in" if by_owner else "goals.comment", objective,
            after={"on": given.on.isoformat(), "key_result": kr.title if kr else None,
                   "value": _text(given.value), "done": given.done,
                   "confidence": given.confidence, "note": made.note},
        )  # fmt: skip
        return made


def _key_result(objective: Objective, given: CheckInInput) -> KeyResult | None:
    if given.key_result is None:
        if given.value is not None or given.done is not None:
            raise GoalRefused(_("Choose the key result the progress is for."))
        return None
    kr = objective.key_results.filter(pk=given.key_result).first()
    if kr is None:
        raise GoalRefused(_("A key result given is not one of this goal's."))
    return kr


def _progress(kr: KeyResult | None, given: CheckInInput, actor: Any) -> None:
    assert kr is not None
    before = (kr.current, kr.done)
    if kr.metric:
        raise GoalRefused(
            _("“%(title)s” follows the metric %(metric)s: its value comes from the data.")
            % {"title": kr.title, "metric": kr.metric}
        )
    if kr.kind == KeyResult.Kind.MILESTONE:
        if given.done is None:
            raise GoalRefused(_("A milestone is done or not done; it takes no value."))
        kr.done = given.done
    else:
        if given.value is None:
            raise GoalRefused(_("Give the key result's new value."))
        kr.current = given.value
    if (kr.current, kr.done) == before:
        return
    kr.save(update_fields=["current", "done"])
    milestone = kr.kind == KeyResult.Kind.MILESTONE
    Progress.objects.create(
        on=given.on, key_result=kr, value=kr.current, done=kr.done if milestone else None,
        source=Progress.Source.CHECK_IN, recorded_by=actor,
    )  # fmt: skip


# --- reminders ---------------------------------------------------------------------------


@dataclass
class ReminderReport:
    reminded: list[str] = field(default_factory=list)  # owners told now
    already_today: list[str] = field(default_factory=list)
    no_account: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.reminded)


def due_for_check_in(objectives: Sequence[Objective], today: date) -> list[Objective]:
    """Active goals whose owner's last check-in (or, before any, the publishing) is older
    than the goal's cadence."""
    ids = [o.pk for o in objectives]
    last: dict[int, date] = {}
    for objective_id, on in CheckIn.objects.filter(objective_id__in=ids, by_owner=True).values_list(
        "objective_id", "on"
    ):
        last[objective_id] = max(on, last.get(objective_id, on))
    found = []
    for objective in objectives:
        since = last.get(objective.pk)
        if since is None and objective.activated_at is not None:
            since = timezone.localtime(objective.activated_at).date()
        if since is None or (today - since).days > CADENCE_DAYS[Cadence(objective.cadence)]:
            found.append(objective)
    return found


def do_remind_check_ins(actor: Any, objective_ids: Sequence[int] | None = None) -> ReminderReport:
    """Remind the owners of the due goals among these (all the actor may remind when
    None): one notification per owner and day. ``actor`` None is the scheduled task,
    which reminds every owner due."""
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        if actor is None:
            candidates = Objective.objects.filter(status=Objective.Status.ACTIVE).select_related(
                "owner__user"
            )
        else:
            candidates = policy.reminded_in_view(access_for(actor))
        if objective_ids is not None:
            candidates = candidates.filter(pk__in=list(objective_ids))
        due = due_for_check_in(list(candidates), today)
        report = ReminderReport()
        start_of_day = timezone.make_aware(datetime.combine(today, time()))
        by_owner: dict[int, list[Objective]] = {}
        for objective in due:
            by_owner.setdefault(objective.owner_id, []).append(objective)
        for listed in by_owner.values():
            owner = listed[0].owner
            if owner.user is None or not owner.user.is_active:
                report.no_account.append(owner.name)
                continue
            told = Notification.objects.filter(
                recipient=owner.user, action=REMIND, created_at__gte=start_of_day
            ).exists()
            if told:
                report.already_today.append(owner.name)
                continue
            Notification.objects.create(
                recipient=owner.user, action=REMIND, actor_name=person_name(actor)
            )
            record(actor, "goals.remind", owner,
                   after={"goals": [o.title for o in listed]})  # fmt: skip
            report.reminded.append(owner.name)
        return report


# --- the data --------------------------------------------------------------------------------


def do_take_metric_values(run: MetricRun) -> int:
    """After a computation of ``run.period``'s metrics: every metric-bound key result of an
    active goal of that period takes its stored value, with a history row (source
    "data"). The system's write; the key results changed."""
    with transaction.atomic():
        objectives = Objective.objects.filter(
            status=Objective.Status.ACTIVE, period=run.period, key_results__metric__gt=""
        ).distinct()
        return sum(_take_values(objective, run, None) for objective in objectives)


def _take_stored_values(objective: Objective, actor: Any) -> None:
    """A bound key result reads the period's newest stored value as soon as it is saved."""
    run = MetricRun.objects.filter(period=objective.period).first()
    if run is not None and objective.status != Objective.Status.CLOSED:
        _take_values(objective, run, actor, audited=False)


def _take_values(objective: Objective, run: MetricRun, actor: Any, audited: bool = True) -> int:
    changed = []
    for kr in objective.key_results.exclude(metric=""):
        value = _stored(kr, objective.owner.number, run)
        if value is None or value == kr.current:
            continue
        before = kr.current
        kr.current = value
        kr.save(update_fields=["current"])
        Progress.objects.create(
            on=timezone.localdate(), key_result=kr, value=value, source=Progress.Source.DATA,
            run=run.pk, recorded_by=actor,
        )  # fmt: skip
        changed.append({"title": kr.title, "from": _text(before), "to": _text(value)})
    if changed and audited:
        record(actor, "goals.data", objective, after={"run": run.pk, "period": run.period,
                                                      "key_results": changed})  # fmt: skip
    return len(changed)


def _stored(kr: KeyResult, owner_number: str, run: MetricRun) -> Decimal | None:
    scope = MetricScope.ORG if kr.subject == KeyResult.Subject.ORG else MetricScope.OWN
    key = MetricKey(scope, kr.metric)
    found = (
        MetricRecord.objects.filter(
            run=run,
            subject_type=key.subject_type,
            subject=key.subject(owner_number),
            metric=kr.metric,
        )
        .values_list("value", flat=True)
        .first()
    )
    if found is None:
        return None
    return Decimal(repr(found)).quantize(Decimal("0.0001"))
