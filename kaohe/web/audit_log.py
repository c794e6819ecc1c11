"""The audit log page: every write, worded for the reader, filtered by who, what and when."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from kaohe.audit.labels import (
    action_label,
    actions_worded,
    kind_label,
    kinds_worded,
    worded_changes,
)
from kaohe.audit.queries import filtered_entries
from kaohe.org.policy import Access, requires


@requires(Access.can_read_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    chosen = {
        name: request.GET.get(name, "").strip()
        for name in ("who", "kind", "action", "since", "until")
    }
    entries = filtered_entries(
        who=chosen["who"],
        kind=chosen["kind"],
        action=chosen["action"],
        since=parse_date(chosen["since"] or ""),
        until=parse_date(chosen["until"] or ""),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "action": action_label(entry.action),
            "kind": kind_label(entry.target_type),
            "changes": worded_changes(entry),
        }
        for entry in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "chosen": chosen,
        "query": urlencode({k: v for k, v in chosen.items() if v}),
        "actions": sorted(
            ((code, str(label)) for code, label in actions_worded().items()), key=lambda a: a[1]
        ),
        "kinds": sorted(
            ((code, str(label)) for code, label in kinds_worded().items()), key=lambda k: k[1]
        ),
    }
    response = render(request, "web/audit_log.html", context)
    response["Cache-Control"] = "no-store"  # the log holds results, pay and base pay
    return response
