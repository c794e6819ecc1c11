"""Who may see and record critical incidents and 1:1 check-ins.

Incidents: the person's managers (anyone above them in the org chart) and HR with their
department in scope record them, at any time; the recorder or HR edit and delete them. The
employee reads the incidents about them and answers each once. Executives read them, as
they read the appraisals they evidence, and record none by that role; an executive who is
also a manager records for the people below them as their manager. Nobody records
incidents about themselves.

1:1s: a manager holds them with the people below them; each is seen by the two, the
manager's own managers and HR in scope — not by executives by that role alone.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.policy import can_view_appraisal
from kaohe.org.models import Employee
from kaohe.org.policy import Access

from .models import Incident, OneOnOne


def _own(access: Access, employee_id: int) -> bool:
    return access.employee is not None and access.employee.pk == employee_id


def _above_or_hr(access: Access, employee: Employee) -> bool:
    if _own(access, employee.pk):
        return False
    return access.manages(employee.pk) or access.in_hr_scope(employee.department_id)


# --- incidents ---------------------------------------------------------------------------


def can_open_incidents(access: Access) -> bool:
    """The list page: their own incidents, their people's, HR's scope, an executive's all."""
    return access.is_employee or access.is_hr or access.is_executive


def can_record_incidents(access: Access) -> bool:
    """Whether the new-incident form is offered at all: managers and HR."""
    return access.is_manager or access.is_hr


def may_record_for(access: Access, employee: Employee) -> bool:
    return employee.active and _above_or_hr(access, employee)


def can_view_incidents_of(access: Access, employee: Employee) -> bool:
    return (
        _own(access, employee.pk)
        or access.is_executive
        or access.manages(employee.pk)
        or access.in_hr_scope(employee.department_id)
    )


def can_view_incident(access: Access, incident: Incident) -> bool:
    return can_view_incidents_of(access, incident.employee)


def may_change_incident(access: Access, incident: Incident) -> bool:
    """The recorder, while still above the person, or HR in scope."""
    employee = incident.employee
    if _own(access, employee.pk):
        return False
    recorder = incident.recorded_by_id is not None and incident.recorded_by_id == access.user.pk
    return (recorder and access.manages(employee.pk)) or access.in_hr_scope(employee.department_id)


def may_respond(access: Access, incident: Incident) -> bool:
    return _own(access, incident.employee_id)


def incidents_in_view(access: Access) -> QuerySet[Incident]:
    found = Incident.objects.select_related(
        "employee", "employee__department", "recorded_by__employee"
    )
    people = access.people_filter("employee")
    return found if people is None else found.filter(people)


def people_to_record_for(access: Access) -> QuerySet[Employee]:
    """The active people this user may record incidents for, for the form's choice."""
    found = Q(pk__in=sorted(access.report_ids))
    if access.is_hr:
        scope = access.hr_scope
        found |= Q(pk__isnull=False) if scope is None else Q(department_id__in=sorted(scope))
    people = Employee.objects.filter(found, active=True).select_related("department")
    if access.employee is not None:
        people = people.exclude(pk=access.employee.pk)
    return people.order_by("number")


def can_see_incidents_on(access: Access, appraisal: Appraisal) -> bool:
    """An appraisal's period's incidents are seen by whoever may see the appraisal."""
    return can_view_appraisal(access, appraisal)


# --- 1:1s --------------------------------------------------------------------------------


def can_open_one_on_ones(access: Access) -> bool:
    return access.is_employee or access.is_hr


def can_hold_one_on_ones(access: Access) -> bool:
    return access.is_manager


def may_hold_one_on_one(access: Access, employee: Employee) -> bool:
    return employee.active and not _own(access, employee.pk) and access.manages(employee.pk)


def can_view_one_on_one(access: Access, one: OneOnOne) -> bool:
    me = access.employee
    if me is not None and me.pk in (one.employee_id, one.manager_id):
        return True
    return access.manages(one.manager_id) or access.in_hr_scope(one.employee.department_id)


def may_edit_one_on_one(access: Access, one: OneOnOne) -> bool:
    me = access.employee
    return me is not None and me.pk == one.manager_id and access.manages(one.employee_id)


def one_on_ones_in_view(access: Access) -> QuerySet[OneOnOne]:
    found = OneOnOne.objects.select_related("manager", "employee", "employee__department")
    if access.hr_for_whole_organisation:
        return found
    seen = Q(pk__in=[])
    me = access.employee
    if me is not None:
        seen |= Q(employee=me) | Q(manager=me)
    if access.report_ids:
        seen |= Q(manager_id__in=sorted(access.report_ids))
    if access.is_hr and access.hr_scope:
        seen |= Q(employee__department_id__in=sorted(access.hr_scope))
    return found.filter(seen)


def may_remind_one_on_ones(access: Access) -> bool:
    return access.is_hr


def reports_in_reminder_scope(access: Access | None) -> QuerySet[Employee]:
    """The active people with a manager whom reminders cover: HR's scope, or everyone for
    the operator at the shell (no access)."""
    found = Employee.objects.filter(active=True, manager__isnull=False, manager__active=True)
    if access is not None and not access.is_hr:
        return Employee.objects.none()
    scope = access.hr_scope if access is not None else None
    if scope is not None:
        found = found.filter(department_id__in=sorted(scope))
    return found.select_related("manager__user")
