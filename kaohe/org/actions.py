"""Writes to the organisation. Views and commands call these; none writes models itself.

Each action runs in one transaction, checks the actor's permission through ``Access``,
and writes the audit log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.access import access_for
from kaohe.accounts.passwords import require_password_change
from kaohe.accounts.sessions import end_sessions
from kaohe.audit.models import record

from .models import Department, Employee, Position


@dataclass
class PersonData:
    """What HR enters for a person."""

    number: str
    name: str
    department: Department
    position: Position
    manager: Employee | None
    hire_date: date | None
    email: str
    username: str


def check_manager_chain(employee: Employee | None, manager: Employee | None) -> None:
    """Refuse a manager that would make someone report to themselves, directly or not."""
    if manager is None or employee is None or employee.pk is None:
        return
    if manager.pk == employee.pk or manager.pk in employee.report_ids():
        raise ValidationError(
            _("%(manager)s reports to %(employee)s, so cannot be their manager.")
            % {"manager": manager.name, "employee": employee.name}
        )


def _link_account(employee: Employee, username: str) -> None:
    """Link the employee to an account named ``username``, creating it without a password."""
    username = username.strip()
    if not username:
        return
    if employee.user is not None and employee.user.get_username() == username:
        return
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(username=username)  # no usable password
    elif Employee.objects.filter(user=user).exclude(pk=employee.pk).exists():
        raise ValidationError(
            _("The account %(username)s already belongs to someone else.") % {"username": username}
        )
    employee.user = user


def _apply(employee: Employee, data: PersonData) -> None:
    employee.number = data.number
    employee.name = data.name
    employee.department = data.department
    employee.position = data.position
    employee.manager = data.manager
    employee.hire_date = data.hire_date
    employee.email = data.email
    _link_account(employee, data.username)


def do_create_employee(actor: Any, data: PersonData) -> Employee:
    access = access_for(actor)
    if not access.in_hr_scope(data.department):
        raise PermissionDenied
    with transaction.atomic():
        employee = Employee()
        _apply(employee, data)
        employee.full_clean()
        employee.save()
        record(actor, "employee.create", employee, after=employee.snapshot())
    return employee


def do_update_employee(actor: Any, employee: Employee, data: PersonData) -> Employee:
    access = access_for(actor)
    if not (access.can_edit_employee(employee) and access.in_hr_scope(data.department)):
        raise PermissionDenied
    check_manager_chain(employee, data.manager)
    with transaction.atomic():
        before = Employee.objects.get(pk=employee.pk).snapshot()
        _apply(employee, data)
        employee.full_clean()
        employee.save()
        after = employee.snapshot()
        if after != before:
            record(actor, "employee.update", employee, before=before, after=after)
    return employee


def do_set_active(actor: Any, employee: Employee, active: bool, reason: str = "") -> Employee:
    """Deactivate (never delete) or reactivate a person; their account follows."""
    if not access_for(actor).can_edit_employee(employee):
        raise PermissionDenied
    if employee.active == active:
        return employee
    with transaction.atomic():
        before = employee.snapshot()
        employee.active = active
        employee.save(update_fields=["active"])
        if employee.user is not None:
            employee.user.is_active = active
            employee.user.save(update_fields=["is_active"])
            if not active:
                end_sessions(employee.user)
        action = "employee.reactivate" if active else "employee.deactivate"
        record(actor, action, employee, before=before, after=employee.snapshot(), note=reason)
    return employee


def do_set_temporary_password(actor: Any, employee: Employee) -> str:
    """Give the person's account a new random password, shown once to HR; returns it.

    For people whose accounts were made by an import or by HR, which have no password.
    The old password stops working at once.
    """
    if not access_for(actor).can_edit_employee(employee) or not employee.active:
        raise PermissionDenied
    if employee.user is None:
        raise ValidationError(_("%(name)s has no sign-in name yet.") % {"name": employee.name})
    # Easy to read out or type: no 0/O or 1/l/I.
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    password = "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
    with transaction.atomic():
        employee.user.set_password(password)
        employee.user.save(update_fields=["password"])
        require_password_change(employee.user)
        record(actor, "account.temporary_password", employee)
    return password
