"""Telling people: a notification in the app, and a mail when they have an address.

Mail goes out after the transaction commits, so a refused action sends nothing, and a mail
server that is down never undoes an action. Mails name people by name and carry absolute
links built from ``KAOHE_SITE_URL``. Called only from the appraisal actions.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaohe.names import person_name

from .models import Appraisal, Notification
from .policy import waiting_accounts
from .workflow import ACTIONS, Action

logger = logging.getLogger(__name__)

# Decisions the employee hears about even though the appraisal no longer waits on them.
TOLD_TO_THE_EMPLOYEE = {"finalise", "uphold", "adjust"}


def told_of(appraisal: Appraisal, action: Action, actor: Any) -> list[Any]:
    """Who hears of an action just taken: whoever the appraisal now waits on, but the
    actor, and the employee of a decision about them."""
    recipients = [user for user in waiting_accounts(appraisal) if user != actor]
    employee = appraisal.employee.user
    if action.name in TOLD_TO_THE_EMPLOYEE and employee and employee not in recipients:
        recipients.append(employee)
    return recipients


def notify_next(appraisal: Appraisal, action: Action, actor: Any) -> list[Any]:
    """Tell whoever ``told_of`` names, in the app and by mail; the accounts told."""
    recipients = told_of(appraisal, action, actor)
    for user in recipients:
        Notification.objects.create(
            recipient=user,
            appraisal=appraisal,
            action=action.name,
            actor_name=person_name(actor),
            state=appraisal.state,
        )
    _mail_after_commit([appraisal.pk], action.name, actor, recipients)
    return recipients


@dataclass
class ReminderReport:
    """What a round of reminders did, for the page to say."""

    sent: list[tuple[str, str, int]] = field(default_factory=list)  # name, state, appraisals
    already_today: list[str] = field(default_factory=list)
    nobody_to_tell: list[str] = field(default_factory=list)  # employees whose turn has no account

    @property
    def count(self) -> int:
        return len(self.sent)


def remind(appraisals: Iterable[Appraisal], actor: Any) -> ReminderReport:
    """One reminder per person per stage per day, listing every appraisal waiting on them
    at that stage; someone already reminded today about that stage is left alone."""
    waiting: dict[tuple[Any, str], list[Appraisal]] = defaultdict(list)
    report = ReminderReport()
    for appraisal in appraisals:
        accounts = waiting_accounts(appraisal)
        if not accounts:
            report.nobody_to_tell.append(appraisal.employee.name)
        for user in accounts:
            waiting[(user, appraisal.state)].append(appraisal)
    start_of_day = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
    for (user, state), listed in waiting.items():
        reminded = Notification.objects.filter(
            recipient=user, action="remind", state=state, created_at__gte=start_of_day
        ).exists()
        if reminded:
            report.already_today.append(person_name(user))
            continue
        for appraisal in listed:
            Notification.objects.create(
                recipient=user, appraisal=appraisal, action="remind",
                actor_name=person_name(actor), state=state,
            )  # fmt: skip
        report.sent.append((person_name(user), state, len(listed)))
        _mail_after_commit([a.pk for a in listed], "remind", actor, [user])
    return report


def _address(user: Any) -> str:
    employee = getattr(user, "employee", None)
    return (employee.email if employee is not None else "") or user.email or ""


def site_url(path: str) -> str:
    """An absolute address people can open from a mail."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _mail_after_commit(
    appraisal_ids: list[int], action_name: str, actor: Any, recipients: list[Any]
) -> None:
    """One mail to each recipient with an address, after the transaction commits; the
    employee's own mail carries what is meant for them (the result, the appeal window)."""
    employee_ids = set(
        Appraisal.objects.filter(pk__in=appraisal_ids).values_list("employee__user_id", flat=True)
    )
    to = [(address, user.pk in employee_ids) for user in recipients if (address := _address(user))]
    if to:
        name = person_name(actor)
        transaction.on_commit(lambda: _mail(appraisal_ids, action_name, name, to))


def _mail(
    appraisal_ids: list[int], action_name: str, actor_name: str, to: list[tuple[str, bool]]
) -> None:
    appraisals = list(
        Appraisal.objects.select_related("employee", "cycle").filter(pk__in=appraisal_ids)
    )
    if not appraisals:
        return
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            EmailMessage(*_worded(appraisals, action_name, actor_name, own), to=[address])
            for address, own in to
        ]
    try:
        mailers.default.send_messages(messages)
    except Exception:  # a mail server down must not undo the workflow; the app still shows it
        logger.exception("could not send the %s mail for appraisals %s", action_name, appraisal_ids)


def _worded(
    appraisals: list[Appraisal], action_name: str, actor_name: str, own: bool
) -> tuple[str, str]:
    first = appraisals[0]
    if action_name == "remind":
        subject = _("[kaohe] %(cycle)s: %(count)d appraisals wait on you") % {
            "cycle": first.cycle.name, "count": len(appraisals),
        }  # fmt: skip
        intro = _("%(actor)s reminds you that these appraisals wait on you:")
        lines = [intro % {"actor": actor_name}]
        for appraisal in appraisals:
            link = site_url(reverse("appraisal", args=[appraisal.pk]))
            lines.append(f"- {appraisal.employee.name} · {appraisal.state_label()} · {link}")
        return subject, "\n".join(lines) + "\n"
    label = ACTIONS[action_name].label
    subject = _("[kaohe] %(cycle)s: %(employee)s — %(action)s") % {
        "cycle": first.cycle.name, "employee": first.employee.name, "action": label,
    }  # fmt: skip
    lines = [
        _("%(actor)s: %(action)s.") % {"actor": actor_name, "action": label},
        _("The appraisal is now at “%(state)s”.") % {"state": first.state_label()},
    ]
    if own:
        lines += _decision_lines(first, action_name)
    lines += ["", site_url(reverse("appraisal", args=[first.pk]))]
    return subject, "\n".join(lines) + "\n"


def _decision_lines(appraisal: Appraisal, action_name: str) -> list[str]:
    result = appraisal.latest_result()
    if action_name not in TOLD_TO_THE_EMPLOYEE or result is None:
        return []
    lines = [
        _("Result: %(total)s points, grade %(grade)s.")
        % {"total": result.total, "grade": result.grade}
    ]
    if action_name == "finalise" and appraisal.appeal_until is not None:
        deadline = timezone.localtime(appraisal.appeal_until)
        lines.append(
            _("If you disagree, you may appeal until %(deadline)s.")
            % {"deadline": deadline.strftime("%Y-%m-%d %H:%M")}
        )
    return lines
