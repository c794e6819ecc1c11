"""Temporary passwords: one HR sets must be replaced by its owner at the next sign-in.

``require_password_change`` is called by the action that sets the password (which checks
permission and audits); the password-change page clears the flag; the middleware in
``middleware.py`` holds the person at that page until then.
"""

from __future__ import annotations

from typing import Any

from .models import AccountState


def require_password_change(user: Any) -> None:
    """The account's owner must choose a new password before using kaohe."""
    AccountState.objects.update_or_create(user=user, defaults={"must_change_password": True})


def must_change_password(user: Any) -> bool:
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


def password_changed(user: Any) -> None:
    """The owner has chosen their own password."""
    AccountState.objects.filter(user=user).update(must_change_password=False)
