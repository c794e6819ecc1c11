"""The navigation, by role, for every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaohe.access import Access, access_for

# (url name, label, who sees it)
_NAVIGATION = [
    ("home", _("Home"), lambda access: True),
    ("appraisals", _("Appraisals"), lambda access: True),
    ("cycles", _("Cycles"), Access.can_manage_cycles),
    ("schemes", _("Schemes"), Access.can_manage_cycles),
    ("team", _("My team"), Access.can_view_team),
    ("people", _("People"), Access.can_list_people),
    ("org-import", _("Import"), Access.can_import_organisation),
    ("data-import", _("Data"), Access.can_import_data),
    ("org-chart", _("Org chart"), Access.can_view_org_chart),
    ("audit-log", _("Audit log"), Access.can_view_audit_log),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {}
    access = access_for(request)
    current = request.resolver_match.url_name if request.resolver_match else None
    items = [
        {"name": name, "url": reverse(name), "label": label, "current": name == current}
        for name, label, allowed in _NAVIGATION
        if allowed(access)
    ]
    from kaohe.appraisals.models import Notification

    unread = Notification.objects.filter(recipient=request.user, read_at=None).count()
    return {"nav_items": items, "access": access, "unread_notifications": unread}
