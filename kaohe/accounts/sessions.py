"""Ending someone's sessions, so that a deactivated person stays signed out when reactivated.

Deactivation alone only makes Django ignore the person's sessions while the account is
inactive; reactivation would bring them back. The session store keeps no index by user, so
``end_sessions`` decodes every unexpired session and deletes the person's. That is a scan of
the session table, acceptable for something as rare as deactivating someone.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def end_sessions(user: Any) -> int:
    """Delete every stored session signed in as ``user``; returns how many there were."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        raise ImproperlyConfigured("ending sessions needs a database-backed SESSION_ENGINE")
    user_id = user._meta.pk.value_to_string(user)
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = [
        session.session_key
        for session in sessions.only("session_key", "session_data").iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    for session_key in ended:
        store(session_key).delete()  # also from the cache, for cached_db
    return len(ended)
