"""1:1 pages: the list (one's own, a manager's, HR's scope), the form for a month's 1:1
(a second of the same month edits the first), one 1:1, and HR's reminders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.i18n import listed
from kaohe.org.models import Employee
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import IncidentRefused, do_remind_one_on_ones, do_save_one_on_one
from .forms import one_on_one_input
from .models import Incident, OneOnOne

LIST_PAGE = 50


@requires(policy.can_open_one_on_ones)
def one_on_one_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    found = policy.one_on_ones_in_view(access)
    person = request.GET.get("person", "").strip()
    if person:
        found = found.filter(employee__number=person)
    manager = request.GET.get("manager", "").strip()
    if manager:
        found = found.filter(manager__number=manager)
    month = request.GET.get("month", "").strip()
    if month:
        found = found.filter(month=month)
    page = Paginator(found, LIST_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "one_on_ones": list(page),
        "filters": {"person": person, "manager": manager, "month": month},
        "may_hold": policy.can_hold_one_on_ones(access),
        "may_remind": policy.may_remind_one_on_ones(access),
        "reports": list(access.direct_reports()) if policy.can_hold_one_on_ones(access) else [],
        "this_month": timezone.localdate().strftime("%Y-%m"),
    }
    return render(request, "incidents/one_on_ones.html", context)


@requires(policy.can_hold_one_on_ones)
def one_on_one_form(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    number = request.POST.get("employee") or request.GET.get("employee", "")
    month = request.POST.get("month") or request.GET.get("month") or _this_month()
    employee = Employee.objects.filter(number=number.strip()).first() if number else None
    if employee is None:
        people = list(access.team().order_by("number"))
        return render(
            request, "incidents/choose_person.html", {"people": people, "one_on_one": True}
        )
    if not policy.may_hold_one_on_one(access, employee):
        raise PermissionDenied(_("You may hold 1:1s only with the people below you."))
    held = OneOnOne.objects.filter(manager=access.employee, employee=employee, month=month).first()
    error = ""
    if request.method == "POST":
        try:
            one, created = do_save_one_on_one(
                request.user, employee.number, one_on_one_input(request.POST)
            )
        except IncidentRefused as refused:
            error = str(refused)
        else:
            messages.success(request, _("1:1 recorded.") if created else _("1:1 saved."))
            return redirect("one-on-one", pk=one.pk)
    return _render_form(request, employee, month, held, error)


def _render_form(
    request: HttpRequest, employee: Employee, month: str, held: OneOnOne | None, error: str
) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    values: dict[str, Any] = {
        "month": month,
        "went_well": held.went_well if held else "",
        "to_improve": held.to_improve if held else "",
        "actions": held.actions if held else "",
        "goals": ", ".join(held.goal_ids) if held else "",
    }
    linked = set(held.incidents.values_list("pk", flat=True)) if held else set()
    if posted is not None:
        values.update({k: posted.get(k, "") for k in values})
        linked = {int(v) for v in posted.getlist("incidents") if v.isdigit()}
    context = {
        "employee": employee,
        "values": values,
        "held": held,
        "error": error,
        "incidents": list(Incident.objects.filter(employee=employee)[:30]),
        "linked": linked,
    }
    return render(request, "incidents/one_on_one_form.html", context, status=422 if error else 200)


def _this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


@login_required
def one_on_one_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request)
    one = (
        OneOnOne.objects.select_related("manager", "employee", "employee__department")
        .filter(pk=pk)
        .first()
    )
    if one is None or not policy.can_view_one_on_one(access, one):
        raise Http404
    context = {
        "one": one,
        "incidents": list(one.incidents.all()),
        "may_edit": policy.may_edit_one_on_one(access, one),
    }
    response = render(request, "incidents/one_on_one.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires(policy.may_remind_one_on_ones)
def one_on_one_remind(request: HttpRequest) -> HttpResponse:
    report = do_remind_one_on_ones(request.user)
    if report.sent:
        messages.success(
            request,
            _("Reminded %(names)s of this month's 1:1s.")
            % {"names": listed(name for name, _count in report.sent)},
        )
    if report.already_today:
        messages.info(
            request,
            _("Already reminded today: %(names)s.") % {"names": listed(report.already_today)},
        )
    if report.nobody_to_tell:
        messages.warning(
            request,
            _("No account to remind: %(names)s.") % {"names": listed(report.nobody_to_tell)},
        )
    if not (report.sent or report.already_today or report.nobody_to_tell):
        messages.success(request, _("Every manager has held this month's 1:1s."))
    return redirect("one-on-ones")
