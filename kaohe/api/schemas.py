"""The shapes the API answers with: plain, English field names, whatever the language."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class EmployeeOut(Schema):
    number: str
    name: str
    department: str  # the department's path, e.g. 企服部/客服中心/客服一组
    position: str
    manager: str | None  # the manager's employee number
    hire_date: date | None
    active: bool
    # When and why a deactivated person left: shown to HR in scope and executive viewers,
    # null for everyone else and for active people.
    leaving_date: date | None = None
    leaving_reason: str | None = None  # resigned, dismissed, contract_ended, retired, …


class RoleOut(Schema):
    role: str  # employee, manager, hr_admin, executive
    # For an HR admin: the department paths in scope (and all below), or None for the
    # whole organisation; None for the other roles.
    departments: list[str] | None = None


class MeOut(Schema):
    username: str
    name: str
    employee: EmployeeOut | None
    roles: list[RoleOut]
    token: str | None  # the name of the token the request came with, None for a session
