"""The calls QA picks for review, from their transcripts' sentiment: the figures of
``kaohe.metrics.call_sentiment`` for the calls of the agents the reader may see
(``policy.call_sentiment_agents``), chosen, sorted and made ready for the page, the API
and the CSV file alike.

The choices: the calls whose customer **ended negative** (the default: the customer left
upset), those that **started negative and did not recover**, those that **recovered**
(what went right, for coaching), or **every** transcribed call — each sorted by the
customer's lowest point by default, the worst first. A call without a scored customer turn
has no figures and sorts last whatever the order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.core import round_half_up
from kaohe.data import services
from kaohe.data.models import MetricRecord
from kaohe.i18n import in_reader_language
from kaohe.metrics import CallSentiment, MetricsError, Period, call_sentiment, parse_period
from kaohe.org.models import Employee
from kaohe.org.policy import Access

from . import policy

ENDED_NEGATIVE, NOT_RECOVERED, RECOVERED, EVERY = (
    "ended_negative",
    "not_recovered",
    "recovered",
    "all",
)
FILTERS: dict[str, Any] = {
    ENDED_NEGATIVE: gettext_lazy("Ended negative"),
    NOT_RECOVERED: gettext_lazy("Started negative, not recovered"),
    RECOVERED: gettext_lazy("Recovered"),
    EVERY: gettext_lazy("Every transcribed call"),
}
_CHOSEN: dict[str, Callable[[CallSentiment], bool]] = {
    ENDED_NEGATIVE: lambda call: call.ended_negative is True,
    NOT_RECOVERED: lambda call: call.recovered is False,
    RECOVERED: lambda call: call.recovered is True,
    EVERY: lambda call: True,
}
SORTS: dict[str, Callable[[CallSentiment], Any]] = {
    "lowest": lambda call: call.customer_lowest,
    "start": lambda call: call.customer_start,
    "end": lambda call: call.customer_end,
    "agent_mean": lambda call: call.agent_mean,
    "time": lambda call: call.offered_at,
}
# The metric whose stored values say which periods have transcribed calls.
_MARKER = "calls_ending_negative_rate"


class CallQueryError(ValueError):
    """A choice the calls cannot be read with: ``field`` names it, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class CallQuery:
    period: str = ""  # "" for the latest period with transcribed calls
    agent: str = ""  # an employee number
    queue: str = ""
    filter: str = ENDED_NEGATIVE
    sort: str = "lowest"
    descending: bool = False


@dataclass(frozen=True)
class CallRow:
    call: CallSentiment
    agent_name: str  # "" for an agent kaohe does not know


@dataclass(frozen=True)
class Calls:
    period: Period | None  # None: no period has transcribed calls yet
    query: CallQuery
    rows: list[CallRow]  # chosen and sorted
    agents: list[tuple[str, str]]  # (number, name) with calls in the period, for the filter
    queues: list[str]
    threshold: float


def sentiment_periods() -> list[str]:
    """The periods whose stored metrics count transcribed calls, the latest first (a month
    before the quarter that ends with it)."""
    found = (
        MetricRecord.objects.filter(metric=_MARKER, subject_type="org", denominator__gt=0)
        .values_list("run__period", flat=True)
        .distinct()
    )
    periods = []
    for name in set(found):
        try:
            periods.append(parse_period(name))
        except MetricsError:
            continue
    periods.sort(key=lambda p: (p.last_day, -(p.last_day - p.first_day).days), reverse=True)
    return [p.name for p in periods]


def ended_negative_count(access: Access) -> tuple[str, int] | None:
    """The latest period with transcribed calls and how many of the reader's calls in it
    ended negative, from the stored metric values (the Insights page's figure)."""
    periods = sentiment_periods()
    if not periods:
        return None
    allowed = policy.call_sentiment_agents(access)
    stored = MetricRecord.objects.latest_for(periods[0]).filter(metric=_MARKER)
    if allowed is None:
        stored = stored.filter(subject_type="org")
    else:
        stored = stored.filter(subject_type="employee", subject__in=sorted(allowed))
    return periods[0], round(sum(n or 0 for n in stored.values_list("numerator", flat=True)))


def _period(name: str) -> Period | None:
    if not name.strip():
        latest = sentiment_periods()
        return parse_period(latest[0]) if latest else None
    try:
        return parse_period(name)
    except MetricsError as error:
        raise CallQueryError("period", in_reader_language(error.text)) from None


def _check(query: CallQuery) -> None:
    for field, given, known in (("filter", query.filter, FILTERS), ("sort", query.sort, SORTS)):
        if given not in known:
            raise CallQueryError(
                field,
                _("“%(given)s” is not one of %(known)s.")
                % {"given": given, "known": ", ".join(known)},
            )


def read_calls(access: Access, query: CallQuery) -> Calls:
    """The calls of the period this reader may read, as the query chooses and sorts them.
    Raises CallQueryError for a choice that does not exist; an agent the reader may not see
    reads as an agent without calls."""
    _check(query)
    period = _period(query.period)
    options = services.catalog_options()
    if period is None:
        return Calls(None, query, [], [], [], options.sentiment_threshold)
    allowed = policy.call_sentiment_agents(access)
    # One agent's calls are read by the database alone; a team's are filtered here.
    only = query.agent or (
        next(iter(allowed)) if allowed is not None and len(allowed) == 1 else None
    )
    if allowed is not None and only is not None and only not in allowed:
        found: list[CallSentiment] = []
    else:
        found = call_sentiment(services.lake(), period, options, agent=only or None)
    visible = [c for c in found if allowed is None or c.agent_id in allowed]
    names = _names({c.agent_id for c in visible if c.agent_id})
    agents = sorted({(c.agent_id, names.get(c.agent_id, "")) for c in visible if c.agent_id})
    queues = sorted({c.queue for c in visible if c.queue})
    if query.queue:
        visible = [c for c in visible if c.queue == query.queue]
    chosen = [c for c in visible if _CHOSEN[query.filter](c)]
    ordered = _sorted(chosen, SORTS[query.sort], query.descending)
    rows = [CallRow(c, names.get(c.agent_id or "", "")) for c in ordered]
    return Calls(period, query, rows, agents, queues, options.sentiment_threshold)


def _sorted(
    calls: Sequence[CallSentiment], key: Callable[[CallSentiment], Any], descending: bool
) -> list[CallSentiment]:
    """By the key, ties in the order the calls came (by time), calls without the figure last."""
    having = [c for c in calls if key(c) is not None]
    without = [c for c in calls if key(c) is None]
    return sorted(having, key=key, reverse=descending) + without


def score_shown(value: float | None, nothing: str = "—") -> str:
    """A score 0–1 to two decimals, half up: the model is not more precise than that."""
    if value is None:
        return nothing
    return str(round_half_up(Decimal(repr(value))))


def _names(numbers: set[str]) -> dict[str, str]:
    found = Employee.objects.filter(number__in=sorted(numbers)).values_list("number", "name")
    return dict(found)
