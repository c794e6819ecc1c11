"""The dashboards' pages: ``/dashboard/`` opens the reader's first dashboard, and each
dashboard shows tabs for the others the reader may open. Views ask the policy and render
what ``leaders``, ``team`` and ``mine`` build; they compute nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kaohe.org.policy import Access, access_for, requires

from . import policy
from .leaders import leaders
from .mine import mine
from .team import team

TAB_LABELS = {
    policy.LEADERS: _("Department"),
    policy.TEAM: _("My team"),
    policy.MINE: _("Me"),
    policy.HR: _("HR"),
}
URL_NAMES = {
    policy.LEADERS: "dashboard-leaders",
    policy.TEAM: "dashboard-team",
    policy.MINE: "dashboard-mine",
    policy.HR: "dashboard-hr",
}


def tabs(access: Access, current: str) -> list[dict[str, Any]]:
    """The dashboards the reader may open, each with its address (the HR one only once
    its page exists)."""
    found = []
    for name in policy.dashboards_for(access):
        try:
            url = reverse(URL_NAMES[name])
        except NoReverseMatch:
            continue
        found.append({"name": name, "label": TAB_LABELS[name], "url": url,
                      "current": name == current})  # fmt: skip
    return found


@requires(policy.can_open_dashboards)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The reader's first dashboard: the department's, the team's, their own, HR's."""
    found = tabs(access_for(request), "")
    if not found:
        raise PermissionDenied
    return redirect(found[0]["url"])


@requires(policy.can_open_leaders_dashboard)
def leaders_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    context = {"tabs": tabs(access, policy.LEADERS), "board": leaders(access)}
    return render(request, "reports/leaders.html", context)


@requires(policy.can_open_team_dashboard)
def team_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    context = {"tabs": tabs(access, policy.TEAM), "board": team(access)}
    return render(request, "reports/team.html", context)


@requires(policy.can_open_my_dashboard)
def mine_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    context = {"tabs": tabs(access, policy.MINE), "board": mine(access)}
    return render(request, "reports/mine.html", context)
