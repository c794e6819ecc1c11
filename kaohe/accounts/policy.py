"""What a person may do to their own account."""

from __future__ import annotations

from typing import Any


def may_change_password(actor: Any) -> bool:
    """Anybody signed in changes their own password (Django's form checks the old one)."""
    return bool(actor.is_authenticated and actor.is_active)
