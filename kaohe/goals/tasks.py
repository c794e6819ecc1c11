"""Scheduled goal work: reminding every owner whose check-in is overdue (run it daily from
the task worker's schedule, or ``kaohe manage shell -c`` in a cron job)."""

from __future__ import annotations

from django.tasks import task

from .actions import do_remind_check_ins


@task()
def remind_goal_check_ins() -> int:
    """Remind the owners of every goal under way whose check-in is overdue; how many."""
    return do_remind_check_ins(None).count
