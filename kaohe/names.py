"""How pages, mails and logs name the person behind an account."""

from __future__ import annotations

# Who did what the operator did at the server's shell, with no account (worded on pages).
SYSTEM = "system"


def person_name(user: object) -> str:
    """How pages, mails and logs name an account's holder: their name as an employee, or
    the account's full name, or — for an account that is neither — its sign-in name."""
    if user is None or not getattr(user, "pk", None):
        return SYSTEM
    employee = getattr(user, "employee", None)  # None when the account has no record
    if employee is not None:
        return str(employee.name)
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())  # type: ignore[attr-defined]
