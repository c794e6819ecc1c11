"""Ending an account's sessions, so that signing in again is the only way back."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session


def end_sessions(user: Any) -> int:
    """Delete every stored session of the account; how many. Sessions are scanned and
    decoded, which is fine for what calls this (deactivation, retiring an account)."""
    ended = 0
    for session in Session.objects.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended
