"""Goal pages: my goals, a person's goals for their managers, a department's alignment
tree, the objective with its key results and check-ins, the forms to set and change an
objective and to check in (phone first), and the goals at risk. Views look up, ask the
policy, call an action, render."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.i18n import listed
from kaohe.metrics import MetricsError, parse_period
from kaohe.org.models import Department, Employee
from kaohe.org.policy import access_for, requires

from . import forms, policy
from .actions import (
    GoalRefused,
    ObjectiveInput,
    do_check_in,
    do_create_objective,
    do_remind_check_ins,
    do_save_objective,
    due_for_check_in,
)
from .catalog import CATALOG_METRICS
from .models import Cadence, Confidence, KeyResult, Level, Objective
from .presenter import aligned_tree, shown

NO_STORE = "no-store"


def current_quarter(today: date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _period(request: HttpRequest, fallback: str) -> Any:
    """The period asked for (``?period=``), else ``fallback``."""
    try:
        return parse_period(request.GET.get("period", "") or fallback)
    except MetricsError:
        return parse_period(fallback)


def _mine(access: Any, period: Any) -> list[Objective]:
    if access.employee is None:
        return []
    return list(
        policy.objectives_in_view(access)
        .filter(owner=access.employee)
        .within(period.first_day, period.last_day)
        .prefetch_related("key_results", "check_ins")
    )


@requires(policy.can_open_goals)
def my_goals(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    today = timezone.localdate()
    period = _period(request, _default_period(access, today))
    context = {
        "period": period.name,
        "periods": _periods(access, period.name, today),
        "goals": [shown(o) for o in _mine(access, period)],
        "reports": list(access.direct_reports()),
        "departments": list(policy.departments_for_tree(access)),
        "sees_at_risk": policy.can_see_at_risk(access),
        "may_set_goals": access.employee is not None or bool(policy.departments_for_goals(access)),
    }
    return render(request, "goals/mine.html", context)


def _default_period(access: Any, today: date) -> str:
    """The current quarter, or when the user has no goal in it the newest they have."""
    quarter = current_quarter(today)
    if access.employee is None:
        return quarter
    found = parse_period(quarter)
    own = Objective.objects.filter(owner=access.employee)
    if own.within(found.first_day, found.last_day).exists():
        return quarter
    newest = own.order_by("-starts").values_list("period", flat=True).first()
    return newest or quarter


def _periods(access: Any, chosen: str, today: date) -> list[str]:
    seen = set(policy.objectives_in_view(access).values_list("period", flat=True).distinct())
    seen |= {chosen, current_quarter(today)}
    return sorted(seen, reverse=True)[:12]


@login_required
def person_goals(request: HttpRequest, number: str) -> HttpResponse:
    access = access_for(request)
    person = Employee.objects.select_related("department").filter(number=number).first()
    if person is None or not policy.can_see_history_of(access, person):
        raise Http404
    today = timezone.localdate()
    period = _period(request, current_quarter(today))
    goals = (
        policy.objectives_in_view(access)
        .filter(owner=person)
        .within(period.first_day, period.last_day)
        .prefetch_related("key_results", "check_ins")
    )
    context = {
        "person": person,
        "period": period.name,
        "periods": _periods(access, period.name, today),
        "goals": [shown(o) for o in goals],
        "may_set": policy.may_create(access, Level.PERSONAL, person, person.department_id),
    }
    return render(request, "goals/person.html", context)


@login_required
def tree(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's objectives of the period and, under each, the goals aligned to it
    that the reader may see."""
    access = access_for(request)
    department = Department.objects.filter(pk=pk).first()
    if department is None or department not in policy.departments_for_tree(access):
        raise Http404
    today = timezone.localdate()
    period = _period(request, current_quarter(today))
    roots = (
        policy.objectives_in_view(access)
        .filter(department=department, level__in=policy.SHARED_LEVELS)
        .within(period.first_day, period.last_day)
    )
    context = {
        "department": department,
        "period": period.name,
        "periods": _periods(access, period.name, today),
        "roots": [aligned_tree(access, root) for root in roots],
    }
    return render(request, "goals/tree.html", context)


