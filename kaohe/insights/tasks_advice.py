"""Scheduled weight advice: look for signals and propose weights for the schemes in use
(run it weekly or after each quarter's import from the task worker's schedule, or with
``kaohe manage shell -c`` in a cron job), through the same action as HR's button."""

from __future__ import annotations

from django.tasks import task

from .actions_advice import do_look_for_signals


@task()
def look_for_signals_task() -> int:
    """Look for signals as the system; how many proposals were made."""
    return len(do_look_for_signals(None).made)
