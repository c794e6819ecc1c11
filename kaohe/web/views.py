"""The home page per role, the health check, and error pages."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kaohe.appraisals import policy as appraisals
from kaohe.appraisals.actions import overdue
from kaohe.appraisals.models import Appraisal
from kaohe.appraisals.scoring import score_appraisal
from kaohe.appraisals.workflow import State
from kaohe.org.models import Department
from kaohe.org.policy import Access, access_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What is true now for this person: their own appraisal and the action due, what
    waits on them as a manager or HR, the running cycles, the organisation's figures."""
    access = access_for(request)
    me = access.employee
    context: dict[str, object] = {"me": me}
    if me is not None:
        context["my_appraisals"] = _my_appraisals(access)
    waiting = appraisals.visible_appraisals(access).filter(appraisals.waiting_on(access))
    if me is not None:
        waiting = waiting.exclude(employee=me)
    context["waiting"] = list(waiting.order_by("employee__number")[:10])
    context["waiting_count"] = waiting.count()
    if access.can_view_team():
        context["direct_reports"] = access.direct_reports()
        context["report_count"] = access.count_of_reports()
    if access.can_view_org_overview():
        context["org_stats"] = _org_stats(access)
        context["running_cycles"] = _running_cycles(access)
    context["can"] = {
        "manage_people": access.can_manage_people(),
        "import_organisation": access.can_import_organisation(),
        "manage_cycles": appraisals.can_manage_cycles(access),
        "view_team": access.can_view_team(),
        "view_overview": access.can_view_org_overview(),
    }
    context["unlinked"] = me is None and not access.can_view_org_overview()
    return render(request, "web/home.html", context)


def _my_appraisals(access: Access) -> list[dict[str, object]]:
    mine = (
        Appraisal.objects.filter(employee=access.employee)
        .select_related("cycle", "employee", "employee__department", "rater", "version")
        .order_by("-cycle__created_at")[:3]
    )
    shown = []
    for appraisal in mine:
        scored = score_appraisal(appraisal) if appraisal.latest_result() is None else None
        shown.append(
            {
                "appraisal": appraisal,
                "due": appraisals.available_actions(access, appraisal),
                "result": appraisal.latest_result(),
                "provisional": scored.outcome if scored is not None else None,
                "secured": scored.result.secured if scored and scored.result else None,
            }
        )
    return shown


def _org_stats(access: Access) -> dict[str, int]:
    people = access.visible_employees()
    return {
        "active": people.filter(active=True).count(),
        "inactive": people.filter(active=False).count(),
        "departments": Department.objects.count(),
        "without_manager": people.filter(active=True, manager=None).count(),
    }


def _running_cycles(access: Access) -> list[dict[str, object]]:
    shown = []
    for cycle in appraisals.running_cycles_in_view(access):
        counts = Counter(Appraisal.objects.filter(cycle=cycle).values_list("state", flat=True))
        finished = counts.get(str(State.FINALISED), 0) + counts.get(str(State.CLOSED), 0)
        shown.append(
            {
                "cycle": cycle,
                "total": sum(counts.values()),
                "finished": finished,
                "overdue": len(overdue(cycle)),
                "can_manage": appraisals.can_manage_cycle(access, cycle),
            }
        )
    return shown


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not; no sign-in needed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "error": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


__all__ = ["healthz", "home", "page_not_found", "permission_denied"]
