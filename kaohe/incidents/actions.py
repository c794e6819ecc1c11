"""The incident log's writes: recording, editing and deleting an incident, the employee's
response, a month's 1:1 check-in, and HR's reminders to hold them.

Every ``do_*`` takes the actor and typed inputs, asks the policy, writes the audit row and
commits in one transaction. An incident that counts in a locked result stays as recorded:
it can no longer be edited, deleted or answered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Notification
from kaohe.audit.models import record
from kaohe.core import INCIDENT_KINDS
from kaohe.names import person_name
from kaohe.org.models import Employee
from kaohe.org.policy import access_for

from . import policy
from .evidence import current_scheme, indicator_counting, locked_in, targets
from .models import Incident, OneOnOne

# Notification codes, worded by the app's config.
TOLD_OF_INCIDENT = "incident"
ONE_ON_ONE_REMINDER = "one_on_one_remind"
ID_LIMIT = 2**63  # beyond any row's id; larger numbers are refused rather than sent to the database
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class IncidentRefused(Exception):
    """Refused for a reason the user can act on, worded for them; ``field`` names the input
    at fault, if one is."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class IncidentInput:
    """An incident as a form or the API gives it."""

    occurred_on: date | None
    polarity: str
    what: str
    kind: str = ""
    indicator: str = ""
    dimension: str = ""


def not_recordable() -> PermissionDenied:
    return PermissionDenied(
        _(
            "You may record incidents only for the people below you and, as HR, for those "
            "in your scope."
        )
    )


def do_record_incident(actor: Any, employee_number: str, given: IncidentInput) -> Incident:
    with transaction.atomic(durable=True):
        employee = (
            Employee.objects.select_related("department", "position", "user")
            .filter(number=employee_number.strip())
            .first()
        )
        if employee is None:
            raise not_recordable()
        return record_incident_within(actor, employee, given)


def record_incident_within(actor: Any, employee: Employee, given: IncidentInput) -> Incident:
    """Record an incident inside the caller's transaction: for another app's action that
    makes one as part of its own write (a confirmed thank-you). Asks the same policy."""
    if not policy.may_record_for(access_for(actor), employee):
        raise not_recordable()
    incident = Incident(employee=employee, recorded_by=actor)
    _fill(incident, given)
    incident.save()
    record(actor, "incidents.record", incident, after=_data(incident))
    _tell_the_employee(incident, actor)
    return incident


def do_edit_incident(actor: Any, incident_id: int, given: IncidentInput) -> Incident:
    with transaction.atomic(durable=True):
        incident = _locked(actor, incident_id)
        if not policy.may_change_incident(access_for(actor), incident):
            raise PermissionDenied(_("Only whoever recorded the incident, or HR, may change it."))
        _refuse_if_counted(incident)
        before = _data(incident)
        _fill(incident, given)
        _refuse_if_counted(incident)  # nor moved into a locked period
        incident.save()
        record(actor, "incidents.edit", incident, before=before, after=_data(incident))
        return incident


def do_delete_incident(actor: Any, incident_id: int, reason: str = "") -> None:
    with transaction.atomic(durable=True):
        incident = _locked(actor, incident_id)
        if not policy.may_change_incident(access_for(actor), incident):
            raise PermissionDenied(_("Only whoever recorded the incident, or HR, may delete it."))
        _refuse_if_counted(incident)
        before = _data(incident)
        record(actor, "incidents.delete", incident, before=before, note=reason.strip())
        incident.delete()


def do_respond(actor: Any, incident_id: int, text: str) -> Incident:
    """The employee's response to an incident about them: one, which they may reword until
    the appraisal it counts in is finalised."""
    text = text.strip()
    if not text:
        raise IncidentRefused(_("Write your response."), "response")
    with transaction.atomic(durable=True):
        incident = _locked(actor, incident_id)
        if not policy.may_respond(access_for(actor), incident):
            raise PermissionDenied(_("Only the employee the incident is about may respond to it."))
        _refuse_if_counted(incident)
        before = {"response": incident.response}
        incident.response, incident.responded_at = text, timezone.now()
        incident.save(update_fields=["response", "responded_at"])
        record(actor, "incidents.respond", incident, before=before, after={"response": text})
        return incident


