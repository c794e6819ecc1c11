"""The metric catalog: every KPI, computed with DuckDB over the lake's current records.

Each definition lives in one SQL query that returns, per subject, a numerator and a
denominator; the value is derived here in one place, so that an empty base is always null,
never zero. docs/metrics.md describes each metric in words. The SQL sticks to common
constructs (GROUPING SETS, EXISTS, window functions) so that it can move to a distributed
engine reading the same Parquet files; the exceptions are first-contact resolution and
complaint conversion, whose ASOF joins a portable engine would write as NOT EXISTS over the
customer's other calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from kaohe.core import Text

from ._calendar import BusinessCalendar
from ._duck import DEFAULT_MEMORY, connect
from ._errors import MetricsError
from ._lake import Lake
from ._periods import Period
from ._query import COUNT, MEAN, NET, QUEUES, RATE, Metric, Query, subject_sql, value_of
from ._sentiment import (
    CallSentiment,
    call_from_row,
    comment_mean,
    select_calls_sql,
    sentiment_queries,
)
from ._sources import SOURCES

ORG = "org"
AGENT_QUEUES = "agent_queues"  # an agent's own queues, weighted by the agent's answers


@dataclass(frozen=True)
class MetricValue:
    subject_type: str  # employee, queue, agent_queues (an agent's own queues) or org
    subject: str  # an employee number, a queue name, or "org"
    metric: str
    value: float | None
    numerator: float | None
    denominator: float | None


@dataclass(frozen=True)
class CatalogOptions:
    zone: ZoneInfo
    now: datetime  # aware: which purchase orders are due already
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    short_abandon_seconds: float = 5
    service_level_seconds: float = 20
    fcr_window_hours: int = 168
    complaint_window_hours: int = 72  # how long after a call a complaint is still its own
    memory: str = DEFAULT_MEMORY  # DuckDB's memory limit
    spill_dir: Path | None = None  # where DuckDB spills beyond it
    # A transcript turn scoring below this P(positive) is negative (kaohe/metrics/_sentiment.py).
    sentiment_threshold: float = 0.5

    def __post_init__(self) -> None:
        if not 0 < self.sentiment_threshold < 1:
            raise MetricsError(
                Text(
                    f"情绪阈值应在 0 与 1 之间（不含），而不是 {self.sentiment_threshold!r}",
                    f"the sentiment threshold must lie between 0 and 1 (exclusive), not "
                    f"{self.sentiment_threshold!r}",
                )
            )


def _inbound_calls(options: CatalogOptions) -> str:
    """The period's inbound calls, each marked answered, short-abandoned and answered
    within the service level: the CTE every call-volume query starts from."""
    short = options.short_abandon_seconds
    level = options.service_level_seconds
    return f"""
        c AS (
            SELECT queue, agent_id, offered_at, answered_at, ended_at,
                   coalesce(wrap_seconds, 0) AS wrap,
                   answered_at IS NOT NULL AS answered,
                   answered_at IS NULL
                     AND epoch(ended_at) - epoch(offered_at) <= {short} AS short_abandon,
                   answered_at IS NOT NULL
                     AND epoch(answered_at) - epoch(offered_at) <= {level} AS in_time
            FROM calls
            WHERE direction = 'inbound' AND offered_at >= $start AND offered_at < $end
        )"""


def _queue_rates(level: float) -> list[Metric]:
    """Answer, abandon and service-level rates, from columns of the same names."""
    return [
        Metric("answer_rate", RATE, "answered", "base", QUEUES),
        Metric("abandon_rate", RATE, "abandoned", "base", QUEUES),
        Metric(f"service_level_{int(level)}s", RATE, "within_level", "base", QUEUES),
    ]


def _agent_queue_query(options: CatalogOptions) -> Query:
    """Each agent's answer, abandon and service-level rates over the queues the agent took
    calls in, each queue weighted by the agent's answered calls in it:
    Σ a_q · rate_q / Σ a_q. An agent cannot answer calls never routed to them, and a
    queue's staffing is shared, so the agent is judged on the queues they work, in
    proportion."""
    share = "sum(a.mine * CAST(q.{0} AS DOUBLE) / q.base) AS {0}"
    sql = f"""
        WITH {_inbound_calls(options)},
        q AS (
            SELECT queue,
                   count(*) FILTER (WHERE answered) AS answered,
                   count(*) FILTER (WHERE NOT short_abandon) AS base,
                   count(*) FILTER (WHERE NOT answered AND NOT short_abandon) AS abandoned,
                   count(*) FILTER (WHERE in_time) AS within_level
            FROM c WHERE queue IS NOT NULL GROUP BY queue
        ),
        a AS (
            SELECT agent_id, queue, count(*) AS mine
            FROM c WHERE answered AND agent_id IS NOT NULL AND queue IS NOT NULL
            GROUP BY agent_id, queue
        )
        SELECT '{AGENT_QUEUES}' AS subject_type, a.agent_id AS subject,
               {share.format("answered")}, {share.format("abandoned")},
               {share.format("within_level")}, sum(a.mine) AS base
        FROM a JOIN q USING (queue)
        GROUP BY a.agent_id
    """
    metrics = [
        Metric(m.name, m.kind, m.numerator, m.denominator, (AGENT_QUEUES,))
        for m in _queue_rates(options.service_level_seconds)
    ]
    return Query("calls", sql, metrics)


def _complaint_conversion_query(options: CatalogOptions) -> Query:
    """Each agent's answered inbound calls that turned into a complaint ticket.

    Tickets name no call, so a complaint is laid at the door of the customer's most recent
    answered inbound call answered at or before the ticket was created — the call still
    going on when an agent logs the complaint with the customer on the line, or one that
    ended no more than the window before. Only calls with a customer count, as for FCR: a
    complaint can never be traced to a call whose customer is unknown, so such calls would
    only dilute the rate. A call behind two complaint tickets converted once."""
    window = options.complaint_window_hours
    sql = f"""
        WITH answered AS (
            SELECT call_id, agent_id, customer_id, offered_at, answered_at, ended_at
            FROM calls
            WHERE direction = 'inbound' AND answered_at IS NOT NULL
              AND customer_id IS NOT NULL
        ),
        complaints AS (
            -- A complaint about a call of the period came after the period began.
            SELECT customer_id, created_at FROM tickets
            WHERE kind = 'complaint' AND customer_id IS NOT NULL AND created_at >= $start
        ),
        suspects AS (
            -- The calls a complaint may come from: the complainants' calls answered since
            -- the period began. Leaving out earlier ones changes nothing: a complaint whose
            -- latest call is earlier finds no call here, and it is no call of the period.
            -- Few, so the ASOF join below sorts a handful of calls, not all of them.
            SELECT call_id, customer_id, answered_at, ended_at FROM answered
            WHERE answered_at >= $start
              AND customer_id IN (SELECT customer_id FROM complaints)
        ),
        converted AS (
            SELECT DISTINCT c.call_id
            FROM complaints t
            ASOF JOIN suspects c
              ON t.customer_id = c.customer_id AND t.created_at >= c.answered_at
            WHERE t.created_at <= c.ended_at + INTERVAL {window} HOUR
        )
        SELECT {subject_sql([("agent_id", "employee")])},
               count(converted.call_id) AS converted, count(*) AS answered
        FROM answered LEFT JOIN converted USING (call_id)
        WHERE offered_at >= $start AND offered_at < $end
        GROUP BY GROUPING SETS ((agent_id), ())
    """
    metrics = [
        Metric("complaint_conversion_rate", RATE, "converted", "answered"),
        Metric("complaints_converted", COUNT, "converted", None),
    ]
    return Query("calls", sql, metrics, also=("tickets",))


def _queries(options: CatalogOptions) -> list[Query]:
    level = options.service_level_seconds
    window = options.fcr_window_hours
    seconds = "(epoch(ended_at) - epoch(answered_at))"
    return [
        Query(
            "calls",
            f"""
            WITH {_inbound_calls(options)}
            SELECT {subject_sql([("queue", "queue"), ("agent_id", "employee")])},
                   count(*) FILTER (WHERE answered) AS answered,
                   count(*) FILTER (WHERE NOT short_abandon) AS base,
                   count(*) FILTER (WHERE NOT answered AND NOT short_abandon) AS abandoned,
                   count(*) FILTER (WHERE in_time) AS within_level,
                   sum(epoch(answered_at) - epoch(offered_at)) FILTER (WHERE answered) AS wait,
                   sum({seconds}) FILTER (WHERE answered) AS talk,
                   sum({seconds} + wrap) FILTER (WHERE answered) AS handle
            FROM c
            GROUP BY GROUPING SETS ((queue), (agent_id), ())
            """,
            [
                *_queue_rates(level),
                Metric("asa_seconds", MEAN, "wait", "answered"),
                Metric("calls_handled", COUNT, "answered", None),
                Metric("avg_talk_seconds", MEAN, "talk", "answered"),
                Metric("aht_seconds", MEAN, "handle", "answered"),
            ],
        ),
        Query(
            "calls",
            f"""
            WITH inbound AS (
                SELECT agent_id, customer_id, offered_at, answered_at, ended_at
                FROM calls WHERE direction = 'inbound' AND customer_id IS NOT NULL
            ),
            resolved AS (
                -- The customer's next call offered after this one ended (ASOF finds it
                -- with one sort, where NOT EXISTS would compare every pair of the
                -- customer's calls); none within the window means resolved first time.
                SELECT c.agent_id,
                       next.offered_at IS NULL
                         OR next.offered_at > c.ended_at + INTERVAL {window} HOUR AS first_contact
                FROM (
                    SELECT * FROM inbound
                    WHERE answered_at IS NOT NULL
                      AND offered_at >= $start AND offered_at < $end
                ) c
                ASOF LEFT JOIN (SELECT customer_id, offered_at FROM inbound) next
                  ON c.customer_id = next.customer_id AND next.offered_at > c.ended_at
            )
            SELECT {subject_sql([("agent_id", "employee")])},
                   count(*) FILTER (WHERE first_contact) AS resolved_first,
                   count(*) AS answered
            FROM resolved
            GROUP BY GROUPING SETS ((agent_id), ())
            """,
            [Metric("fcr_rate", RATE, "resolved_first", "answered")],
        ),
        _agent_queue_query(options),
        _complaint_conversion_query(options),
        Query(
            "tickets",
            f"""
            WITH t AS (
                SELECT assignee_id, created_at, first_response_at, resolved_at,
                       created_at_date, resolved_at_date
                FROM tickets
                WHERE kind = 'complaint' AND created_at >= $start AND created_at < $end
            )
            SELECT {subject_sql([("assignee_id", "employee")])},
                   count(*) AS complaints,
                   count(*) FILTER (WHERE first_response_at IS NOT NULL
                       AND epoch(first_response_at) - epoch(created_at) <= 7200) AS answered_2h,
                   count(*) FILTER (WHERE resolved_at IS NOT NULL
                       AND done.workday_index - opened.workday_index <= 3) AS resolved_3wd,
                   count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved
            FROM t
            LEFT JOIN workdays opened ON opened.day = t.created_at_date
            LEFT JOIN workdays done ON done.day = t.resolved_at_date
            GROUP BY GROUPING SETS ((assignee_id), ())
            """,
            [
                Metric("complaint_response_2h_rate", RATE, "answered_2h", "complaints"),
                Metric("complaint_resolved_3wd_rate", RATE, "resolved_3wd", "complaints"),
                Metric("complaint_resolution_rate", RATE, "resolved", "complaints"),
            ],
        ),
        Query(
            "surveys",
            f"""
            SELECT {subject_sql([("agent_id", "employee")])},
                   count(*) FILTER (WHERE kind = 'csat') AS csat_answers,
                   count(*) FILTER (WHERE kind = 'csat' AND score >= 4) AS csat_top2,
                   sum(score) FILTER (WHERE kind = 'csat') AS csat_total,
                   count(*) FILTER (WHERE kind = 'nps') AS nps_answers,
                   count(*) FILTER (WHERE kind = 'nps' AND score >= 9)
                     - count(*) FILTER (WHERE kind = 'nps' AND score <= 6) AS nps_net,
                   count(*) FILTER (WHERE kind = 'ces') AS ces_answers,
                   sum(score) FILTER (WHERE kind = 'ces') AS ces_total,
                   count(*) FILTER (WHERE kind = 'meeting') AS meeting_answers,
                   count(*) FILTER (WHERE kind = 'meeting' AND score >= 4) AS meeting_top2,
                   count(comment_sentiment) AS comments_scored,
                   sum(comment_sentiment) AS comment_sentiment_total
            FROM surveys
            WHERE responded_at >= $start AND responded_at < $end
            GROUP BY GROUPING SETS ((agent_id), ())
            """,
            [
                Metric("csat_rate", RATE, "csat_top2", "csat_answers"),
                Metric("csat_mean", MEAN, "csat_total", "csat_answers"),
                Metric("nps", NET, "nps_net", "nps_answers"),
                Metric("ces_mean", MEAN, "ces_total", "ces_answers"),
                Metric("meeting_support_csat", RATE, "meeting_top2", "meeting_answers"),
                comment_mean(),
            ],
        ),
        Query(
            "tickets",
            f"""
            SELECT {subject_sql([("assignee_id", "employee")])},
                   count(*) AS tickets,
                   count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
                   count(*) FILTER (WHERE kind = 'incident' AND resolved_at IS NOT NULL)
                     AS incidents_resolved,
                   sum(epoch(resolved_at) - epoch(created_at))
                     FILTER (WHERE kind = 'incident' AND resolved_at IS NOT NULL) / 3600.0
                     AS repair_hours
            FROM tickets
            WHERE created_at >= $start AND created_at < $end
            GROUP BY GROUPING SETS ((assignee_id), ())
            """,
            [
                Metric("ticket_resolution_rate", RATE, "resolved", "tickets"),
                Metric("repair_hours", MEAN, "repair_hours", "incidents_resolved"),
            ],
        ),
        Query(
            "purchases",
            f"""
            SELECT {subject_sql([("buyer_id", "employee")])},
                   count(*) FILTER (WHERE delivered_at IS NOT NULL
                       OR promised_at < $now) AS due,
                   count(*) FILTER (WHERE delivered_at <= promised_at) AS on_time,
                   sum(budget_amount) FILTER (WHERE actual_amount IS NOT NULL) AS budget,
                   sum(budget_amount - actual_amount)
                     FILTER (WHERE actual_amount IS NOT NULL AND budget_amount IS NOT NULL)
                     AS saved
            FROM purchases
            WHERE ordered_at >= $start AND ordered_at < $end
            GROUP BY GROUPING SETS ((buyer_id), ())
            """,
            [
                Metric("procurement_on_time_rate", RATE, "on_time", "due"),
                Metric("cost_saving_rate", RATE, "saved", "budget"),
            ],
        ),
        Query(
            "asset_checks",
            f"""
            SELECT {subject_sql([("employee_id", "employee")])},
                   sum(discrepancies) AS discrepancies, sum(assets_checked) AS checked
            FROM asset_checks
            WHERE checked_at >= $start AND checked_at < $end
            GROUP BY GROUPING SETS ((employee_id), ())
            """,
            [Metric("fixed_asset_error_rate", RATE, "discrepancies", "checked")],
        ),
        Query(
            "kb_updates",
            f"""
            SELECT {subject_sql([("author_id", "employee")])}, count(*) AS updates
            FROM kb_updates
            WHERE updated_at >= $start AND updated_at < $end
            GROUP BY GROUPING SETS ((author_id), ())
            """,
            [Metric("kb_updates", COUNT, "updates", None)],
        ),
        Query(
            "accounts",
            f"""
            WITH visited AS (
                SELECT DISTINCT account_id FROM visits
                WHERE visited_at >= $start AND visited_at < $end
            )
            SELECT {subject_sql([("owner_id", "employee")])},
                   count(*) AS key_accounts,
                   count(visited.account_id) AS revisited
            FROM accounts LEFT JOIN visited USING (account_id)
            WHERE key_account
            GROUP BY GROUPING SETS ((owner_id), ())
            """,
            [Metric("key_account_revisit_rate", RATE, "revisited", "key_accounts")],
        ),
        Query(
            "qa",
            f"""
            SELECT {subject_sql([("agent_id", "employee")])},
                   count(*) FILTER (WHERE passed) AS passed, count(*) AS evaluations
            FROM qa
            WHERE evaluated_at >= $start AND evaluated_at < $end
            GROUP BY GROUPING SETS ((agent_id), ())
            """,
            [Metric("qa_pass_rate", RATE, "passed", "evaluations")],
        ),
        *sentiment_queries(options.sentiment_threshold),
    ]


def metric_names() -> tuple[str, ...]:
    """Every metric the catalog computes, by name: what a scheme or a key result may read."""
    # The names do not depend on the options' zone or moment; any will do.
    options = CatalogOptions(zone=ZoneInfo("UTC"), now=datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")))
    return tuple(sorted({metric.name for query in _queries(options) for metric in query.metrics}))


def compute(
    lake: Lake, period: Period, options: CatalogOptions, subject: str | None = None
) -> list[MetricValue]:
    """Every metric for every subject in the period (or for one subject)."""
    start, end = period.bounds(options.zone)
    values: list[MetricValue] = []
    with connect(options.memory, options.spill_dir) as connection:
        available = _register_sources(connection, lake)
        if "tickets" in available:
            _register_workdays(connection, options.calendar, period)
        if "accounts" in available and "visits" not in available:
            connection.execute(
                "CREATE TEMP VIEW visits AS SELECT NULL::VARCHAR AS account_id, "
                "NULL::TIMESTAMPTZ AS visited_at WHERE false"
            )
        for query in _queries(options):
            if not query.sources <= available:
                continue
            values.extend(_run(connection, query, start, end, options.now))
    if subject is not None:
        values = [v for v in values if v.subject == subject]
    return sorted(values, key=lambda v: (v.subject_type, v.subject, v.metric))


def call_sentiment(
    lake: Lake,
    period: Period,
    options: CatalogOptions,
    *,
    agent: str | None = None,
    queue: str | None = None,
) -> list[CallSentiment]:
    """The sentiment of each transcribed call offered in the period (of one agent's or one
    queue's calls, if asked), in the order offered: the figures the sentiment metrics
    count, for picking calls to review. Empty without transcripts or call records."""
    start, end = period.bounds(options.zone)
    parameters: dict[str, object] = {"start": start, "end": end}
    conditions = []
    if agent is not None:
        conditions.append("agent_id = $agent")
        parameters["agent"] = agent
    if queue is not None:
        conditions.append("queue = $queue")
        parameters["queue"] = queue
    where = " AND ".join(conditions)
    needed = ("calls", "transcripts")
    with connect(options.memory, options.spill_dir) as connection:
        if not set(needed) <= _register_sources(connection, lake, needed):
            return []
        sql = select_calls_sql(options.sentiment_threshold, f"WHERE {where}" if where else "")
        rows = connection.execute(sql, parameters).fetchall()
    return [call_from_row(row, options.zone) for row in rows]


def _register_sources(
    connection: duckdb.DuckDBPyConnection, lake: Lake, only: tuple[str, ...] = ()
) -> set[str]:
    available = set()
    for source in only or SOURCES:
        current = lake.current(source)
        if current is not None:
            connection.execute(f"CREATE TEMP VIEW {source} AS SELECT * FROM {current}")
            available.add(source)
    return available


def _register_workdays(
    connection: duckdb.DuckDBPyConnection, calendar: BusinessCalendar, period: Period
) -> None:
    """day → count of working days up to and including it, around the period.

    A resolution date beyond the table is later than any 3-working-day window anyway, so
    the table runs from a week before the period to three months after it.
    """
    first = period.first_day - timedelta(days=7)
    last = period.last_day + timedelta(days=92)
    days, indexes, running = [], [], 0
    for day, working in calendar.days(first, last):
        running += working
        days.append(day)
        indexes.append(running)
    table = pa.table({"day": pa.array(days, pa.date32()), "workday_index": indexes})
    connection.register("workdays_table", table)
    connection.execute("CREATE TEMP VIEW workdays AS SELECT * FROM workdays_table")


def _run(
    connection: duckdb.DuckDBPyConnection,
    query: Query,
    start: datetime,
    end: datetime,
    now: datetime,
) -> Iterator[MetricValue]:
    parameters = {"start": start, "end": end, "now": now}
    used = {name: value for name, value in parameters.items() if f"${name}" in query.sql}
    result = connection.execute(query.sql, used)
    names = [column[0] for column in result.description]
    for row in result.fetchall():
        record = dict(zip(names, row, strict=True))
        if record["subject"] is None:
            continue  # records with no queue or no employee count for the organisation only
        for metric in query.metrics:
            if record["subject_type"] not in metric.subjects:
                continue
            numerator = _number(record[metric.numerator])
            denominator = (
                None if metric.denominator is None else _number(record[metric.denominator])
            )
            if metric.kind == MEAN and numerator is None and denominator == 0:
                numerator = None
            yield MetricValue(
                record["subject_type"],
                str(record["subject"]),
                metric.name,
                value_of(metric.kind, numerator, denominator),
                numerator,
                denominator,
            )


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
