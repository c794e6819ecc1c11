"""People, teams and the org chart. Views look up, ask Access, validate, call an action."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.audit.labels import action_label, worded_changes
from kaohe.audit.models import AuditEntry

from . import actions
from .forms import DeactivateForm, PersonForm
from .models import Department, Employee
from .policy import Access, access_for, requires


def _visible_person(request: HttpRequest, number: str) -> Employee:
    """The person with this number, if this user may see them; 404 both when there is no
    such person and when they are hidden, so nobody learns who exists outside their scope."""
    employee = (
        Employee.objects.select_related("department", "position", "manager", "user")
        .filter(number=number)
        .first()
    )
    if employee is None or not access_for(request).can_view_employee(employee):
        raise Http404
    return employee


def _editable_person(request: HttpRequest, number: str) -> Employee:
    employee = _visible_person(request, number)
    if not access_for(request).can_edit_employee(employee):
        raise PermissionDenied
    return employee


@requires(Access.can_list_people)
def people(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    found = access.visible_employees()
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "active")
    if search:
        found = found.filter(Q(name__icontains=search) | Q(number__icontains=search))
    if status == "active":
        found = found.filter(active=True)
    elif status == "inactive":
        found = found.filter(active=False)
    page = Paginator(found.order_by("department__path", "number"), 50).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in {"q": search, "status": status}.items() if v})
    context = {
        "page": page,
        "search": search,
        "status": status,
        "query": query,
        "can_manage_people": access.can_manage_people(),
    }
    if request.htmx:
        return render(request, "org/people.html#results", context)
    return render(request, "org/people.html", context)


@requires(Access.can_open_people_pages)
def person(request: HttpRequest, number: str) -> HttpResponse:
    employee = _visible_person(request, number)
    access = access_for(request)
    history = []
    if access.can_see_change_history(employee):
        entries = AuditEntry.objects.filter(target_type="org.employee", target_id=str(employee.pk))
        history = [
            {"entry": entry, "action": action_label(entry.action), "changes": worded_changes(entry)}
            for entry in entries[:20]
        ]
    context = {
        "person": employee,
        "reports": employee.direct_reports.select_related("position").order_by("number"),
        "can_edit": access.can_edit_employee(employee),
        "show_leaving": not employee.active and access.can_see_leaving(employee),
        "can_set_password": access.can_edit_employee(employee)
        and employee.user is not None
        and access.can_manage_account(employee.user, employee),
        "history": history,
    }
    return render(request, "org/person.html", context)


@requires(Access.can_manage_people)
def person_new(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    form = PersonForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            employee = actions.do_create_employee(request.user, form.person_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": employee.name})
            return redirect("person", employee.number)
    return render(request, "org/person_form.html", {"form": form, "person": None})


@requires(Access.can_manage_people)
def person_edit(request: HttpRequest, number: str) -> HttpResponse:
    employee = _editable_person(request, number)
    access = access_for(request)
    form = PersonForm(
        request.POST or None,
        access=access,
        employee=employee,
        initial=PersonForm.initial_for(employee),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_employee(request.user, employee, form.person_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("person", employee.number)
    return render(request, "org/person_form.html", {"form": form, "person": employee})


@requires(Access.can_manage_people)
def person_deactivate(request: HttpRequest, number: str) -> HttpResponse:
    """The form, then a confirmation of what it says, before anything changes:
    deactivation signs the person out of kaohe, and the leaving reason feeds the
    attrition model."""
    employee = _editable_person(request, number)
    form = DeactivateForm(request.POST or None, initial={"leaving_date": timezone.localdate()})
    context = {"form": form, "person": employee, "confirming": False}
    if request.method == "POST" and form.is_valid():
        leaving = form.leaving()
        if request.POST.get("confirm") != "yes":
            context.update(confirming=True, leaving=leaving, reason_label=leaving.reason.label)
            return render(request, "org/person_deactivate.html", context)
        try:
            actions.do_deactivate(request.user, employee, leaving)
        except ValidationError as error:
            form.add_error(None, error)  # a field's error, shown by the field
        else:
            messages.success(
                request,
                _("%(name)s has been deactivated. Their records are kept; you can reactivate them.")
                % {"name": employee.name},
            )
            return redirect("person", employee.number)
    return render(request, "org/person_deactivate.html", context)


@require_POST
@requires(Access.can_manage_people)
def person_reactivate(request: HttpRequest, number: str) -> HttpResponse:
    employee = _editable_person(request, number)
    actions.do_set_active(request.user, employee, True)
    messages.success(request, _("%(name)s is active again.") % {"name": employee.name})
    return redirect("person", employee.number)


@requires(Access.can_manage_people)
def person_password(request: HttpRequest, number: str) -> HttpResponse:
    """Confirm, then set a temporary password and show it once."""
    employee = _editable_person(request, number)
    if employee.user is not None and not access_for(request).can_manage_account(
        employee.user, employee
    ):
        raise PermissionDenied  # not even the confirmation: the account is not HR's to reset
    if request.method != "POST":
        return render(request, "org/person_password.html", {"person": employee})
    try:
        password = actions.do_set_temporary_password(request.user, employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("person", employee.number)
    response = render(
        request, "org/person_password.html", {"person": employee, "password": password}
    )
    response["Cache-Control"] = "no-store"  # the password must not linger in caches
    return response


@requires(Access.can_view_team)
def team(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    members = access.team().order_by("department__path", "number")
    return render(request, "org/team.html", {"members": members, "me": access.employee})


@requires(Access.can_view_org_chart)
def org_chart(request: HttpRequest) -> HttpResponse:
    departments = list(Department.objects.order_by("id"))  # in the order they were made
    members: dict[int, list[Employee]] = {}
    for employee in Employee.objects.active().select_related("position", "manager"):
        members.setdefault(employee.department_id, []).append(employee)
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)

    def node(department: Department) -> dict[str, object]:
        people = members.get(department.pk, [])
        # The heads are the members whose manager sits outside the department.
        heads = [p for p in people if p.manager is None or p.manager.department_id != department.pk]
        return {
            "department": department,
            "heads": heads,
            "members": [p for p in people if p not in heads],
            "children": [node(child) for child in children.get(department.pk, [])],
        }

    roots = [node(department) for department in children.get(None, [])]
    return render(request, "org/chart.html", {"roots": roots})
