"""Writes to the organisation: people, their accounts, the organisation import, roles.

Each action checks the actor's permission through the policy, runs in one transaction and
writes the audit log. Views and commands call these; none writes models itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.accounts.passwords import require_password_change
from kaohe.accounts.sessions import end_sessions
from kaohe.audit.models import record

from .accounts import AccountRefused, apply_account, plan_account
from .importing import ImportPlan, apply_import, plan_import
from .leaving import date_problem
from .models import AccessGrant, Department, Employee, GrantRole, LeavingReason, Position
from .policy import access_for


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
    if manager.pk == employee.pk or manager.pk in employee.everyone_below():
        raise ValidationError(
            _("%(manager)s reports to %(employee)s, so cannot be their manager.")
            % {"manager": manager.name, "employee": employee.name}
        )


def _apply(actor: Any, employee: Employee, data: PersonData) -> Any:
    try:
        account = plan_account(access_for(actor), employee, data.username)
    except AccountRefused as refused:
        raise ValidationError(str(refused)) from None
    employee.number = data.number
    employee.name = data.name
    employee.department = data.department
    employee.position = data.position
    employee.manager = data.manager
    employee.hire_date = data.hire_date
    employee.email = data.email
    return apply_account(employee, account)


def do_create_employee(actor: Any, data: PersonData) -> Employee:
    access = access_for(actor)
    if not access.can_place_person_in(data.department):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        employee = Employee()
        _apply(actor, employee, data)
        employee.full_clean()
        employee.save()
        record(actor, "employee.create", employee, after=employee.snapshot())
    return employee


def do_update_employee(actor: Any, employee: Employee, data: PersonData) -> Employee:
    access = access_for(actor)
    if not (access.can_edit_employee(employee) and access.can_place_person_in(data.department)):
        raise PermissionDenied
    check_manager_chain(employee, data.manager)
    with transaction.atomic(durable=True):
        before = Employee.objects.get(pk=employee.pk).snapshot()
        retired = _apply(actor, employee, data)
        employee.full_clean()
        employee.save()
        after = employee.snapshot()
        if after != before:
            record(actor, "employee.update", employee, before=before, after=after)
        if retired is not None:
            record(actor, "account.retire", retired, before={"active": True},
                   after={"active": False}, note=employee.name)  # fmt: skip
            transaction.on_commit(lambda: end_sessions(retired))
    return employee


@dataclass(frozen=True)
class Leaving:
    """Why and when a person left, given when HR deactivates them."""

    reason: LeavingReason
    on: date
    note: str = ""


def check_leaving(employee: Employee, leaving: Leaving, today: date) -> None:
    """Refuse a leaving date before the person was hired or well after today."""
    problem = date_problem(leaving.on, employee.hire_date, today)
    if problem:
        raise ValidationError({"leaving_date": problem})


def do_deactivate(actor: Any, employee: Employee, leaving: Leaving) -> Employee:
    """Deactivate a person who left (or moved within the group), recording when and why:
    the leaving date and reason are what the attrition model learns from."""
    if not access_for(actor).can_edit_employee(employee):
        raise PermissionDenied
    check_leaving(employee, leaving, timezone.localdate())
    return _set_active(actor, employee, False, leaving.note, leaving)


def do_set_active(actor: Any, employee: Employee, active: bool, reason: str = "") -> Employee:
    """Deactivate (never delete) or reactivate a person; their account follows, and
    deactivation signs them out everywhere, so reactivation brings back no old session.
    Reactivation clears the leaving date and reason; the audit log keeps them."""
    if not access_for(actor).can_edit_employee(employee):
        raise PermissionDenied
    return _set_active(actor, employee, active, reason, None)


def _set_active(
    actor: Any, employee: Employee, active: bool, note: str, leaving: Leaving | None
) -> Employee:
    if employee.active == active:
        return employee
    me = access_for(actor).employee if actor is not None else None
    if not active and me is not None and me.pk == employee.pk:
        # Signing oneself out for good, with nobody else to undo it, is never meant.
        raise ValidationError(_("You cannot deactivate yourself."))
    with transaction.atomic(durable=True):
        before = employee.snapshot()
        employee.active = active
        employee.leaving_date = leaving.on if leaving else None
        employee.leaving_reason = leaving.reason if leaving else ""
        employee.save(update_fields=["active", "leaving_date", "leaving_reason"])
        user = employee.user
        if user is not None:
            user.is_active = active
            user.save(update_fields=["is_active"])
            if not active:
                end_sessions(user)
        action = "employee.reactivate" if active else "employee.deactivate"
        record(actor, action, employee, before=before, after=employee.snapshot(), note=note)
    return employee


# Easy to read out or type: no 0/O or 1/l/I.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def do_set_temporary_password(actor: Any, employee: Employee) -> str:
    """Give the person's account a new random password, shown once to HR; returns it.

    For people whose accounts were made by an import or by HR, which have no password.
    The old password stops working at once, and the person must choose their own at the
    next sign-in. Never for an account holding a role or an administrator's.
    """
    access = access_for(actor)
    if not access.can_edit_employee(employee) or not employee.active:
        raise PermissionDenied
    if employee.user is None:
        raise ValidationError(_("%(name)s has no sign-in name yet.") % {"name": employee.name})
    if not access.can_manage_account(employee.user, employee):
        raise PermissionDenied
    password = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
    with transaction.atomic(durable=True):
        employee.user.set_password(password)
        employee.user.save(update_fields=["password"])
        require_password_change(employee.user)
        record(actor, "account.temporary_password", employee)
    return password


def do_import_organisation(actor: Any, path: Path, file_name: str) -> ImportPlan:
    """Check the file again against the organisation as it is now and, when it is clean,
    write it whole; the plan says what happened (or, with problems, why nothing did)."""
    if not access_for(actor).can_import_organisation():
        raise PermissionDenied
    plan = plan_import(path, file_name, actor)
    if plan.ok:
        apply_import(plan, actor)
    return plan


# --- roles -------------------------------------------------------------------------------


def _may_grant(actor: Any) -> None:
    """The operator at the command line (no actor) or whole-organisation HR."""
    if actor is not None and not access_for(actor).can_grant_roles():
        raise PermissionDenied


def do_grant_role(
    actor: Any, user: Any, role: GrantRole, departments: Sequence[Department] = ()
) -> AccessGrant:
    """Make the account an HR admin (for the whole organisation, or these departments and
    all below them) or an executive viewer."""
    _may_grant(actor)
    with transaction.atomic(durable=True):
        grant, created = AccessGrant.objects.get_or_create(user=user, role=role)
        before = None if created else {"role": str(role), "scope": _scope(grant)}
        if role == GrantRole.HR_ADMIN:
            grant.departments.set(departments)
        record(actor, "access.grant", user, before=before,
               after={"role": str(role), "scope": _scope(grant)})  # fmt: skip
    return grant


def do_revoke_role(actor: Any, user: Any, role: GrantRole) -> bool:
    """Take the role away; False when the account did not have it."""
    _may_grant(actor)
    with transaction.atomic(durable=True):
        grant = AccessGrant.objects.filter(user=user, role=role).first()
        if grant is None:
            return False
        before = {"role": str(role), "scope": _scope(grant)}
        grant.delete()
        record(actor, "access.revoke", user, before=before, after=None)
    return True


def _scope(grant: AccessGrant) -> list[str]:
    return [d.path for d in grant.departments.all()] or ["*"]
