"""``kaohe manage remind_reviewers --as USER``: remind every rater who has not answered an
open 360 review before its deadline, as HR would from the review page — one reminder per
rater per day, so a daily scheduled run never nags twice."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kaohe.reviews.tasks import remind_due


class Command(BaseCommand):
    help = "Remind raters who have not answered an open 360 review (once a day each)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as", dest="username", required=True,
                            help="The HR account the reminders come from.")  # fmt: skip

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active account named {username!r}")
        report = remind_due(actor)
        self.stdout.write(
            f"{report.count} reminded, {len(report.already_today)} already reminded today"
        )
