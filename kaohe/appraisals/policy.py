"""What someone may see and do with cycles and appraisals.

A person is, to an appraisal, its employee, its rater (the manager named at launch), a
manager above the rater (who reads it), or HR with the employee's department in scope.
Nobody is rater, manager or HR of their own appraisal. Executives read every appraisal and,
by that role alone, act on none. Pay is seen by the employee, HR in scope and executives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kaohe.org.models import Department
from kaohe.org.policy import Access, hr_accounts_for

from .models import Appraisal, Cycle
from .workflow import ACTIONS, DATA_REFRESHABLE, WAITS_ON, Action, Role, State


def roles_on(access: Access, appraisal: Appraisal) -> frozenset[Role]:
    """What this user is to an appraisal."""
    return _roles(access, appraisal, access.manages)


def roles_on_each(access: Access, appraisals: Sequence[Appraisal]) -> dict[int, frozenset[Role]]:
    """``roles_on`` for a page of appraisals (their employees loaded), asking the org chart
    once for the lot rather than once for each."""
    managed = access.managed_among(a.employee_id for a in appraisals)
    return {a.pk: _roles(access, a, managed.__contains__) for a in appraisals}


def _roles(access: Access, appraisal: Appraisal, manages: Callable[[int], bool]) -> frozenset[Role]:
    me = access.employee
    if me is not None and appraisal.employee_id == me.pk:
        return frozenset({Role.EMPLOYEE})
    roles = set()
    if me is not None and appraisal.rater_id == me.pk:
        roles.add(Role.RATER)
    elif manages(appraisal.employee_id):
        roles.add(Role.HEAD)
    if access.in_hr_scope(appraisal.employee.department_id):
        roles.add(Role.HR)
    return frozenset(roles)


def can_view_appraisal(access: Access, appraisal: Appraisal) -> bool:
    return access.is_executive or bool(roles_on(access, appraisal))


def may_take(access: Access, appraisal: Appraisal, action: Action) -> bool:
    """Role only; the state is the workflow's business."""
    return bool(roles_on(access, appraisal) & action.roles)


def available_actions(access: Access, appraisal: Appraisal) -> list[Action]:
    """The actions this user may take on this appraisal now."""
    state = appraisal.current_state
    return [
        action
        for action in ACTIONS.values()
        if action.source is state and may_take(access, appraisal, action)
    ]


def actions_on_each(
    access: Access, appraisals: Sequence[Appraisal], actions: Iterable[Action]
) -> dict[int, list[Action]]:
    """For each appraisal of a page, those of ``actions`` this user may take on it now:
    ``available_actions`` in a few queries for the whole page."""
    offered = list(actions)
    roles = roles_on_each(access, appraisals)
    return {
        a.pk: [
            action
            for action in offered
            if action.source is a.current_state and roles[a.pk] & action.roles
        ]
        for a in appraisals
    }


def can_see_pay(access: Access, appraisal: Appraisal) -> bool:
    roles = roles_on(access, appraisal)
    return access.is_executive or bool(roles & {Role.EMPLOYEE, Role.HR})


def pay_visible_among(access: Access, appraisals: Sequence[Appraisal]) -> set[int]:
    """``can_see_pay`` for a page of appraisals (their employees loaded) at once."""
    if access.is_executive:
        return {a.pk for a in appraisals}
    roles = roles_on_each(access, appraisals)
    return {a.pk for a in appraisals if roles[a.pk] & {Role.EMPLOYEE, Role.HR}}


def can_see_pay_in_lists(access: Access) -> bool:
    """Lists show pay only to those who may see it on every row they list."""
    return access.is_executive or access.hr_for_whole_organisation


def may_refresh_data(access: Access, appraisal: Appraisal) -> bool:
    """HR in scope may take the newest data into a frozen appraisal..."""
    return Role.HR in roles_on(access, appraisal)


def data_refreshable(appraisal: Appraisal) -> bool:
    """...once it is frozen, and until its result is locked (only an appeal changes that)."""
    return appraisal.frozen and appraisal.current_state in DATA_REFRESHABLE


def can_refresh_data(access: Access, appraisal: Appraisal) -> bool:
    """Whether the page offers the refresh: HR in scope, on a refreshable appraisal."""
    return may_refresh_data(access, appraisal) and data_refreshable(appraisal)


