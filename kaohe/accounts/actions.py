"""What a person does to their own account: for now, change their password. Audited in the
transaction that writes it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaohe.audit.models import record

from . import policy
from .passwords import password_changed


def do_change_password(actor: Any, form: Any) -> None:
    """Save the new password of a valid password-change form (Django's, which has checked
    the old one): the owner's own choice, so a temporary password's flag is cleared."""
    if not policy.may_change_password(actor):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        form.save()
        password_changed(actor)
        record(actor, "account.password_change", actor)
