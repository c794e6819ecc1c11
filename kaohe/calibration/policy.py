"""Who may open, see and run calibration sessions.

HR opens a session over people in its scope; a manager (a department head) over people
below them. The facilitator runs it (guideline, bulk moves, closing) with HR in scope;
participants see the people in the session — only them — and move them and rate their
potential. Nobody moves their own appraisal. Rater flags are shown to these people only,
never to the employees they are about. Pay is not part of a session.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.appraisals.policy import can_manage_cycle
from kaohe.org.models import Department, Employee, GrantRole
from kaohe.org.policy import Access

from .models import Member, Session


def can_open_sessions(access: Access) -> bool:
    return access.is_hr or access.is_manager


def may_open_over(access: Access, cycle: Cycle, employee_ids: Iterable[int]) -> bool:
    """HR who manages the cycle; otherwise a manager above every person in it."""
    people = set(employee_ids)
    if not people:
        return False
    if can_manage_cycle(access, cycle):
        return True
    return access.is_manager and access.managed_among(people) == people


def opens_as_hr(access: Access, cycle: Cycle) -> bool:
    return can_manage_cycle(access, cycle)


def _session_departments(session: Session) -> set[int]:
    members = Member.objects.filter(session=session)
    return set(members.values_list("appraisal__employee__department_id", flat=True))


def _hr_over(access: Access, session: Session) -> bool:
    return access.is_hr and access.hr_scope_covers(_session_departments(session))


def _is_participant(access: Access, session: Session) -> bool:
    return session.participants.filter(pk=access.user.pk).exists()


def can_view_session(access: Access, session: Session) -> bool:
    if not access.user.is_authenticated:
        return False
    user = access.user
    return (
        session.facilitator_id == user.pk
        or session.created_by_id == user.pk
        or _is_participant(access, session)
        or _hr_over(access, session)
    )


def may_run(access: Access, session: Session) -> bool:
    """Set the guideline, move many at once, close: the facilitator or HR over it."""
    return access.user.is_authenticated and (
        session.facilitator_id == access.user.pk or _hr_over(access, session)
    )


def may_move(access: Access, session: Session, appraisal: Appraisal) -> bool:
    """Move a person or rate their potential: whoever may see the session, but never on
    their own appraisal."""
    if appraisal.employee.user_id == access.user.pk:
        return False
    return can_view_session(access, session)


def sessions_in_view(access: Access) -> QuerySet[Session]:
    if not access.user.is_authenticated:
        return Session.objects.none()
    mine = Q(facilitator=access.user) | Q(created_by=access.user) | Q(participants=access.user)
    found = Session.objects.filter(mine)
    if access.is_hr:
        scope = access.hr_scope
        if scope is None:
            found = Session.objects.all()
        else:
            outside = Member.objects.exclude(appraisal__employee__department_id__in=scope)
            covered = Session.objects.filter(members__isnull=False).exclude(
                pk__in=outside.values("session_id")
            )
            found = Session.objects.filter(Q(pk__in=found.values("pk")) | Q(pk__in=covered))
    return found.select_related("cycle", "facilitator").distinct().order_by("-created_at")


def cycles_to_calibrate(access: Access) -> list[Cycle]:
    """The open cycles a session can be opened in by this user."""
    open_cycles = Cycle.objects.filter(status=Cycle.Status.OPEN).prefetch_related("departments")
    if access.is_hr:
        return [cycle for cycle in open_cycles if can_manage_cycle(access, cycle)]
    if access.is_manager:
        return list(open_cycles)
    return []


def can_set_cycle_guideline(access: Access, cycle: Cycle) -> bool:
    return can_manage_cycle(access, cycle)


def can_open_calibration_page(access: Access) -> bool:
    """The navigation's link: those who may open sessions, and any session's participant."""
    if can_open_sessions(access):
        return True
    return (
        access.user.is_authenticated
        and Session.objects.filter(
            Q(participants=access.user) | Q(facilitator=access.user)
        ).exists()
    )


def departments_to_calibrate(access: Access) -> list[Department]:
    """What the new-session form offers: HR's departments; a manager's own department."""
    if access.is_hr:
        return list(access.departments_in_scope().order_by("path"))
    me = access.employee
    return [me.department] if me is not None and access.is_manager else []


def possible_participants() -> list[Any]:
    """The accounts a session may gather: people who manage somebody (the heads), and HR."""
    heads = Employee.objects.filter(active=True, direct_reports__isnull=False).values("user_id")
    accounts = get_user_model().objects.filter(is_active=True)
    return list(
        accounts.filter(Q(pk__in=heads) | Q(access_grants__role=GrantRole.HR_ADMIN))
        .select_related("employee")
        .distinct()
        .order_by("username")
    )
