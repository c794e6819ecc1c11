"""Telling people about 360 reviews: a notification in the app and a mail after commit.

What is said is only that something happened — a review waits on you, a rater declined,
results are released — never an answer, a level or a comment, and never who answered.
Called only from the reviews actions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.appraisals.models import Notification
from kaohe.names import person_name

from .models import Review

logger = logging.getLogger(__name__)

# Notification actions of this app, worded when shown, and where they lead.
WORDS = {
    "review_remind": gettext_lazy("Reminder: a 360 review waits on your answer"),
    "review_declined": gettext_lazy("declined to give a 360 review you nominated them for"),
    "review_released": gettext_lazy("360 review results are released"),
}
LEADS_TO = {"review_remind": "reviews-inbox", "review_declined": "reviews",
            "review_released": "reviews"}  # fmt: skip


def tell(recipients: Iterable[Any], action: str, actor: Any) -> None:
    users = [user for user in dict.fromkeys(recipients) if user is not None and user.is_active]
    name = person_name(actor)
    for user in users:
        Notification.objects.create(recipient=user, action=action, actor_name=name)
    to = [address for user in users if (address := _address(user))]
    if to:
        transaction.on_commit(lambda: _mail(action, name, to))


def results_readers(review: Review) -> list[Any]:
    """The reviewee and their manager chain: whom released results are told to."""
    readers = []
    person: Any = review.reviewee
    seen: set[int] = set()
    while person is not None and person.pk not in seen:
        seen.add(person.pk)
        if person.user is not None:
            readers.append(person.user)
        person = person.manager
    return readers


def _address(user: Any) -> str:
    employee = getattr(user, "employee", None)
    return (employee.email if employee is not None else "") or user.email or ""


def _mail(action: str, actor_name: str, to: list[str]) -> None:
    link = f"{settings.SITE_URL.rstrip('/')}{reverse(LEADS_TO[action])}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[kaohe] 360 review: %(what)s") % {"what": WORDS[action]}
        body = f"{actor_name} · {WORDS[action]}\n\n{link}\n"
        messages = [EmailMessage(subject, body, to=[address]) for address in to]
    try:
        mailers.default.send_messages(messages)
    except Exception:  # a mail server down must not undo the action; the app still shows it
        logger.exception("could not send the %s mail", action)