def _locked(actor: Any, incident_id: int) -> Incident:
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__department", "employee__position")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None or not policy.can_view_incident(access_for(actor), incident):
        raise Incident.DoesNotExist
    return incident


def _refuse_if_counted(incident: Incident) -> None:
    locked = locked_in(incident.employee_id, incident.occurred_on)
    if locked is not None:
        raise IncidentRefused(
            _(
                "This incident counts in the finalised result of “%(cycle)s”: it stays as "
                "recorded. An appeal of that result is the way to question it."
            )
            % {"cycle": locked.cycle.name}
        )


def _fill(incident: Incident, given: IncidentInput) -> None:
    """Check what was given and put it on the incident."""
    what = given.what.strip()
    if given.occurred_on is None:
        raise IncidentRefused(_("Give the date the incident happened (YYYY-MM-DD)."), "occurred_on")
    if given.occurred_on > timezone.localdate():
        raise IncidentRefused(
            _("The date is in the future: record an incident once it has happened."),
            "occurred_on",
        )
    if given.polarity not in Incident.Polarity.values:
        raise IncidentRefused(_("Say whether the incident is positive or negative."), "polarity")
    if not what:
        raise IncidentRefused(_("Describe what happened."), "what")
    if given.kind and given.kind not in INCIDENT_KINDS:
        raise IncidentRefused(_("Choose a kind from the list, or none."), "kind")
    incident.occurred_on, incident.polarity, incident.what = given.occurred_on, given.polarity, what
    incident.kind = given.kind
    incident.dimension, incident.indicator = _evidenced(incident.employee, given)


def _evidenced(employee: Employee, given: IncidentInput) -> tuple[str, str]:
    """(dimension, indicator) of the person's current scheme; the indicator that counts
    the kind when none is chosen."""
    scheme = current_scheme(employee)
    known = targets(scheme)
    if given.indicator:
        found = next((t for t in known if t.indicator == given.indicator), None)
        if found is None:
            raise IncidentRefused(
                _("“%(name)s” is not an indicator of this person's scheme.")
                % {"name": given.indicator},
                "indicator",
            )
        return found.dimension, found.indicator
    if given.dimension:
        if not any(t.dimension == given.dimension for t in known):
            raise IncidentRefused(
                _("“%(name)s” is not a dimension of this person's scheme.")
                % {"name": given.dimension},
                "dimension",
            )
        return given.dimension, ""
    counting = indicator_counting(scheme, given.kind)
    return (counting.dimension, counting.indicator) if counting else ("", "")


def _data(incident: Incident) -> dict[str, Any]:
    return {
        "person": incident.employee.number,
        "day": incident.occurred_on.isoformat(),
        "polarity": incident.polarity,
        "incident_kind": incident.kind,
        "what": incident.what,
        "indicator": incident.indicator,
        "dimension": incident.dimension,
    }


def _tell_the_employee(incident: Incident, actor: Any) -> None:
    user = incident.employee.user
    if user is None or user == actor:
        return
    Notification.objects.create(
        recipient=user, action=TOLD_OF_INCIDENT, actor_name=person_name(actor)
    )


# --- 1:1s --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OneOnOneInput:
    month: str  # YYYY-MM
    went_well: str = ""
    to_improve: str = ""
    actions: str = ""
    incident_ids: Sequence[int] = ()
    goal_ids: Sequence[str] = ()


