"""Permissions: the one place that answers "may this user do this?".

Every view, endpoint and command asks an ``Access`` (``access_for(user)``); none tests
roles itself. Roles:

- employee — anyone linked to an active employee record: sees their own records;
- manager — anyone with reports, direct or indirect: sees those reports;
- HR admin — an ``AccessGrant``, for the whole organisation or chosen departments (and all
  departments below them): manages the people in that scope;
- executive viewer — an ``AccessGrant``: reads everything, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from kaohe.appraisals.workflow import Action, Role
from kaohe.org.models import AccessGrant, Department, Employee, GrantRole, subtree_ids

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
    def report_ids(self) -> frozenset[int]:
        return frozenset(self.employee.report_ids()) if self.employee else frozenset()

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

    # --- questions views ask -----------------------------------------------------------

    def in_hr_scope(self, department: Department | int | None) -> bool:
        if not self.is_hr or department is None:
            return False
        scope = self.hr_scope
        department_id = department if isinstance(department, int) else department.pk
        return scope is None or department_id in scope

    def can_view_employee(self, employee: Employee) -> bool:
        return (
            (self.employee is not None and employee.pk == self.employee.pk)
            or employee.pk in self.report_ids
            or self.is_executive
            or self.in_hr_scope(employee.department_id)
        )

    def can_edit_employee(self, employee: Employee) -> bool:
        return self.in_hr_scope(employee.department_id)

    def can_manage_people(self) -> bool:
        return self.is_hr

    def can_list_people(self) -> bool:
        return self.is_hr or self.is_executive

    def can_import_organisation(self) -> bool:
        return self.is_hr

    def can_import_data(self) -> bool:
        return self.hr_for_whole_organisation

    def can_view_team(self) -> bool:
        return self.is_manager

    def can_view_org_chart(self) -> bool:
        return self.user.is_authenticated

    def can_view_audit_log(self) -> bool:
        return self.hr_for_whole_organisation

    # --- appraisals --------------------------------------------------------------------

    def roles_on(self, appraisal: Any) -> frozenset[Role]:
        """What this user is to an appraisal. Nobody is rater, head or HR of their own."""
        me = self.employee
        if me is not None and appraisal.employee_id == me.pk:
            return frozenset({Role.EMPLOYEE})
        roles = set()
        if me is not None and appraisal.rater_id == me.pk:
            roles.add(Role.RATER)
        elif self.manages(appraisal.employee_id):
            roles.add(Role.HEAD)
        if self.is_hr and self.in_hr_scope(appraisal.employee.department_id):
            roles.add(Role.HR)
        return frozenset(roles)

    def can_view_appraisal(self, appraisal: Any) -> bool:
        return self.is_executive or bool(self.roles_on(appraisal))

    def may_take(self, appraisal: Any, action: Action) -> bool:
        """Role only; the state is the workflow's business."""
        return bool(self.roles_on(appraisal) & action.roles)

    def can_manage_cycles(self) -> bool:
        return self.is_hr

    def visible_appraisals(self) -> Any:
        from kaohe.appraisals.models import Appraisal

        everyone = Appraisal.objects.select_related(
            "employee", "employee__department", "employee__position", "cycle", "rater"
        )
        if self.is_executive or self.hr_for_whole_organisation:
            return everyone
        people = set(self.report_ids)
        if self.employee is not None:
            people.add(self.employee.pk)
        scope = self.hr_scope
        if self.is_hr and scope:
            people.update(Employee.objects.in_departments(scope).values_list("id", flat=True))
        return everyone.filter(employee_id__in=people)

    def visible_employees(self) -> Any:
        """The employees this user may see, as a queryset."""
        everyone = Employee.objects.select_related("department", "position", "manager")
        if self.is_executive or self.hr_for_whole_organisation:
            return everyone
        visible = set(self.report_ids)
        if self.employee is not None:
            visible.add(self.employee.pk)
        scope = self.hr_scope
        if self.is_hr and scope:
            visible.update(Employee.objects.in_departments(scope).values_list("id", flat=True))
        return everyone.filter(pk__in=visible)


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
