"""Who may see and change OKR goals.

- A personal goal is its owner's: they write it, publish it, check in on it. Their manager
  chain sees it, comments on it (a check-in note) and may set goals for them (and edit
  those while they are drafts); HR in scope sees it and reminds. Nobody else, executives by
  that role included, sees another person's personal goal.
- A team's or department's goal belongs to the people who lead that department — whoever
  has every member of the department (and the departments below it) among their reports
  or is that member — and to HR in scope; its owner (the one who answers for it) checks in
  on it. Once published it is seen by everyone in the department, by those above its
  owner, by HR in scope and by executives.
- Everyone sees the objectives their own goals align to, up the parent chain.

An executive who is also a manager has manager rights over their reports and nothing more.
``objectives_in_view`` is the one answer to "which goals may this user see"; ``can_view``
asks it, so that lists, pages and the API agree.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from kaohe.org.models import PATH_SEPARATOR, Department, Employee, subtree_ids
from kaohe.org.policy import Access

from .models import CheckIn, Confidence, Level, Objective

SHARED_LEVELS = (Level.TEAM, Level.DEPARTMENT)


def _is_me(access: Access, employee_id: int) -> bool:
    return access.employee is not None and access.employee.pk == employee_id


def can_open_goals(access: Access) -> bool:
    return access.is_employee or access.is_hr or access.is_executive


def can_see_at_risk(access: Access) -> bool:
    """The list of goals at risk is for those with people below them, and HR."""
    return access.is_manager or access.is_hr


def leads(access: Access, department_id: int) -> bool:
    """Whether every active member of the department and its sub-departments is this user
    or one of their reports (and there is somebody)."""
    me = access.employee
    if me is None:
        return False
    members = set(
        Employee.objects.filter(department_id__in=subtree_ids([department_id]), active=True)
        .order_by()
        .values_list("id", flat=True)
    )
    others = members - {me.pk}
    if not members:
        return False
    return not others or others <= access.managed_among(others)


def _aligned_above_mine(access: Access) -> set[int]:
    """The objectives the user's own goals align to, all the way up."""
    me = access.employee
    if me is None:
        return set()
    level = set(
        Objective.objects.filter(owner=me, parent__isnull=False).values_list("parent_id", flat=True)
    )
    found: set[int] = set()
    while level - found:
        found |= level
        level = set(
            Objective.objects.filter(pk__in=level, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
    return found


def _my_departments_upwards(access: Access) -> list[int]:
    """The user's department and every department above it."""
    me = access.employee
    if me is None:
        return []
    parts = me.department.path.split(PATH_SEPARATOR)
    paths = [PATH_SEPARATOR.join(parts[: n + 1]) for n in range(len(parts))]
    return list(Department.objects.filter(path__in=paths).values_list("id", flat=True))


def objectives_in_view(access: Access) -> QuerySet[Objective]:
    found = Objective.objects.select_related("owner", "department", "parent")
    if access.hr_for_whole_organisation:
        return found
    personal, shared = Q(level=Level.PERSONAL), Q(level__in=SHARED_LEVELS)
    published = ~Q(status=Objective.Status.DRAFT)
    seen = Q(pk__in=[])
    me = access.employee
    if me is not None:
        seen |= Q(owner=me)
        seen |= shared & published & Q(department_id__in=_my_departments_upwards(access))
    if access.report_ids:
        seen |= Q(owner_id__in=sorted(access.report_ids))
    scope = access.hr_scope
    if access.is_hr and scope:
        seen |= personal & Q(owner__department_id__in=sorted(scope))
        seen |= shared & Q(department_id__in=sorted(scope))
    if access.is_executive:
        seen |= shared & published
    above = _aligned_above_mine(access)
    if above:
        seen |= Q(pk__in=sorted(above))
    return found.filter(seen)


def can_view(access: Access, objective: Objective) -> bool:
    return objectives_in_view(access).filter(pk=objective.pk).exists()


def visible_ids(access: Access, ids: set[int]) -> set[int]:
    """Those of these objectives the user may see: one query for a whole tree."""
    return set(objectives_in_view(access).filter(pk__in=sorted(ids)).values_list("pk", flat=True))


def _leads_or_hr(access: Access, department_id: int) -> bool:
    return access.in_hr_scope(department_id) or leads(access, department_id)


def may_create(access: Access, level: str, owner: Employee, department_id: int) -> bool:
    """A personal goal for oneself or a report; a team's or department's goal for a
    department one leads or HR administers."""
    if level == Level.PERSONAL:
        return _is_me(access, owner.pk) or access.manages(owner.pk)
    return _leads_or_hr(access, department_id)


def departments_for_goals(access: Access) -> list[Department]:
    """The departments whose team or department goals the user may set."""
    if not (access.is_hr or access.is_manager):
        return []
    return [d for d in Department.objects.order_by("path") if _leads_or_hr(access, d.pk)]


def may_edit(access: Access, objective: Objective) -> bool:
    """Change the objective, its key results, its status and its alignment."""
    if objective.status == Objective.Status.CLOSED:
        return False
    if objective.level == Level.PERSONAL:
        if _is_me(access, objective.owner_id):
            return True
        return objective.status == Objective.Status.DRAFT and access.manages(objective.owner_id)
    return _is_me(access, objective.owner_id) or _leads_or_hr(access, objective.department_id)


def may_reopen(access: Access, objective: Objective) -> bool:
    """A closed goal comes back by those who may otherwise edit it."""
    if objective.status != Objective.Status.CLOSED:
        return False
    if objective.level == Level.PERSONAL:
        return _is_me(access, objective.owner_id)
    return _is_me(access, objective.owner_id) or _leads_or_hr(access, objective.department_id)


def may_check_in(access: Access, objective: Objective) -> bool:
    """Record progress and confidence: the owner's side of a published, open goal."""
    if objective.status != Objective.Status.ACTIVE:
        return False
    if objective.level == Level.PERSONAL:
        return _is_me(access, objective.owner_id)
    return _is_me(access, objective.owner_id) or leads(access, objective.department_id)


def may_comment(access: Access, objective: Objective) -> bool:
    """Add a check-in note without progress: the owner's side and the manager chain."""
    if objective.status == Objective.Status.DRAFT:
        return False
    if may_check_in(access, objective):
        return True
    if objective.level == Level.PERSONAL:
        return access.manages(objective.owner_id)
    return access.manages(objective.owner_id) or leads(access, objective.department_id)


def may_remind(access: Access, objective: Objective) -> bool:
    """Remind an owner to check in: their managers and HR in scope, never oneself."""
    if _is_me(access, objective.owner_id):
        return False
    return access.manages(objective.owner_id) or access.in_hr_scope(objective.owner.department_id)


def can_see_history_of(access: Access, employee: Employee) -> bool:
    """A person's goals page: the person, their manager chain and HR in scope."""
    return (
        _is_me(access, employee.pk)
        or access.manages(employee.pk)
        or access.in_hr_scope(employee.department_id)
    )


def reminded_in_view(access: Access) -> QuerySet[Objective]:
    """The active goals whose owners this user may remind."""
    if not (access.is_hr or access.is_manager):
        return Objective.objects.none()
    found = Objective.objects.filter(status=Objective.Status.ACTIVE).select_related(
        "owner__user", "owner__department"
    )
    if access.hr_for_whole_organisation:
        return found.exclude(owner=access.employee) if access.employee else found
    allowed = Q(owner_id__in=sorted(access.report_ids))
    scope = access.hr_scope
    if access.is_hr and scope:
        allowed |= Q(owner__department_id__in=sorted(scope))
    found = found.filter(allowed)
    return found.exclude(owner=access.employee) if access.employee else found


def at_risk_in_view(access: Access) -> QuerySet[Objective]:
    """Active goals of the people below this user (or in HR's scope) whose newest
    check-in with a confidence says at risk or off track."""
    newest = (
        CheckIn.objects.filter(objective=OuterRef("pk"))
        .exclude(confidence="")
        .order_by("-on", "-id")
        .values("confidence")[:1]
    )
    return (
        reminded_in_view(access)
        .annotate(confidence_now=Subquery(newest))
        .filter(confidence_now__in=[Confidence.AT_RISK, Confidence.OFF_TRACK])
        .order_by("owner__number", "starts", "pk")
    )


def departments_for_tree(access: Access) -> QuerySet[Department]:
    """The departments whose alignment tree the user may open: any they may see a goal
    of; the tree then shows only the goals they may see."""
    shared = objectives_in_view(access).filter(level__in=SHARED_LEVELS)
    return Department.objects.filter(pk__in=shared.values("department_id")).order_by("path")
