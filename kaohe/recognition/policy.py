"""Who may thank whom, who reads which thank-yous, and who may confirm one.

- Anyone linked to an active employee record thanks any active colleague but themselves.
- The wall shows the thank-yous a reader may see: to the people they may see by role (their
  own, the people below them, HR's scope, everyone for executives and whole-organisation
  HR), to the colleagues of their own department (the team), and those they wrote. A
  thank-you its recipient hid is off the wall; the recipient, its author and the
  recipient's managers still read it.
- The recipient hides it or shows it again; the author withdraws it within
  ``WITHDRAW_WINDOW`` and before it is confirmed; a withdrawn one is gone for everyone.
- Only the recipient's own manager (their direct manager in the org chart) confirms it as a
  positive incident, once, and never a thank-you they wrote themselves: a role such as HR
  or executive confirms nothing by itself.
- The company values are the whole organisation's: whole-organisation HR keeps them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from kaohe.org.models import Employee
from kaohe.org.policy import Access

from .models import Thanks

WITHDRAW_WINDOW = timedelta(minutes=15)
DAILY_LIMIT = 10  # thank-yous one person may give in a day


def _me(access: Access) -> int | None:
    return access.employee.pk if access.employee is not None else None


def can_open_recognition(access: Access) -> bool:
    return access.is_employee or access.is_hr or access.is_executive


def can_give_thanks(access: Access) -> bool:
    return access.is_employee


def may_thank(access: Access, employee: Employee) -> bool:
    me = _me(access)
    return me is not None and employee.active and employee.pk != me


def _live() -> QuerySet[Thanks]:
    return Thanks.objects.filter(withdrawn_at__isnull=True).select_related(
        "author", "recipient", "recipient__department", "value"
    )


def thanks_on_wall(access: Access) -> QuerySet[Thanks]:
    """The shown thank-yous within the reader's scope, newest first."""
    shown = _live().filter(shown=True)
    people = access.people_filter("recipient")
    if people is None:
        return shown
    me = access.employee
    if me is not None:
        people |= Q(recipient__department_id=me.department_id) | Q(author=me)
    return shown.filter(people)


def thanks_received(access: Access) -> QuerySet[Thanks]:
    me = _me(access)
    return _live().filter(recipient_id=me) if me is not None else Thanks.objects.none()


def thanks_given(access: Access) -> QuerySet[Thanks]:
    me = _me(access)
    return _live().filter(author_id=me) if me is not None else Thanks.objects.none()


def thanks_to_confirm(access: Access) -> QuerySet[Thanks]:
    """Thank-yous to the reader's direct reports that wait on their confirmation."""
    me = _me(access)
    if me is None:
        return Thanks.objects.none()
    return (
        _live()
        .filter(recipient__manager_id=me, recipient__active=True, confirmed_at__isnull=True)
        .exclude(author_id=me)
    )


def _sees_by_role_or_team(access: Access, employee: Employee) -> bool:
    me = access.employee
    return access.can_view_employee(employee) or (
        me is not None and me.department_id == employee.department_id
    )


def can_view_thanks(access: Access, thanks: Thanks) -> bool:
    if thanks.withdrawn:
        return False
    me = _me(access)
    if me is not None and me in (thanks.author_id, thanks.recipient_id):
        return True
    if access.manages(thanks.recipient_id):
        return True
    return thanks.shown and _sees_by_role_or_team(access, thanks.recipient)


def may_set_shown(access: Access, thanks: Thanks) -> bool:
    return not thanks.withdrawn and _me(access) == thanks.recipient_id


def may_withdraw(access: Access, thanks: Thanks, now: datetime) -> bool:
    return (
        not thanks.withdrawn
        and not thanks.confirmed
        and _me(access) == thanks.author_id
        and now - thanks.created_at <= WITHDRAW_WINDOW
    )


def confirms_for(access: Access, thanks: Thanks) -> bool:
    """Whether the reader is the one who would confirm it: the recipient's manager, and not
    its author."""
    me = _me(access)
    return me is not None and thanks.recipient.manager_id == me and thanks.author_id != me


def may_confirm(access: Access, thanks: Thanks) -> bool:
    return (
        confirms_for(access, thanks)
        and not thanks.withdrawn
        and not thanks.confirmed
        and thanks.recipient.active
    )


def can_edit_values(access: Access) -> bool:
    return access.hr_for_whole_organisation
