"""The recognition app's writes: giving a thank-you, the recipient hiding or showing it,
the author withdrawing it, the manager confirming it as a positive incident, and HR's
company values.

Every ``do_*`` takes the actor and typed inputs, asks the policy, writes the audit row and
commits in one transaction. A confirmation records the incident inside that same
transaction, so a thank-you is never confirmed without its incident, nor twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Notification
from kaohe.audit.models import record
from kaohe.incidents.actions import IncidentInput, IncidentRefused, record_incident_within
from kaohe.incidents.models import Incident
from kaohe.names import person_name
from kaohe.org.models import Employee
from kaohe.org.policy import access_for

from . import policy
from .models import NOTE_LIMIT, CompanyValue, Thanks
from .ties import VALUE, find_tie

# Notification codes, worded by the app's config.
TOLD_OF_THANKS = "thanked"
TOLD_THE_MANAGER = "thanked_report"
# The kind of positive incident a confirmed thank-you becomes (a commendation).
INCIDENT_KIND = "commendation"
CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class RecognitionRefused(Exception):
    """Refused for a reason the user can act on, worded for them; ``field`` names the input
    at fault, if one is."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ThanksInput:
    """A thank-you as a form or the API gives it."""

    recipient: str  # the colleague's employee number
    note: str
    tie: str  # ``value:CODE`` or ``indicator:ID``


def not_thankable() -> PermissionDenied:
    return PermissionDenied(
        _("You may thank any active colleague but yourself, once your account is linked to "
          "a person in the organisation.")
    )  # fmt: skip


def do_give_thanks(actor: Any, given: ThanksInput) -> Thanks:
    note = " ".join(given.note.split())
    if not note:
        raise RecognitionRefused(_("Write a short note saying what you thank them for."), "note")
    if len(note) > NOTE_LIMIT:
        raise RecognitionRefused(
            _("Keep the note to %(limit)d characters; it has %(count)d.")
            % {"limit": NOTE_LIMIT, "count": len(note)},
            "note",
        )
    with transaction.atomic(durable=True):
        access = access_for(actor)
        recipient = (
            Employee.objects.select_related("manager__user", "user", "position")
            .filter(number=given.recipient.strip())
            .first()
        )
        if recipient is None or not policy.may_thank(access, recipient):
            raise not_thankable()
        assert access.employee is not None
        _refuse_past_the_daily_limit(access.employee)
        tie = find_tie(recipient, given.tie.strip())
        if tie is None:
            raise RecognitionRefused(
                _("Choose a company value or one of their indicators from the list."), "tie"
            )
        thanks = Thanks(author=access.employee, recipient=recipient, note=note)
        if tie.kind == VALUE:
            thanks.value = CompanyValue.objects.get(code=tie.code)
        else:
            thanks.indicator, thanks.dimension = tie.code, tie.dimension
            thanks.indicator_zh, thanks.indicator_en = tie.zh, tie.en
        thanks.save()
        record(actor, "recognition.thank", thanks, after=_data(thanks))
        _tell(thanks, actor)
        return thanks


def _refuse_past_the_daily_limit(author: Employee) -> None:
    start_of_day = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
    given_today = Thanks.objects.filter(author=author, created_at__gte=start_of_day).count()
    if given_today >= policy.DAILY_LIMIT:
        raise RecognitionRefused(
            _("You have given %(limit)d thank-yous today, the most in a day. Thank them "
              "again tomorrow.") % {"limit": policy.DAILY_LIMIT}
        )  # fmt: skip


def _tell(thanks: Thanks, actor: Any) -> None:
    """The recipient hears they were thanked; their manager, that a report was."""
    recipient = thanks.recipient
    told = [(recipient.user, TOLD_OF_THANKS)]
    if recipient.manager is not None:
        told.append((recipient.manager.user, TOLD_THE_MANAGER))
    for user, code in told:
        if user is not None and user.is_active and user != actor:
            Notification.objects.create(recipient=user, action=code, actor_name=person_name(actor))


def do_set_shown(actor: Any, thanks_id: int, shown: bool) -> Thanks:
    """The recipient hides a thank-you from the wall, or shows it again."""
    with transaction.atomic(durable=True):
        thanks = _locked(actor, thanks_id)
        if not policy.may_set_shown(access_for(actor), thanks):
            raise PermissionDenied(_("Only the person thanked chooses whether it is shown."))
        if thanks.shown != shown:
            before = {"shown": thanks.shown}
            thanks.shown = shown
            thanks.save(update_fields=["shown"])
            record(actor, "recognition.shown", thanks, before=before, after={"shown": shown})
        return thanks


def do_withdraw_thanks(actor: Any, thanks_id: int) -> Thanks:
    """The author takes a thank-you back, within the first minutes and before it counts."""
    with transaction.atomic(durable=True):
        thanks = _locked(actor, thanks_id)
        access = access_for(actor)
        if access.employee is None or thanks.author_id != access.employee.pk:
            raise PermissionDenied(_("Only whoever wrote a thank-you may withdraw it."))
        if not policy.may_withdraw(access, thanks, timezone.now()):
            if thanks.confirmed:
                raise RecognitionRefused(
                    _("Their manager has confirmed it as a positive incident: it stays.")
                )
            minutes = int(policy.WITHDRAW_WINDOW.total_seconds() // 60)
            raise RecognitionRefused(
                _("A thank-you can be withdrawn only in its first %(minutes)d minutes.")
                % {"minutes": minutes}
            )
        before = _data(thanks)
        thanks.withdrawn_at = timezone.now()
        thanks.save(update_fields=["withdrawn_at"])
        record(actor, "recognition.withdraw", thanks, before=before, after={"withdrawn": True})
        return thanks


def do_confirm_thanks(actor: Any, thanks_id: int) -> Thanks:
    """The recipient's manager confirms a thank-you: a positive incident of the kind
    schemes count as commendations, on the day it was given, linking back to it."""
    with transaction.atomic(durable=True):
        thanks = _locked(actor, thanks_id)
        access = access_for(actor)
        if not policy.confirms_for(access, thanks):
            raise PermissionDenied(
                _("Only the manager of the person thanked confirms it, and not a thank-you "
                  "they wrote themselves.")
            )  # fmt: skip
        if thanks.confirmed:
            raise RecognitionRefused(_("This thank-you has been confirmed already."))
        if not policy.may_confirm(access, thanks):
            raise RecognitionRefused(_("They have left the organisation: nothing to confirm."))
        link = reverse("recognition-thanks", args=[thanks.pk])
        what = _("Thanked by %(author)s (%(tie)s): %(note)s — %(link)s") % {
            "author": thanks.author.name, "tie": thanks.tie_label(), "note": thanks.note,
            "link": link,
        }  # fmt: skip
        given = IncidentInput(
            occurred_on=timezone.localdate(thanks.created_at),
            polarity=Incident.Polarity.POSITIVE,
            what=what,
            kind=INCIDENT_KIND,
            indicator=thanks.indicator,
        )
        try:
            incident = record_incident_within(actor, thanks.recipient, given)
        except IncidentRefused:  # the indicator left the person's scheme since
            incident = record_incident_within(
                actor, thanks.recipient, IncidentInput(given.occurred_on, given.polarity,
                                                       what, INCIDENT_KIND)
            )  # fmt: skip
        thanks.incident, thanks.confirmed_by = incident, actor
        thanks.confirmed_at = timezone.now()
        thanks.save(update_fields=["incident", "confirmed_by", "confirmed_at"])
        record(
            actor, "recognition.confirm", thanks,
            before={"confirmed": False}, after={"confirmed": True, "incident": incident.pk},
        )  # fmt: skip
        return thanks


def _locked(actor: Any, thanks_id: int) -> Thanks:
    thanks = (
        Thanks.objects.select_for_update(of=("self",))
        .select_related("author", "recipient", "recipient__department", "recipient__user",
                        "value")
        .filter(pk=thanks_id)
        .first()
    )  # fmt: skip
    if thanks is None or not policy.can_view_thanks(access_for(actor), thanks):
        raise Thanks.DoesNotExist
    return thanks


def _data(thanks: Thanks) -> dict[str, Any]:
    # What it is for: the one of the two it names (an empty one would read as a change).
    tie = {"company_value": thanks.value.code} if thanks.value else {"indicator": thanks.indicator}
    return {"person": thanks.recipient.number, "note": thanks.note, **tie, "shown": thanks.shown}


# --- company values -----------------------------------------------------------------------


@dataclass(frozen=True)
class ValueInput:
    code: str
    name_zh: str
    name_en: str
    active: bool = True
    order: int = 0


def do_save_value(actor: Any, given: ValueInput) -> CompanyValue:
    """Add a company value, or rename, reorder, retire or offer again the one of that code.
    A retired value is no longer offered; the thank-yous tied to it keep it."""
    code = given.code.strip().lower()
    names = (" ".join(given.name_zh.split()), " ".join(given.name_en.split()))
    if CODE.match(code) is None:
        raise RecognitionRefused(
            _("Give the value a short code of lower-case letters, digits, - or _, e.g. "
              "customer-first."), "code"
        )  # fmt: skip
    if not all(names) or any(len(name) > 80 for name in names):
        raise RecognitionRefused(_("Name the value in Chinese and in English (up to 80 "
                                   "characters each)."), "name")  # fmt: skip
    with transaction.atomic(durable=True):
        if not policy.can_edit_values(access_for(actor)):
            raise PermissionDenied(_("The company values are kept by HR for the whole "
                                     "organisation."))  # fmt: skip
        value = CompanyValue.objects.select_for_update().filter(code=code).first()
        before = _value_data(value) if value is not None else None
        value = value or CompanyValue(code=code)
        value.name_zh, value.name_en = names
        value.active, value.order = given.active, max(0, min(given.order, 999))
        value.save()
        if before != _value_data(value):
            record(actor, "recognition.value", value, before=before, after=_value_data(value))
        return value


def _value_data(value: CompanyValue) -> dict[str, Any]:
    return {"code": value.code, "name_zh": value.name_zh, "name_en": value.name_en,
            "active": value.active, "order": value.order}  # fmt: skip
