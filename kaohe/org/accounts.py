"""The rules for a person's sign-in account, shared by the person form and the import.

HR may give a person a new account, rename the person's own account, or link an account
that carries no power of its own and belongs to nobody else. It may never adopt an account
holding a granted role (HR, executive), a superuser's or staff account, or one linked to
another person — the hole through which a department-scoped HR admin once took over the
organisation's first HR account. When a person moves to another existing account, the old
one is retired: deactivated, without a password, signed out everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .models import Employee
from .policy import Access


class AccountRefused(Exception):
    """A sign-in name HR may not give this person; worded for the page or the report."""


@dataclass(frozen=True)
class AccountPlan:
    """What linking ``username`` to a person will do."""

    kind: str  # "keep", "create", "rename", "link"
    username: str
    existing: Any = None  # the account to link, for "link"


def plan_account(access: Access, employee: Employee | None, username: str) -> AccountPlan:
    """Decide, without writing, what giving this person the sign-in name does; raises
    AccountRefused when HR may not."""
    username = username.strip()
    current = employee.user if employee is not None and employee.pk else None
    if not username or (current is not None and current.get_username() == username):
        return AccountPlan("keep", username)
    if current is not None and not access.can_manage_account(current, employee):
        raise AccountRefused(
            _("%(name)s's account holds a role or belongs to an administrator; its sign-in "
              "name is changed with the kaohe command, not here.") % {"name": employee.name}
        )  # fmt: skip
    existing = get_user_model().objects.filter(username=username).first()
    if existing is None:
        return AccountPlan("rename" if current is not None else "create", username)
    owner = Employee.objects.filter(user=existing).exclude(pk=getattr(employee, "pk", None)).first()
    if owner is not None:
        raise AccountRefused(
            _("The sign-in name %(username)s already belongs to someone else.")
            % {"username": username}
        )
    if not access.can_manage_account(existing, employee):
        raise AccountRefused(
            _("The account %(username)s holds a role or belongs to an administrator, so it "
              "cannot be linked to a person.") % {"username": username}
        )  # fmt: skip
    return AccountPlan("link", username, existing)


def apply_account(employee: Employee, plan: AccountPlan) -> Any:
    """Carry out a plan on the person (saved by the caller); returns a retired account to
    sign out, if any."""
    current = employee.user
    if plan.kind == "keep":
        return None
    if plan.kind == "rename":
        current.username = plan.username
        current.save(update_fields=["username"])
        return None
    if plan.kind == "create":
        employee.user = get_user_model().objects.create_user(username=plan.username)
        return None
    employee.user = plan.existing
    if plan.existing.is_active != employee.active:  # a retired account taken up again
        plan.existing.is_active = employee.active
        plan.existing.save(update_fields=["is_active"])
    if current is not None:
        retire(current)
        return current
    return None


def retire(user: Any) -> None:
    """An account nobody uses any more: inactive and without a password."""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
