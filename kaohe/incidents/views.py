"""Incident pages: the list (a manager's people, HR's scope, one's own), a new incident, one
incident with its edit, deletion and response, and a person's incidents and 1:1s. Views
look up, ask the policy, call an action, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.org.models import Employee
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import (
    IncidentRefused,
    do_delete_incident,
    do_edit_incident,
    do_record_incident,
    do_respond,
)
from .evidence import current_scheme, locked_in, targets
from .forms import grouped_targets, incident_input, kind_choices
from .models import Incident
from .queries import filtered

LIST_PAGE = 50


@requires(policy.can_open_incidents)
def incident_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    incidents, problem = filtered(policy.incidents_in_view(access), request.GET)
    page = Paginator(incidents, LIST_PAGE).get_page(request.GET.get("page"))
    kept = {k: request.GET.get(k, "") for k in ("person", "period", "polarity", "kind")}
    context = {
        "page": page,
        "incidents": list(page),
        "filters": kept,
        "query": urlencode({k: v for k, v in kept.items() if v}),
        "problem": problem,
        "polarities": Incident.Polarity.choices,
        "kinds": kind_choices(),
        "may_record": policy.can_record_incidents(access),
        "has_own": access.employee is not None,
    }
    return render(request, "incidents/index.html", context)


def _person(request: HttpRequest, number: str, check: Any) -> Employee:
    employee = (
        Employee.objects.select_related("department", "position", "user")
        .filter(number=number.strip())
        .first()
    )
    if employee is None or not check(access_for(request), employee):
        raise PermissionDenied(
            _(
                "You may record incidents only for the people below you and, as HR, for "
                "those in your scope."
            )
        )
    return employee


@requires(policy.can_record_incidents)
def incident_new(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    number = request.POST.get("employee") or request.GET.get("employee", "")
    if not number:
        people = list(policy.people_to_record_for(access)[:2000])
        return render(request, "incidents/choose_person.html", {"people": people})
    employee = _person(request, number, policy.may_record_for)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            do_record_incident(request.user, employee.number, incident_input(request.POST))
        except IncidentRefused as refused:
            errors[refused.field or "form"] = str(refused)
        else:
            messages.success(
                request, _("Incident recorded; %(name)s is told.") % {"name": employee.name}
            )
            return redirect("incidents-person", number=employee.number)
    return render(
        request,
        "incidents/form.html",
        _form_context(employee, request.POST if request.method == "POST" else {}, errors),
        status=422 if errors else 200,
    )


def _form_context(
    employee: Employee, values: Any, errors: dict[str, str], incident: Incident | None = None
) -> dict[str, Any]:
    if incident is not None and not values:
        values = {
            "occurred_on": incident.occurred_on.isoformat(),
            "polarity": incident.polarity,
            "what": incident.what,
            "kind": incident.kind,
            "evidences": "/".join(p for p in (incident.dimension, incident.indicator) if p),
        }
    return {
        "employee": employee,
        "incident": incident,
        "values": values,
        "errors": errors,
        "groups": grouped_targets(targets(current_scheme(employee))),
        "kinds": kind_choices(),
        "polarities": Incident.Polarity.choices,
        "today": timezone.localdate(),
    }


def _incident(request: HttpRequest, pk: int) -> Incident:
    incident = (
        Incident.objects.select_related("employee", "employee__department", "recorded_by__employee")
        .filter(pk=pk)
        .first()
    )
    if incident is None or not policy.can_view_incident(access_for(request), incident):
        raise Http404
    return incident


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    access = access_for(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            do_edit_incident(request.user, incident.pk, incident_input(request.POST))
        except IncidentRefused as refused:
            errors[refused.field or "form"] = str(refused)
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("incident", pk=incident.pk)
        else:
            messages.success(request, _("Incident saved."))
            return redirect("incident", pk=incident.pk)
    locked = locked_in(incident.employee_id, incident.occurred_on)
    context = {
        **_form_context(incident.employee, request.POST, errors, incident),
        "may_change": policy.may_change_incident(access, incident) and locked is None,
        "may_respond": policy.may_respond(access, incident) and locked is None,
        "locked": locked,
    }
    response = render(request, "incidents/detail.html", context, status=422 if errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def incident_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the post deletes."""
    incident = _incident(request, pk)
    if not policy.may_change_incident(access_for(request), incident):
        raise PermissionDenied(_("Only whoever recorded the incident, or HR, may delete it."))
    locked = locked_in(incident.employee_id, incident.occurred_on)
    if request.method == "POST":
        try:
            do_delete_incident(request.user, incident.pk, request.POST.get("reason", ""))
        except IncidentRefused as refused:
            messages.error(request, str(refused))
            return redirect("incident", pk=incident.pk)
        messages.success(request, _("Incident deleted."))
        return redirect("incidents-person", number=incident.employee.number)
    return render(request, "incidents/delete.html", {"incident": incident, "locked": locked})


@require_POST
@login_required
def incident_respond(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        do_respond(request.user, pk, request.POST.get("response", ""))
    except ObjectDoesNotExist:
        raise Http404 from None
    except (IncidentRefused, PermissionDenied) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your response is saved."))
    return redirect("incident", pk=pk)


@login_required
def person_incidents(request: HttpRequest, number: str) -> HttpResponse:
    access = access_for(request)
    employee = Employee.objects.select_related("department").filter(number=number).first()
    if employee is None or not policy.can_view_incidents_of(access, employee):
        raise Http404
    incidents = list(
        Incident.objects.filter(employee=employee).select_related("recorded_by__employee")[:500]
    )
    ones = [
        one
        for one in policy.one_on_ones_in_view(access).filter(employee=employee)[:24]
        if policy.can_view_one_on_one(access, one)
    ]
    context = {
        "employee": employee,
        "incidents": incidents,
        "one_on_ones": ones,
        "is_own": access.employee is not None and access.employee.pk == employee.pk,
        "may_record": policy.may_record_for(access, employee),
        "may_hold": policy.may_hold_one_on_one(access, employee),
    }
    response = render(request, "incidents/person.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_incidents(request: HttpRequest) -> HttpResponse:
    me = access_for(request).employee
    if me is None:
        raise Http404
    return redirect("incidents-person", number=me.number)
