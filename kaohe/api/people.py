"""``/api/v1/employees``: the people the caller may see, as the People pages show them."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kaohe.org.actions import Leaving, do_deactivate
from kaohe.org.models import Employee, LeavingReason
from kaohe.org.policy import Access, access_for

from .errors import ValidationProblem
from .pages import Page, PageQuery, each, page_of
from .schemas import EmployeeOut

router = Router(tags=["people"])


class EmployeeFilters(PageQuery):
    q: str = Field("", description="Part of a name or employee number.")
    department: str = Field("", description="A department path: it and all below it.")
    status: Literal["active", "inactive", "all"] = Field(
        "active",
        description="Who is listed, as on the People page: active people (the "
        "default), deactivated ones, or all.",
    )


def employee_out(employee: Employee, show_leaving: bool = False) -> EmployeeOut:
    leaving = show_leaving and not employee.active
    return EmployeeOut(
        number=employee.number,
        name=employee.name,
        department=employee.department.path,
        position=employee.position.name,
        manager=employee.manager.number if employee.manager_id else None,
        hire_date=employee.hire_date,
        active=employee.active,
        leaving_date=employee.leaving_date if leaving else None,
        leaving_reason=(employee.leaving_reason or None) if leaving else None,
    )


def _out_for(access: Access) -> Any:
    return lambda employee: employee_out(employee, access.can_see_leaving(employee))


@router.get(
    "/employees",
    response=Page[EmployeeOut],
    summary="The people in the caller's scope",
    description="HR sees the people in their scope, an executive viewer everyone; the "
    "others are refused, as the People page refuses them. Sorted by department and number.",
)
def employees(request: HttpRequest, filters: Query[EmployeeFilters]) -> Any:
    access = access_for(request)
    if not access.can_list_people():
        raise PermissionDenied(_("Only HR and executive viewers list people."))
    found = access.visible_employees()
    if filters.q:
        found = found.filter(Q(name__icontains=filters.q) | Q(number__icontains=filters.q))
    if filters.department:
        path = filters.department.rstrip("/")
        found = found.filter(Q(department__path=path) | Q(department__path__startswith=f"{path}/"))
    if filters.status != "all":
        found = found.filter(active=filters.status == "active")
    return page_of(found.order_by("department__path", "number"), filters, each(_out_for(access)))


@router.get(
    "/employees/{number}",
    response=EmployeeOut,
    summary="One person, by employee number",
    description="404 both when there is no such person and when the caller may not see "
    "them, so that nobody learns who exists outside their scope; 403 for an account linked "
    "to no person, as on the pages.",
)
def employee(request: HttpRequest, number: str) -> Any:
    access = access_for(request)
    if not access.can_open_people_pages():
        raise PermissionDenied(_("This account is linked to no person in the organisation."))
    found = (
        Employee.objects.select_related("department", "position", "manager")
        .filter(number=number)
        .first()
    )
    if found is None or not access.can_view_employee(found):
        raise Http404
    return _out_for(access)(found)


def _problems(error: ValidationError) -> list[dict[str, str]]:
    """A refusal's fields; one about the person as a whole is the path's ``number``."""
    if not hasattr(error, "error_dict"):
        return [{"field": "number", "in": "path", "reason": " ".join(error.messages)}]
    return [
        {"field": name, "in": "body", "reason": " ".join(reasons)}
        for name, reasons in error.message_dict.items()
    ]


class DeactivationIn(Schema):
    leaving_reason: LeavingReason = Field(
        ..., description="resigned, dismissed, contract_ended, retired, transferred or other."
    )
    leaving_date: date = Field(..., description="The last day of work.")
    note: str = Field("", description="Kept in the audit log.")


@router.post(
    "/employees/{number}/deactivation",
    response=EmployeeOut,
    summary="Deactivate a person who left, with the leaving date and reason",
    description="HR in the person's scope, as on the People page; the person can no longer "
    "sign in and their sessions end. A leaving date before the hire date or more than a "
    "month ahead is 422; deactivating someone already inactive changes nothing.",
)
def deactivate(request: HttpRequest, number: str, body: DeactivationIn) -> Any:
    access = access_for(request)
    found = (
        Employee.objects.select_related("department", "position", "manager")
        .filter(number=number)
        .first()
    )
    if found is None or not access.can_view_employee(found):
        raise Http404
    leaving = Leaving(reason=body.leaving_reason, on=body.leaving_date, note=body.note)
    try:
        do_deactivate(request.user, found, leaving)
    except ValidationError as error:
        raise ValidationProblem(_problems(error)) from None
    return _out_for(access)(found)
