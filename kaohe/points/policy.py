"""Who may see and change points, leaderboards and badges.

- Everyone with an employee record, HR and executives open the pages; an account with
  neither sees nothing.
- Rules and badges apply to the whole organisation: HR for the whole organisation edits
  them and runs the awards. HR for some departments reads their boards but changes no rule.
- A board (a team, or a centre with the teams below it) is open to its members — unless
  their own team's board is turned off — and to whoever oversees somebody on it: their
  managers (direct or not), HR in scope, executives.
- On a board, a member sees their own row and the top of the board, never its bottom ten
  (``kaohe.analytics.peer_visible``); whoever oversees a person sees that person's row
  wherever it stands.
- A manager turns the board off for a team one of their direct reports belongs to; HR for
  teams in its scope. An executive's role alone changes nothing.
- Badges and who holds them are recognition, open to everyone who opens the pages; a
  person's points ledger is theirs, their managers', HR's in scope and executives'.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from kaohe.org.models import Department, Employee
from kaohe.org.policy import Access

from .models import BoardSetting, PointEntry


def can_open_points(access: Access) -> bool:
    return access.is_employee or access.is_hr or access.is_executive


def may_edit_rules(access: Access) -> bool:
    return access.hr_for_whole_organisation


def may_run_awards(access: Access) -> bool:
    return access.hr_for_whole_organisation


def may_choose_display(access: Access) -> bool:
    return access.is_employee


def may_set_board(access: Access, department: Department) -> bool:
    if access.in_hr_scope(department):
        return True
    me = access.employee
    return me is not None and me.direct_reports.active().filter(department=department).exists()


def boards_to_set(access: Access) -> QuerySet[Department]:
    """The teams whose board this user may turn off or on."""
    found = Q(pk__in=[])
    me = access.employee
    if me is not None:
        found |= Q(pk__in=me.direct_reports.active().values("department_id"))
    if access.is_hr:
        scope = access.hr_scope
        found |= Q(pk__isnull=False) if scope is None else Q(pk__in=sorted(scope))
    return Department.objects.filter(found).order_by("path")


def _board_off_for_me(access: Access) -> bool:
    me = access.employee
    return (
        me is not None
        and BoardSetting.objects.filter(department_id=me.department_id, hidden=True).exists()
    )


def is_member_of(access: Access, department: Department, whole: bool) -> bool:
    """Whether this user is on the board: in the team, or below the centre."""
    me = access.employee
    if me is None or not me.active:
        return False
    if not whole:
        return me.department_id == department.pk
    return me.department.path == department.path or me.department.path.startswith(
        department.path + "/"
    )


def overseen_among(access: Access, employees: Iterable[Employee]) -> set[int]:
    """Those of these people whose rows this user sees wherever they rank."""
    people = list(employees)
    if access.is_executive or access.hr_for_whole_organisation:
        return {p.pk for p in people}
    seen = access.managed_among([p.pk for p in people])
    seen |= {p.pk for p in people if access.in_hr_scope(p.department_id)}
    return seen


def can_view_board(
    access: Access, department: Department, people: Iterable[Employee], whole: bool
) -> bool:
    """The board of ``department`` (``whole``: with the teams below it), holding ``people``."""
    if not can_open_points(access):
        return False
    if is_member_of(access, department, whole) and not _board_off_for_me(access):
        return True
    if access.is_executive or access.in_hr_scope(department):
        return True
    return bool(overseen_among(access, people))


def sees_whole_board(access: Access, department: Department) -> bool:
    """Executives and HR in scope see every row of a board."""
    return access.is_executive or access.in_hr_scope(department)


def my_board_is_off(access: Access) -> bool:
    return _board_off_for_me(access)


def can_view_points_of(access: Access, employee: Employee) -> bool:
    mine = access.employee is not None and access.employee.pk == employee.pk
    return mine or employee.pk in overseen_among(access, [employee])


def entries_in_view(access: Access) -> QuerySet[PointEntry]:
    entries = PointEntry.objects.select_related("employee", "rule")
    visible = access.people_filter("employee")
    return entries if visible is None else entries.filter(visible)


def can_see_badges(access: Access) -> bool:
    return can_open_points(access)


def board_choices(access: Access) -> list[tuple[Department, bool]]:
    """The boards offered to this user, as (department, whole): their team and its centre,
    their reports' teams, and for HR and executives every team of their scope."""
    found: list[tuple[Department, bool]] = []
    me = access.employee
    if me is not None:
        found.append((me.department, False))
        if me.department.parent is not None:
            found.append((me.department.parent, True))
    if access.is_executive or access.is_hr:
        departments = (
            Department.objects.all() if access.is_executive else access.departments_in_scope()
        )
        for department in departments.order_by("path"):
            found.append((department, department.children.exists()))
    elif access.is_manager:
        teams = Department.objects.filter(
            pk__in=Employee.objects.filter(pk__in=sorted(access.report_ids)).values("department_id")
        )
        found += [(team, False) for team in teams.order_by("path")]
    unique: dict[tuple[int, bool], tuple[Department, bool]] = {}
    for department, whole in found:
        unique.setdefault((department.pk, whole), (department, whole))
    return list(unique.values())
