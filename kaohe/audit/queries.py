"""The audit log filtered as its page and the API filter it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry


def filtered_entries(
    *,
    who: str = "",
    kind: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Newest first. ``who``: part of the actor's name, or their exact sign-in name;
    ``since`` and ``until`` are whole days in the organisation's time zone."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    if who:
        entries = entries.filter(Q(actor_name__icontains=who) | Q(actor__username__iexact=who))
    if kind:
        entries = entries.filter(target_type=kind)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(since, time())))
    if until:
        end = datetime.combine(until + timedelta(days=1), time())
        entries = entries.filter(at__lt=timezone.make_aware(end))
    return entries
