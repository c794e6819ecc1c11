"""``/api/v1/insights/sentiment/calls``: the calls QA picks for review, as the Call
sentiment page lists them — the transcribed calls of a period of the agents the caller may
see (the executive viewer and whole-organisation HR every call, scoped HR their
departments' people, a manager their reports, anyone their own), chosen and sorted the same
way. The figures are P(positive) from 0 to 1, at full precision; pages round them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kaohe.insights import policy
from kaohe.insights.sentiment_calls import CallQuery, CallQueryError, CallRow, read_calls
from kaohe.org.policy import access_for

from .errors import ValidationProblem
from .pages import Page, PageQuery, each, page_of

router = Router(tags=["insights"])


class CallFilters(PageQuery):
    period: str = Field(
        "", description="2026-09, 2026-Q3, 2026-H2 or 2026; by default the latest period "
        "whose stored metrics count transcribed calls.",
    )  # fmt: skip
    agent: str = Field("", description="An agent's employee number.")
    queue: str = Field("", description="A queue's name, as the call records give it.")
    filter: Literal["ended_negative", "not_recovered", "recovered", "all"] = Field(
        "ended_negative",
        description="Calls whose customer ended negative, started negative and did not "
        "recover, recovered, or every transcribed call.",
    )
    sort: Literal["lowest", "start", "end", "agent_mean", "time"] = Field(
        "lowest", description="The customer's lowest point (the default), start or end, the "
        "agent's mean, or the time; calls without the figure come last.",
    )  # fmt: skip
    descending: bool = False


class CallOut(Schema):
    call_id: str
    agent: str | None  # the agent's employee number, as the call record names it
    agent_name: str | None  # None for an agent kaohe does not know
    queue: str | None
    offered_at: datetime  # in the organisation's time zone
    customer_turns: int  # the customer's scored turns
    customer_start: float | None
    customer_end: float | None
    customer_lowest: float | None
    agent_mean: float | None  # the mean of the agent's own scored turns, kept apart
    started_negative: bool | None
    ended_negative: bool | None
    recovered: bool | None  # None: it did not start negative, or has one customer turn


class CallPage(Page[CallOut]):
    period: str | None  # None: no period has transcribed calls yet
    threshold: float  # a score below it is negative


def call_out(row: CallRow) -> CallOut:
    call = row.call
    return CallOut(
        call_id=call.call_id, agent=call.agent_id, agent_name=row.agent_name or None,
        queue=call.queue, offered_at=call.offered_at, customer_turns=call.customer_turns,
        customer_start=call.customer_start, customer_end=call.customer_end,
        customer_lowest=call.customer_lowest, agent_mean=call.agent_mean,
        started_negative=call.started_negative, ended_negative=call.ended_negative,
        recovered=call.recovered,
    )  # fmt: skip


class _Rows:
    """The chosen rows as ``page_of`` reads them."""

    def __init__(self, rows: list[CallRow]) -> None:
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def __getitem__(self, chosen: slice) -> list[CallRow]:
        return self.rows[chosen]


@router.get(
    "/insights/sentiment/calls",
    response=CallPage,
    summary="The transcribed calls QA may pick for review, with the customer's sentiment",
    description="Per call: the customer's start, end and lowest point and the mean of the "
    "agent's own turns (P(positive), 0–1), and whether it started negative, ended negative "
    "and recovered (docs/insights.md). Only the calls of the agents the caller may see; an "
    "agent outside them reads as one without calls. Context for QA, never a score.",
)
def calls(request: HttpRequest, filters: Query[CallFilters]) -> Any:
    access = access_for(request)
    if not policy.can_open_call_sentiment(access):
        raise PermissionDenied(
            _("Call sentiment is read by HR, executives, managers and the people who take calls.")
        )
    query = CallQuery(
        period=filters.period, agent=filters.agent.strip(), queue=filters.queue.strip(),
        filter=filters.filter, sort=filters.sort, descending=filters.descending,
    )  # fmt: skip
    try:
        found = read_calls(access, query)
    except CallQueryError as refused:
        raise ValidationProblem(
            [{"field": refused.field, "in": "query", "reason": str(refused)}]
        ) from None
    answer = page_of(_Rows(found.rows), filters, each(call_out))
    return {
        **answer,
        "period": found.period.name if found.period else None,
        "threshold": found.threshold,
    }
