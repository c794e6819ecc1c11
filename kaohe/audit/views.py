from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.access import Access, requires

from .models import AuditEntry


@requires(Access.can_view_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = urlencode({"action": action}) if action else ""
    return render(request, "audit/log.html", {"page": page, "action": action, "query": query})
