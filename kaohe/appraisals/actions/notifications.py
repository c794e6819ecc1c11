"""Marking one's own notifications read: an explicit action, never a side effect of a GET.

Not audited: it changes nothing but the reader's own inbox."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Notification


def do_mark_notifications_read(actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's unread notifications read (those ``ids``, or all); how many."""
    with transaction.atomic(durable=True):
        unread = Notification.objects.filter(recipient=actor, read_at=None)
        if ids is not None:
            unread = unread.filter(pk__in=list(ids))
        return unread.update(read_at=timezone.now())
