"""Telling the next person: a notification in the app, and an e-mail when they have an
address. Mail goes out after the transaction commits, so a refused action sends nothing."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kaohe.access import Access
from kaohe.org.models import AccessGrant, GrantRole

from .models import Appraisal, Notification
from .workflow import ACTIONS, WAITS_ON, Action, Role, State

logger = logging.getLogger(__name__)


def waiting_users(appraisal: Appraisal) -> list[Any]:
    """The accounts the appraisal now waits on."""
    state = appraisal.current_state
    role = WAITS_ON.get(state)
    if state is State.ACKNOWLEDGEMENT and appraisal.acknowledged_at is not None:
        role = Role.HR
    if role is Role.EMPLOYEE:
        return [appraisal.employee.user] if appraisal.employee.user else []
    if role is Role.RATER:
        return [appraisal.rater.user] if appraisal.rater and appraisal.rater.user else []
    if role is Role.HR:
        return hr_users_for(appraisal)
    return []


def waiting_on(access: Access) -> Q:
    """The appraisals that wait on this user, as a filter: the rule of ``waiting_users``,
    asked from the other side."""

    def states(role: Role) -> list[str]:
        return [str(state) for state, waits in WAITS_ON.items() if waits is role]

    acknowledged = Q(state=State.ACKNOWLEDGEMENT, acknowledged_at__isnull=False)
    found = Q(pk__in=[])
    me = access.employee
    if me is not None:
        found |= Q(employee=me, state__in=states(Role.EMPLOYEE)) & ~acknowledged
        found |= Q(rater=me, state__in=states(Role.RATER))
    if access.is_hr:
        for_hr = Q(state__in=states(Role.HR)) | acknowledged
        if access.hr_scope is not None:
            for_hr &= Q(employee__department_id__in=access.hr_scope)
        if me is not None:
            for_hr &= ~Q(employee=me)
        found |= for_hr
    return found


def hr_users_for(appraisal: Appraisal) -> list[Any]:
    grants = AccessGrant.objects.filter(role=GrantRole.HR_ADMIN).select_related("user")
    department = appraisal.employee.department_id
    return [
        grant.user
        for grant in grants
        if grant.user.is_active
        and Access(grant.user).in_hr_scope(department)
        and grant.user != appraisal.employee.user
    ]


def notify_next(appraisal: Appraisal, action: Action, actor: Any) -> None:
    recipients = [user for user in waiting_users(appraisal) if user != actor]
    if action.name in ("uphold", "adjust") and appraisal.employee.user:
        recipients.append(appraisal.employee.user)  # the decision on their appeal
    for user in recipients:
        Notification.objects.create(
            recipient=user,
            appraisal=appraisal,
            action=action.name,
            actor_name=actor.get_username(),
        )
    addresses = [address for address in (_address(user) for user in recipients) if address]
    if addresses:
        transaction.on_commit(lambda: _mail(appraisal.pk, action.name, actor, addresses))


def remind(appraisal: Appraisal, actor: Any) -> int:
    """Remind whoever the appraisal waits on, in the app and by mail; how many were told."""
    recipients = waiting_users(appraisal)
    for user in recipients:
        Notification.objects.create(
            recipient=user, appraisal=appraisal, action="remind", actor_name=actor.get_username()
        )
    addresses = [address for address in (_address(user) for user in recipients) if address]
    if addresses:
        transaction.on_commit(lambda: _mail(appraisal.pk, "remind", actor, addresses))
    return len(recipients)


def _address(user: Any) -> str:
    employee = getattr(user, "employee", None)
    return (employee.email if employee is not None else "") or user.email or ""


def site_url(path: str) -> str:
    """An address people can open from a mail: KAOHE_SITE_URL, when set, before the path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}" if settings.SITE_URL else path


def _mail(appraisal_id: int, action_name: str, actor: Any, addresses: list[str]) -> None:
    appraisal = Appraisal.objects.select_related("employee", "cycle").get(pk=appraisal_id)
    with translation.override(settings.LANGUAGE_CODE):
        label = ACTIONS[action_name].label if action_name in ACTIONS else _("Reminder")
        subject = _("[kaohe] %(cycle)s: %(employee)s — %(action)s") % {
            "cycle": appraisal.cycle.name,
            "employee": appraisal.employee.name,
            "action": label,
        }
        done = _("%(actor)s: %(action)s.") % {"actor": actor.get_username(), "action": label}
        now = _("The appraisal is now at “%(state)s”.") % {"state": appraisal.state_label()}
        body = f"{done}\n{now}\n\n{site_url(reverse('appraisal', args=[appraisal.pk]))}\n"
    try:
        send_mail(subject, body, None, addresses)
    except Exception:  # a mail server down must not undo the workflow; the app still shows it
        logger.exception("could not send the notification mail for appraisal %s", appraisal_id)