def visible_appraisals(access: Access) -> QuerySet[Appraisal]:
    everyone = Appraisal.objects.select_related(
        "employee", "employee__department", "employee__position", "cycle", "rater"
    )
    people = access.people_filter("employee")
    return everyone if people is None else everyone.filter(people)


def waiting_on(access: Access) -> Q:
    """The appraisals that wait on this user, as a filter: the rule of ``waiting_accounts``,
    asked from the other side."""

    def states(role: Role) -> list[str]:
        return [str(state) for state, waits in WAITS_ON.items() if waits is role]

    found = Q(pk__in=[])
    me = access.employee
    if me is not None:
        found |= Q(employee=me, state__in=states(Role.EMPLOYEE))
        found |= Q(rater=me, state__in=states(Role.RATER))
    if access.is_hr:
        # A finalised result waits on HR only once its appeal window has closed.
        for_hr = Q(state__in=states(Role.HR)) & ~Q(
            state=State.FINALISED, appeal_until__gt=timezone.now()
        )
        if access.hr_scope is not None:
            for_hr &= Q(employee__department_id__in=access.hr_scope)
        if me is not None:
            for_hr &= ~Q(employee=me)
        found |= for_hr
    return found


def waiting_on_among(access: Access, appraisals: Iterable[Appraisal]) -> set[int]:
    """Those of these appraisals (their employees loaded) that wait on this user: the rule
    of ``waiting_on`` applied to rows already in hand, for a page without a query."""
    me = access.employee
    found = set()
    for appraisal in appraisals:
        role = WAITS_ON.get(appraisal.current_state)
        own = me is not None and appraisal.employee_id == me.pk
        if role is Role.EMPLOYEE:
            waits = own
        elif role is Role.RATER:
            waits = me is not None and appraisal.rater_id == me.pk
        elif role is Role.HR:
            waits = not own and access.in_hr_scope(appraisal.employee.department_id)
        else:
            waits = False
        if waits:
            found.add(appraisal.pk)
    return found


def waiting_accounts(appraisal: Appraisal) -> list[Any]:
    """The accounts the appraisal now waits on."""
    role = WAITS_ON.get(appraisal.current_state)
    if appraisal.current_state is State.FINALISED and _appeal_window_open(appraisal):
        return []
    if role is Role.EMPLOYEE:
        return [appraisal.employee.user] if appraisal.employee.user else []
    if role is Role.RATER:
        return [appraisal.rater.user] if appraisal.rater and appraisal.rater.user else []
    if role is Role.HR:
        return [
            user
            for user in hr_accounts_for(appraisal.employee.department_id)
            if user != appraisal.employee.user
        ]
    return []


def _appeal_window_open(appraisal: Appraisal) -> bool:
    return appraisal.appeal_until is not None and appraisal.appeal_until > timezone.now()


# --- cycles ------------------------------------------------------------------------------


def can_manage_cycles(access: Access) -> bool:
    return access.is_hr


def can_create_cycle_for(access: Access, departments: Iterable[Department]) -> bool:
    return access.hr_scope_covers({department.pk for department in departments})


def can_manage_cycle(access: Access, cycle: Cycle) -> bool:
    """HR whose scope covers every department the cycle spans."""
    return access.hr_scope_covers({d.pk for d in cycle.departments.all()})


def cycles_in_scope(access: Access) -> list[Cycle]:
    cycles = Cycle.objects.prefetch_related("departments")
    return [cycle for cycle in cycles if can_manage_cycle(access, cycle)]


def departments_for_cycles(access: Access) -> QuerySet[Department]:
    return access.departments_in_scope()  # type: ignore[no-any-return]


def running_cycles_in_view(access: Access) -> list[Cycle]:
    """The open cycles a home page shows, while any of their appraisals is not yet closed:
    those HR manages, or all for executives."""
    unfinished = Appraisal.objects.filter(cycle=OuterRef("pk")).exclude(state=State.CLOSED)
    open_cycles = (
        Cycle.objects.filter(status=Cycle.Status.OPEN)
        .filter(Exists(unfinished))
        .prefetch_related("departments")
    )
    if access.is_executive:
        return list(open_cycles)
    return [cycle for cycle in open_cycles if can_manage_cycle(access, cycle)]


def may_see_cycle_figures(access: Access) -> bool:
    return access.is_hr or access.is_executive
