"""``kaohe manage remind_one_on_ones``: remind every manager who has not yet held this
month's 1:1 with each direct report, as the operator (at most once a day each); for cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kaohe.incidents.actions import do_remind_one_on_ones


class Command(BaseCommand):
    help = "Remind managers of this month's 1:1s not yet held (once a day each)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = do_remind_one_on_ones(None)
        for name, count in report.sent:
            self.stdout.write(f"{report.month}: reminded {name} ({count} without a 1:1)")
        for name in report.already_today:
            self.stdout.write(f"{report.month}: {name} already reminded today")
        for name in report.nobody_to_tell:
            self.stdout.write(f"{report.month}: {name} has no account to remind")