def do_save_one_on_one(
    actor: Any, employee_number: str, given: OneOnOneInput
) -> tuple[OneOnOne, bool]:
    """The manager's 1:1 with a person for a month, and whether it is new: a second one of
    the same month is an edit of the first."""
    month = _month(given.month)
    texts = (given.went_well.strip(), given.to_improve.strip(), given.actions.strip())
    if not any(texts):
        raise IncidentRefused(
            _("Write what went well, what to improve or the actions agreed."), "went_well"
        )
    with transaction.atomic(durable=True):
        access = access_for(actor)
        employee = Employee.objects.filter(number=employee_number.strip()).first()
        if employee is None or not policy.may_hold_one_on_one(access, employee):
            raise PermissionDenied(_("You may hold 1:1s only with the people below you."))
        assert access.employee is not None
        one, created = OneOnOne.objects.select_for_update().get_or_create(
            manager=access.employee, employee=employee, month=month,
            defaults={"recorded_by": actor},
        )  # fmt: skip
        before = None if created else _one_data(one)
        one.went_well, one.to_improve, one.actions = texts
        one.goal_ids = [str(g).strip() for g in given.goal_ids if str(g).strip()]
        one.save()
        wanted = set(given.incident_ids)
        linked = Incident.objects.filter(
            employee=employee, pk__in=[i for i in wanted if 0 < i < ID_LIMIT]
        )
        if len(wanted) != linked.count():
            raise IncidentRefused(_("Link only incidents about this person."), "incidents")
        one.incidents.set(linked)
        code = "incidents.one_on_one" if created else "incidents.one_on_one_edit"
        record(actor, code, one, before=before, after=_one_data(one))
        return one, created


def _month(text: str) -> str:
    text = text.strip()
    if MONTH.match(text) is None:
        raise IncidentRefused(_("Give the month as YYYY-MM, e.g. 2026-09."), "month")
    if text > timezone.localdate().strftime("%Y-%m"):
        raise IncidentRefused(_("The month is still to come: hold the 1:1 first."), "month")
    return text


def _one_data(one: OneOnOne) -> dict[str, Any]:
    return {
        "person": one.employee.number,
        "month": one.month,
        "went_well": one.went_well,
        "to_improve": one.to_improve,
        "actions": one.actions,
        "incidents": sorted(one.incidents.values_list("pk", flat=True)),
        "goals": list(one.goal_ids),
    }


@dataclass
class ReminderReport:
    """What a round of 1:1 reminders did, for the page to say."""

    month: str
    sent: list[tuple[str, int]] = field(default_factory=list)  # manager, reports without one
    already_today: list[str] = field(default_factory=list)
    nobody_to_tell: list[str] = field(default_factory=list)  # managers without an account


def do_remind_one_on_ones(actor: Any) -> ReminderReport:
    """Tell each manager who has not held this month's 1:1 with a direct report, once a
    day: HR for its scope, or the operator (``actor`` None) for everyone."""
    access = access_for(actor) if actor is not None else None
    if access is not None and not policy.may_remind_one_on_ones(access):
        raise PermissionDenied(_("Reminders about 1:1s are sent by HR."))
    month = timezone.localdate().strftime("%Y-%m")
    report = ReminderReport(month)
    with transaction.atomic(durable=True):
        reports = list(policy.reports_in_reminder_scope(access))
        held = set(
            OneOnOne.objects.filter(month=month, employee__in=reports).values_list(
                "manager_id", "employee_id"
            )
        )
        missing: dict[Employee, int] = {}
        for person in reports:
            if (person.manager_id, person.pk) not in held:
                missing[person.manager] = missing.get(person.manager, 0) + 1  # type: ignore[index]
        start_of_day = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
        for manager, count in sorted(missing.items(), key=lambda item: item[0].number):
            if manager.user is None or not manager.user.is_active:
                report.nobody_to_tell.append(manager.name)
                continue
            told = Notification.objects.filter(
                recipient=manager.user, action=ONE_ON_ONE_REMINDER, created_at__gte=start_of_day
            )
            if told.exists():
                report.already_today.append(manager.name)
                continue
            Notification.objects.create(
                recipient=manager.user, action=ONE_ON_ONE_REMINDER, actor_name=person_name(actor),
                state=month,
            )  # fmt: skip
            report.sent.append((manager.name, count))
        record(
            actor, "incidents.remind_one_on_ones",
            after={"month": month, "sent": [name for name, _count in report.sent]},
        )  # fmt: skip
    return report
