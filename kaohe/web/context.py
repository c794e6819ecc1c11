"""The navigation, by what each person may open, for every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaohe.appraisals import policy as appraisals
from kaohe.appraisals.models import Notification
from kaohe.calibration import policy as calibration
from kaohe.data import policy as data
from kaohe.development import policy as development
from kaohe.goals import policy as goals
from kaohe.incidents import policy as incidents
from kaohe.insights import policy as insights
from kaohe.names import person_name
from kaohe.org.policy import Access, access_for
from kaohe.pay import policy as pay
from kaohe.recognition import policy as recognition
from kaohe.reports import policy as reports
from kaohe.reviews import policy as reviews
from kaohe.schemes import policy as schemes
from kaohe.tokens import policy as tokens

# (url name, label, who sees it): the top bar, in this order.
_NAVIGATION: list[tuple[str, Any, Callable[[Access], bool]]] = [
    ("home", _("Home"), lambda access: True),
    ("dashboard", pgettext_lazy("navigation", "Dashboard"), reports.can_open_dashboards),
    ("appraisals", _("Appraisals"), lambda access: True),
    ("goals", _("Goals"), goals.can_open_goals),
    ("reviews", _("360 reviews"), reviews.can_open_reviews),
    ("incidents", _("Incidents"), incidents.can_open_incidents),
    # The wall, with the leaderboards and badges of the points app as its tabs.
    ("recognition-wall", _("Recognition"), recognition.can_open_recognition),
    ("cycles", _("Cycles"), appraisals.can_manage_cycles),
    ("calibration-sessions", _("Calibration"), calibration.can_open_calibration_page),
    ("pay", _("Pay"), pay.can_open_pay_pages),
    ("development", pgettext_lazy("navigation", "Development"), development.can_open_development),
    # What-if, weight advice, attrition risk and call sentiment: HR's; the executive's
    # attrition risk; everyone's own calls (and a manager's reports').
    ("insights", _("Insights"), insights.can_open_insights),
    ("team", _("My team"), Access.can_view_team),
    ("org-chart", _("Org chart"), Access.can_view_org_chart),
]
# The administration pages, under one "Manage" menu beside them, so that HR's bar fits.
_MANAGE: list[tuple[str, Any, Callable[[Access], bool]]] = [
    ("schemes", _("Schemes"), schemes.can_open_library),
    ("people", _("People"), Access.can_list_people),
    ("org-import", _("Import"), Access.can_import_organisation),
    ("data-import", _("Data"), data.can_open_data_page),
    ("audit-log", _("Audit log"), Access.can_read_audit_log),
]


# Items that stand for a section of several apps' pages: the addresses they are current on.
_SECTIONS = {
    "dashboard": ("/dashboard/",),
    "recognition-wall": ("/recognition/", "/points/"),
    "insights": ("/insights/",),
}


def _items(
    entries: list[tuple[str, Any, Callable[[Access], bool]]],
    access: Access,
    current: str | None,
    path: str = "",
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "url": reverse(name),
            "label": label,
            "current": name == current or path.startswith(_SECTIONS.get(name, ())),
        }
        for name, label, allowed in entries
        if allowed(access)
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {}
    access = access_for(request)
    current = request.resolver_match.url_name if request.resolver_match else None
    items = _items(_NAVIGATION, access, current, request.path)
    manage = _items(_MANAGE, access, current)
    unread = Notification.objects.filter(recipient=request.user, read_at=None).count()
    return {
        "nav_items": items,
        "manage_items": manage,
        "managing": any(item["current"] for item in manage),
        "unread_notifications": unread,
        "signed_in_name": person_name(request.user),
        "can_hold_tokens": tokens.can_hold_tokens(access),
    }
