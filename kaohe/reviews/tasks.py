"""Background work of the reviews app: the daily reminders (``remind_reviewers_task``, or
the ``remind_reviewers`` command), through the same action as HR's button."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone

from kaohe.org.policy import access_for

from . import policy
from .actions import RemindReport, do_remind
from .models import Review


def remind_due(actor: Any) -> RemindReport:
    """Remind for every open review the actor may remind whose deadline has not passed."""
    access = access_for(actor)
    due = Review.objects.filter(state=Review.State.OPEN, deadline__gte=timezone.localdate())
    ids = [r.pk for r in due.select_related("reviewee") if policy.may_remind(access, r)]
    if not ids:
        return RemindReport()
    return do_remind(actor, ids)


@task()
def remind_reviewers_task(username: str) -> int:
    actor = get_user_model().objects.get(username=username, is_active=True)
    return remind_due(actor).count
