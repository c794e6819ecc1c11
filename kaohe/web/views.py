"""The home page per role, the health check, and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from kaohe.access import access_for
from kaohe.org.models import Department


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    context: dict[str, object] = {"me": access.employee}
    if access.is_manager and access.employee is not None:
        context["direct_reports"] = access.employee.direct_reports.active().select_related(
            "position", "department"
        )
        context["report_count"] = len(access.report_ids)
    if access.is_hr or access.is_executive:
        people = access.visible_employees()
        context["org_stats"] = {
            "active": people.filter(active=True).count(),
            "inactive": people.filter(active=False).count(),
            "departments": Department.objects.count(),
            "without_manager": people.filter(active=True, manager=None).count(),
        }
    return render(request, "web/home.html", context)


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