def _visible(request: HttpRequest, pk: int) -> Objective:
    objective = (
        Objective.objects.select_related("owner", "owner__department", "department", "parent")
        .prefetch_related("key_results", "check_ins__recorded_by", "check_ins__key_result")
        .filter(pk=pk)
        .first()
    )
    if objective is None or not policy.can_view(access_for(request), objective):
        raise Http404
    return objective


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _visible(request, pk)
    access = access_for(request)
    if request.method == "POST":
        return _posted_status(request, objective)
    ancestors = [a for a in objective.ancestors() if policy.can_view(access, a)]
    goal = shown(objective)
    for row in goal.key_results:
        row["history"] = list(row["kr"].history.select_related("recorded_by")[:20])
    context = {
        "goal": goal,
        "objective": objective,
        "ancestors": ancestors,
        "tree": aligned_tree(access, objective),
        "check_ins": list(objective.check_ins.all()),
        "may_edit": policy.may_edit(access, objective),
        "may_reopen": policy.may_reopen(access, objective),
        "may_check_in": policy.may_check_in(access, objective),
        "may_comment": policy.may_comment(access, objective),
        "may_remind": policy.may_remind(access, objective)
        and objective.status == Objective.Status.ACTIVE,
        "due": bool(due_for_check_in([objective], timezone.localdate()))
        and objective.status == Objective.Status.ACTIVE,
    }
    response = render(request, "goals/detail.html", context)
    response["Cache-Control"] = NO_STORE
    return response


def _posted_status(request: HttpRequest, objective: Objective) -> HttpResponse:
    posted = request.POST
    try:
        if "remind" in posted:
            report = do_remind_check_ins(request.user, [objective.pk])
            _say_reminded(request, report)
        else:
            status = posted.get("status", "")
            do_save_objective(request.user, objective.pk, ObjectiveInput(status=status))
            messages.success(request, _("The goal's status is saved."))
    except GoalRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        messages.error(request, _("You may not change this goal."))
    return redirect("goal", pk=objective.pk)


def _say_reminded(request: HttpRequest, report: Any) -> None:
    if report.count:
        messages.success(
            request,
            _("Reminded to check in: %(names)s.") % {"names": listed(report.reminded)},
        )
    elif report.already_today:
        messages.info(request, _("Reminded already today: %(names)s.")
                      % {"names": listed(report.already_today)})  # fmt: skip
    else:
        messages.info(request, _("Nobody is due a check-in."))


def _form_context(request: HttpRequest, objective: Objective | None) -> dict[str, Any]:
    access = access_for(request)
    parents = policy.objectives_in_view(access).published()
    if objective is not None:
        parents = parents.exclude(pk=objective.pk)
    posted = request.POST if request.method == "POST" else None
    return {
        "objective": objective,
        "values": posted or _values(request, objective),
        "rows": _rows(posted, objective),
        "levels": Level.choices,
        "cadences": Cadence.choices,
        "kinds": KeyResult.Kind.choices,
        "subjects": KeyResult.Subject.choices,
        "metrics": CATALOG_METRICS,
        "parents": list(parents.order_by("-starts", "pk")[:200]),
        "departments": policy.departments_for_goals(access),
        "people": [access.employee, *access.team()] if access.employee else list(access.team()),
    }


