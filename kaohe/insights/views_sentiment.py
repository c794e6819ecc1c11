"""The sentiment page QA picks calls from: a period's transcribed calls of the agents the
reader may see, chosen (ended negative, not recovered, recovered, every call), sorted,
filtered by agent and queue, paginated, and exported as CSV. Every answer asks ``policy``
through ``sentiment_calls.read_calls``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kaohe.i18n import current_lang
from kaohe.org.policy import access_for, requires

from . import policy
from .actions_sentiment import do_export_call_sentiment
from .sentiment_calls import (
    ENDED_NEGATIVE,
    FILTERS,
    SORTS,
    CallQuery,
    CallQueryError,
    CallRow,
    read_calls,
    score_shown,
    sentiment_periods,
)

PAGE = 50
# The table's columns that sort, in order: (sort key, heading).
SORTED_COLUMNS = [
    ("time", _("Time")),
    ("start", _("Customer at the start")),
    ("end", _("Customer at the end")),
    ("lowest", _("Customer's lowest point")),
    ("agent_mean", _("Agent's mean")),
]


def query_from(given: QueryDict) -> CallQuery:
    """The page's choices from its query string; an unknown choice falls back to the
    default (the form offers only known ones)."""
    chosen = given.get("filter", ENDED_NEGATIVE)
    sort = given.get("sort", "lowest")
    return CallQuery(
        period=given.get("period", "").strip()[:20],
        agent=given.get("agent", "").strip()[:64],
        queue=given.get("queue", "").strip()[:64],
        filter=chosen if chosen in FILTERS else ENDED_NEGATIVE,
        sort=sort if sort in SORTS else "lowest",
        descending=given.get("dir") == "desc",
    )


def _read(request: HttpRequest, query: CallQuery) -> tuple[Any, str]:
    """The calls, or the latest period's with the reason a period given was refused."""
    access = access_for(request)
    try:
        return read_calls(access, query), ""
    except CallQueryError as refused:
        return read_calls(access, replace(query, period="")), str(refused)


def _row(row: CallRow) -> dict[str, Any]:
    call = row.call
    return {
        "call": call,
        "agent_name": row.agent_name,
        "start": score_shown(call.customer_start),
        "end": score_shown(call.customer_end),
        "lowest": score_shown(call.customer_lowest),
        "agent_mean": score_shown(call.agent_mean),
    }


def _encoded(query: CallQuery, period: str, **changes: Any) -> str:
    """The query string of these choices, leaving out the defaults."""
    chosen = replace(query, period=period, **changes)
    given = QueryDict(mutable=True)
    for name, value, default in (
        ("period", chosen.period, ""), ("agent", chosen.agent, ""),
        ("queue", chosen.queue, ""), ("filter", chosen.filter, ENDED_NEGATIVE),
        ("sort", chosen.sort, "lowest"),
    ):  # fmt: skip
        if value != default:
            given[name] = value
    if chosen.descending:
        given["dir"] = "desc"
    return given.urlencode()


@requires(policy.can_open_call_sentiment)
def calls(request: HttpRequest) -> HttpResponse:
    query = query_from(request.GET)
    found, problem = _read(request, query)
    period = found.period.name if found.period else ""
    page = Paginator(found.rows, PAGE).get_page(request.GET.get("page"))
    columns = [
        {
            "key": key, "label": label, "current": found.query.sort == key,
            "descending": found.query.descending,
            "query": _encoded(found.query, period, sort=key,
                              descending=found.query.sort == key and not found.query.descending),
        }
        for key, label in SORTED_COLUMNS
    ]  # fmt: skip
    periods = sentiment_periods()
    if period and period not in periods:
        periods.insert(0, period)
    context = {
        "found": found,
        "query": _encoded(found.query, period),
        "period": period,
        "periods": periods,
        "problem": problem,
        "filters": list(FILTERS.items()),
        "columns": columns,
        "page": page,
        "rows": [_row(row) for row in page],
        "threshold": score_shown(found.threshold),
    }
    if request.htmx:
        return render(request, "insights/sentiment/calls.html#results", context)
    return render(request, "insights/sentiment/calls.html", context)


@requires(policy.can_open_call_sentiment)
def calls_export(request: HttpRequest) -> HttpResponse:
    try:
        exported = do_export_call_sentiment(request.user, query_from(request.GET), current_lang())
    except CallQueryError as refused:
        return HttpResponseBadRequest(str(refused), content_type="text/plain; charset=utf-8")
    return exported.response()
