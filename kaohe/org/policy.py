"""Who someone is in the organisation, and what they may do with people and accounts.

Every app asks its own policy module "may this user…"; each of those starts from the
``Access`` made here, which knows the user's employee record, their reports, and the roles
granted beyond the org chart:

- employee — anyone linked to an active employee record: sees their own records;
- manager — anyone with reports, direct or indirect: sees those reports; rates and
  interviews the direct reports they are the rater of, and nothing further down;
- HR admin — an ``AccessGrant``, for the whole organisation or chosen departments (and
  all departments below them): manages the people in that scope;
- executive viewer — an ``AccessGrant``: reads everything, changes nothing by that role.

Roles add up: an executive viewer who is also someone's manager rates that person as their
manager, and still changes nothing else. Nothing outside the policy modules tests these
facts; views, templates, actions and commands ask the ``may_*``/``can_*`` answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property, wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from .models import AccessGrant, Department, Employee, GrantRole, subtree_ids

View = TypeVar("View", bound=Callable[..., HttpResponse])


class Access:
    def __init__(self, user: Any) -> None:
        self.user = user

    # --- who this is -------------------------------------------------------------------

    @cached_property
    def employee(self) -> Employee | None:
        if not self.user.is_authenticated:
            return None
        return (
            Employee.objects.select_related("department", "position", "manager")
            .filter(user=self.user, active=True)
            .first()
        )

    @cached_property
    def _grants(self) -> dict[str, AccessGrant]:
        if not self.user.is_authenticated:
            return {}
        grants = AccessGrant.objects.filter(user=self.user).prefetch_related("departments")
        return {grant.role: grant for grant in grants}

    @cached_property
    def _managers_from_me_down(self) -> frozenset[int]:
        """This user and everyone below them who manages somebody: whoever's manager is
        one of these is below this user. Found a query per level of managers, so the
        people they manage are never sent to the database (a team lead costs one indexed
        query, the director of 20,000 people two); nothing for someone with no reports."""
        me = self.employee
        if me is None or not self.is_manager:
            return frozenset()
        found = {me.pk}
        level = [me.pk]
        while level:
            managing = Employee.objects.filter(manager_id__in=level, direct_reports__isnull=False)
            ids = set(managing.order_by().values_list("id", flat=True))
            level = [pk for pk in ids if pk not in found]
            found.update(level)
        return frozenset(found)

    @cached_property
    def report_ids(self) -> frozenset[int]:
        managers = self._managers_from_me_down
        if not managers:
            return frozenset()
        below = Employee.objects.filter(manager_id__in=managers).order_by()
        return frozenset(below.values_list("id", flat=True))

    def managed_among(self, employee_ids: Iterable[int]) -> set[int]:
        """Those of these employees this user is above: ``manages`` for many at once."""
        managers = self._managers_from_me_down
        if not managers:
            return set()
        if "report_ids" in self.__dict__:  # already known for this request
            return set(employee_ids) & self.report_ids
        managed = Employee.objects.filter(pk__in=list(employee_ids), manager_id__in=managers)
        return set(managed.order_by().values_list("id", flat=True))

    def manages(self, employee_id: int) -> bool:
        """Whether this user is above the employee in the org chart. Walks up the chain
        from the employee — a few rows — rather than down through everyone."""
        me = self.employee
        if me is None:
            return False
        if "report_ids" in self.__dict__:  # already known for this request
            return employee_id in self.report_ids
        seen: set[int] = set()
        current: int | None = employee_id
        while current is not None and current not in seen:
            seen.add(current)
            current = (
                Employee.objects.filter(pk=current).values_list("manager_id", flat=True).first()
            )
            if current == me.pk:
                return True
        return False

    @property
    def is_employee(self) -> bool:
        return self.employee is not None

    @cached_property
    def is_manager(self) -> bool:
        # Anyone with an indirect report has a direct one: one indexed row answers it.
        me = self.employee
        return me is not None and Employee.objects.filter(manager=me).exists()

    @property
    def is_hr(self) -> bool:
        return GrantRole.HR_ADMIN in self._grants

    @property
    def is_executive(self) -> bool:
        return GrantRole.EXECUTIVE in self._grants

    @cached_property
    def hr_scope(self) -> frozenset[int] | None:
        """Department ids HR may manage; None means the whole organisation."""
        grant = self._grants.get(GrantRole.HR_ADMIN)
        if grant is None:
            return frozenset()
        chosen = [department.pk for department in grant.departments.all()]
        return None if not chosen else frozenset(subtree_ids(chosen))

    @property
    def hr_for_whole_organisation(self) -> bool:
        return self.is_hr and self.hr_scope is None

    @property
    def reads_everything(self) -> bool:
        """Executives and whole-organisation HR see every person and appraisal."""
        return self.is_executive or self.hr_for_whole_organisation

    def in_hr_scope(self, department: Department | int | None) -> bool:
        if not self.is_hr or department is None:
            return False
        scope = self.hr_scope
        department_id = department if isinstance(department, int) else department.pk
        return scope is None or department_id in scope

    def hr_scope_covers(self, department_ids: set[int]) -> bool:
        """Whether HR's scope holds every one of these departments (and some at all)."""
        if not self.is_hr:
            return False
        scope = self.hr_scope
        return scope is None or (bool(department_ids) and department_ids <= scope)

    def people_filter(self, employee: str) -> Q | None:
        """``people_ids`` as a filter on the employee that the path ``employee`` leads to
        (e.g. an appraisal's ``"employee"``), or None for everyone: one subquery, in which
        nobody is listed. The reports are those whose manager is this user or a manager
        below them, and HR's scope is a condition on the department."""
        if self.reads_everything:
            return None
        people = Q(pk__in=[])
        if self.employee is not None:
            people |= Q(pk=self.employee.pk)
        managers = self._managers_from_me_down
        if managers:
            people |= Q(manager_id__in=sorted(managers))
        scope = self.hr_scope
        if self.is_hr and scope:
            people |= Q(department_id__in=sorted(scope))
        return Q(**{f"{employee}__in": Employee.objects.filter(people).values("pk")})

    def people_ids(self) -> set[int] | None:
        """The employees this user may see by role, or None for everyone."""
        if self.reads_everything:
            return None
        visible = set(self.report_ids)
        if self.employee is not None:
            visible.add(self.employee.pk)
        scope = self.hr_scope
        if self.is_hr and scope:
            visible.update(Employee.objects.in_departments(scope).values_list("id", flat=True))
        return visible

    # --- people ------------------------------------------------------------------------

    def can_view_employee(self, employee: Employee) -> bool:
        return (
            (self.employee is not None and employee.pk == self.employee.pk)
            or employee.pk in self.report_ids
            or self.is_executive
            or self.in_hr_scope(employee.department_id)
        )

    def can_see_leaving(self, employee: Employee) -> bool:
        """When and why someone left: HR in scope and the executive viewer, not their
        former manager or colleagues."""
        return self.is_executive or self.in_hr_scope(employee.department_id)

    def can_edit_employee(self, employee: Employee) -> bool:
        return self.in_hr_scope(employee.department_id)

    def can_place_person_in(self, department: Department) -> bool:
        """Whether HR may add a person to, or move a person into, this department."""
        return self.in_hr_scope(department)

    def departments_in_scope(self) -> Any:
        """The departments HR administers, as a queryset (all for the whole organisation)."""
        departments = Department.objects.all()
        scope = self.hr_scope
        return departments if scope is None else departments.filter(pk__in=scope)

    def department_paths_in_scope(self) -> set[str] | None:
        """Paths of the departments HR administers; None for the whole organisation."""
        if not self.is_hr:
            raise PermissionDenied
        if self.hr_scope is None:
            return None
        return set(self.departments_in_scope().values_list("path", flat=True))

    def roles(self) -> list[tuple[str, set[str] | None]]:
        """What this user is, each role with the department paths it covers: an HR admin's
        scope (None for the whole organisation); None for the other roles."""
        found: list[tuple[str, set[str] | None]] = []
        if self.is_employee:
            found.append(("employee", None))
        if self.is_manager:
            found.append(("manager", None))
        if self.is_hr:
            found.append(("hr_admin", self.department_paths_in_scope()))
        if self.is_executive:
            found.append(("executive", None))
        return found

    def count_of_reports(self) -> int:
        """Everyone below this user in the org chart, directly or not."""
        return len(self.report_ids)

    def can_manage_people(self) -> bool:
        return self.is_hr

    def can_list_people(self) -> bool:
        return self.is_hr or self.is_executive

    def can_open_people_pages(self) -> bool:
        return self.is_employee or self.is_hr or self.is_executive

    def can_see_change_history(self, employee: Employee) -> bool:
        return self.can_edit_employee(employee)

    def can_import_organisation(self) -> bool:
        return self.is_hr

    def can_view_team(self) -> bool:
        return self.is_manager

    def can_view_org_chart(self) -> bool:
        return bool(self.user.is_authenticated)

    def can_view_org_overview(self) -> bool:
        return self.is_hr or self.is_executive

    def can_read_audit_log(self) -> bool:
        """The log holds every department's changes: HR for the whole organisation."""
        return self.hr_for_whole_organisation

    def can_grant_roles(self) -> bool:
        """Roles are granted by the operator (the command line) or whole-organisation HR."""
        return self.hr_for_whole_organisation

    def team(self) -> Any:
        """The active people who report to this user, directly or not."""
        return Employee.objects.filter(pk__in=self.report_ids, active=True).select_related(
            "department", "position", "manager"
        )

    def direct_reports(self) -> Any:
        if self.employee is None:
            return Employee.objects.none()
        return self.employee.direct_reports.active().select_related("position", "department")

    def visible_employees(self) -> Any:
        """The employees this user may see, as a queryset."""
        everyone = Employee.objects.select_related("department", "position", "manager")
        ids = self.people_ids()
        return everyone if ids is None else everyone.filter(pk__in=ids)

    # --- accounts ----------------------------------------------------------------------

    def can_manage_account(self, user: Any, employee: Employee | None = None) -> bool:
        """Whether HR may link this account to a person, rename it or set its password.

        Only accounts that carry no power of their own: never a superuser or staff
        account, never one holding a granted role (HR, executive), and never one linked to
        somebody outside HR's scope. This is what stops a department-scoped HR admin from
        adopting the organisation's first HR account and setting its password.
        """
        if not self.is_hr or user is None:
            return False
        if user.is_superuser or user.is_staff or holds_a_granted_role(user):
            return False
        linked = Employee.objects.filter(user=user).select_related("department").first()
        if linked is not None and linked != employee:
            return False
        return linked is None or self.in_hr_scope(linked.department_id)


def holds_a_granted_role(user: Any) -> bool:
    return AccessGrant.objects.filter(user=user).exists()


def hr_accounts_for(department_id: int) -> list[Any]:
    """The active HR accounts whose scope holds this department."""
    grants = AccessGrant.objects.filter(role=GrantRole.HR_ADMIN).select_related("user")
    return [
        grant.user
        for grant in grants
        if grant.user.is_active and Access(grant.user).in_hr_scope(department_id)
    ]


def access_for(request_or_user: Any) -> Access:
    """The Access of a request's user, made once per request."""
    if isinstance(request_or_user, HttpRequest):
        cached = getattr(request_or_user, "_kaohe_access", None)
        if cached is None:
            cached = Access(request_or_user.user)
            request_or_user._kaohe_access = cached  # type: ignore[attr-defined]
        return cached
    return Access(request_or_user)


def requires(check: Callable[[Access], bool]) -> Callable[[View], View]:
    """Sign-in required, then ``check(access)`` must hold, else 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(access_for(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)  # type: ignore[return-value]

    return decorate