def _values(request: HttpRequest, objective: Objective | None) -> dict[str, str]:
    """The objective's fields as the form shows them; a new one's from the address."""
    if objective is None:
        return {
            "period": request.GET.get("period") or current_quarter(timezone.localdate()),
            "owner": request.GET.get("owner", ""),
            "level": request.GET.get("level", Level.PERSONAL),
            "cadence": Cadence.WEEKLY,
        }
    return {
        "title": objective.title, "description": objective.description,
        "level": objective.level, "owner": objective.owner.number,
        "department": objective.department.path, "period": objective.period,
        "cadence": objective.cadence, "parent": str(objective.parent_id or ""),
    }  # fmt: skip


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _rows(posted: Any, objective: Objective | None) -> list[dict[str, Any]]:
    """The form's key-result rows: as posted after a refusal, else the key results."""
    held = list(objective.key_results.all()) if objective is not None else []
    rows = []
    for n in forms.ROWS:
        if posted is not None:
            keys = ("id", "title", "kind", "start", "target", "current", "unit", "metric",
                    "subject")  # fmt: skip
            row = {key: posted.get(f"kr{n}_{key}", "") for key in keys}
            row["done"] = posted.get(f"kr{n}_done") == "on"
        elif n <= len(held):
            kr = held[n - 1]
            row = {
                "id": str(kr.pk), "title": kr.title, "kind": kr.kind,
                "start": _plain(kr.start),
                "target": _plain(kr.target),
                "current": _plain(kr.current),
                "unit": kr.unit, "metric": kr.metric, "subject": kr.subject, "done": kr.done,
            }  # fmt: skip
        else:
            row = {"id": "", "title": "", "kind": KeyResult.Kind.MEASURABLE, "done": False}
        rows.append({"n": n, **row})
    return rows


@requires(policy.can_open_goals)
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        status = Objective.Status.ACTIVE if "publish" in request.POST else None
        try:
            made = do_create_objective(request.user, forms.objective(request.POST, status))
        except GoalRefused as refused:
            messages.error(request, str(refused))
        except PermissionDenied:
            messages.error(request, _("You may not set this goal: choose yourself, one of your "
                                      "people or a department you lead."))  # fmt: skip
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("goal", pk=made.pk)
    return render(request, "goals/form.html", _form_context(request, None))


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _visible(request, pk)
    if not policy.may_edit(access_for(request), objective):
        raise PermissionDenied
    if request.method == "POST":
        status = Objective.Status.ACTIVE if "publish" in request.POST else None
        try:
            do_save_objective(request.user, objective.pk, forms.objective(request.POST, status))
        except GoalRefused as refused:
            messages.error(request, str(refused))
        except PermissionDenied:
            messages.error(request, _("You may not change this goal."))
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("goal", pk=objective.pk)
    return render(request, "goals/form.html", _form_context(request, objective))


@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _visible(request, pk)
    access = access_for(request)
    owner_side = policy.may_check_in(access, objective)
    if not (owner_side or policy.may_comment(access, objective)):
        raise PermissionDenied
    if request.method == "POST":
        try:
            do_check_in(
                request.user, objective.pk, forms.check_in(request.POST, timezone.localdate())
            )
        except GoalRefused as refused:
            messages.error(request, str(refused))
        except PermissionDenied:
            messages.error(request, _("You may not check in on this goal."))
        else:
            messages.success(request, _("Check-in recorded."))
            return redirect("goal", pk=objective.pk)
    context = {
        "goal": shown(objective),
        "objective": objective,
        "owner_side": owner_side,
        "confidences": Confidence.choices,
        "today": timezone.localdate(),
    }
    return render(request, "goals/check_in.html", context)


@requires(policy.can_see_at_risk)
def at_risk(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    risky = list(policy.at_risk_in_view(access).prefetch_related("key_results", "check_ins"))
    due = due_for_check_in(list(policy.reminded_in_view(access)), timezone.localdate())
    context = {"goals": [shown(o) for o in risky], "due": due}
    return render(request, "goals/at_risk.html", context)


@require_POST
@requires(policy.can_see_at_risk)
def remind(request: HttpRequest) -> HttpResponse:
    report = do_remind_check_ins(request.user)
    _say_reminded(request, report)
    return redirect("goals-at-risk")
