"""The sentiment of calls, from their transcripts: the per-call figures behind the
sentiment metrics, which the QA pages also use to pick calls for review.

Each turn's ``sentiment`` is P(positive) in [0, 1], given at import by whatever scorer the
caller passed (``ImportOptions.sentiment``); a score below the threshold
(``CatalogOptions.sentiment_threshold``, 0.5 by default) is negative. Per call, from the
customer's scored turns s1 … sn in turn order (the agent's own turns never count here):

- **start** is s1 and **end** is sn; from four customer turns on, start is the mean of s1
  and s2 and end the mean of s(n−1) and sn, so that one short "嗯" or "好的" does not
  decide how a longer call began or ended, and the two never share a turn;
- **lowest** is the lowest si;
- the call **ended negative** when its end is below the threshold, and **started
  negative** when its start is;
- a call that started negative **recovered** when its end is not negative; a call with one
  customer turn has no start apart from its end and is no case of recovery (None).

The agent's figure is the plain mean of the agent's scored turns, kept apart. A call
belongs to the period and the queue of its call record (transcripts hold no time), and to
the call record's agent; the transcript's own agent_id (of its first turn that names one)
stands in only where the call record names none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ._query import MEAN, RATE, Metric, Query, subject_sql

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CallSentiment:
    """One transcribed call of the period; the figures are None without scored turns."""

    call_id: str
    agent_id: str | None
    queue: str | None
    offered_at: datetime  # in the organisation's time zone
    customer_turns: int  # the customer's scored turns
    customer_start: float | None
    customer_end: float | None
    customer_lowest: float | None
    agent_mean: float | None  # the mean of the agent's scored turns
    started_negative: bool | None
    ended_negative: bool | None
    recovered: bool | None  # None: it did not start negative, or has one customer turn


def per_call_sql(threshold: float) -> str:
    """CTEs ending in ``call_sentiment``: one row per transcribed call offered in
    [$start, $end), over the views ``calls`` and ``transcripts``."""
    below = f"< CAST({float(threshold)!r} AS DOUBLE)"
    window = "CASE WHEN scored >= 4 THEN 2 ELSE 1 END"  # how many turns start and end take
    return f"""
        period_calls AS (
            SELECT call_id, queue, agent_id, offered_at FROM calls
            WHERE offered_at >= $start AND offered_at < $end
        ),
        turns AS (
            SELECT call_id, turn, speaker, sentiment, agent_id FROM transcripts
            WHERE call_id IN (SELECT call_id FROM period_calls)
        ),
        customer AS (
            SELECT call_id, sentiment,
                   row_number() OVER (PARTITION BY call_id ORDER BY turn) AS from_start,
                   row_number() OVER (PARTITION BY call_id ORDER BY turn DESC) AS from_end,
                   count(*) OVER (PARTITION BY call_id) AS scored
            FROM turns WHERE speaker = 'customer' AND sentiment IS NOT NULL
        ),
        arc AS (
            SELECT call_id, max(scored) AS customer_turns,
                   avg(sentiment) FILTER (WHERE from_start <= {window}) AS customer_start,
                   avg(sentiment) FILTER (WHERE from_end <= {window}) AS customer_end,
                   min(sentiment) AS customer_lowest
            FROM customer GROUP BY call_id
        ),
        whole AS (
            SELECT call_id,
                   avg(sentiment) FILTER (WHERE speaker = 'agent') AS agent_mean,
                   min_by(agent_id, turn) FILTER (WHERE agent_id IS NOT NULL) AS named_agent
            FROM turns GROUP BY call_id
        ),
        call_sentiment AS (
            SELECT c.call_id, coalesce(c.agent_id, w.named_agent) AS agent_id, c.queue,
                   c.offered_at, coalesce(a.customer_turns, 0) AS customer_turns,
                   a.customer_start, a.customer_end, a.customer_lowest, w.agent_mean,
                   a.customer_start {below} AS started_negative,
                   a.customer_end {below} AS ended_negative,
                   CASE WHEN a.customer_start {below} AND a.customer_turns >= 2
                        THEN NOT (a.customer_end {below}) END AS recovered
            FROM period_calls c
            JOIN whole w USING (call_id)
            LEFT JOIN arc a USING (call_id)
        )"""


def select_calls_sql(threshold: float, where: str = "") -> str:
    """Every column of ``CallSentiment``, the time as epoch microseconds."""
    return f"""
        WITH {per_call_sql(threshold)}
        SELECT call_id, agent_id, queue, epoch_us(offered_at) AS offered_us, customer_turns,
               customer_start, customer_end, customer_lowest, agent_mean,
               started_negative, ended_negative, recovered
        FROM call_sentiment {where}
        ORDER BY offered_at, call_id
    """


def sentiment_queries(threshold: float) -> list[Query]:
    """The transcribed calls' sentiment (start, end and the rest as the module's docstring
    defines them), and the mean sentiment of survey comments per queue, through the
    survey's call (per agent and for the organisation it comes with the other survey
    metrics)."""
    calls = f"""
        WITH {per_call_sql(threshold)}
        SELECT {subject_sql([("queue", "queue"), ("agent_id", "employee")])},
               count(*) FILTER (WHERE customer_turns > 0) AS transcribed,
               count(*) FILTER (WHERE ended_negative) AS ended_negative,
               -- recovered is null outside its base: calls that started negative with
               -- two customer turns or more
               count(*) FILTER (WHERE recovered IS NOT NULL) AS recovery_base,
               count(*) FILTER (WHERE recovered) AS recovered
        FROM call_sentiment
        GROUP BY GROUPING SETS ((queue), (agent_id), ())
    """
    comments = """
        SELECT 'queue' AS subject_type, c.queue AS subject,
               count(s.comment_sentiment) AS comments_scored,
               sum(s.comment_sentiment) AS comment_sentiment_total
        FROM surveys s JOIN calls c USING (call_id)
        WHERE s.responded_at >= $start AND s.responded_at < $end
        GROUP BY c.queue
    """
    return [
        Query(
            "transcripts",
            calls,
            [
                Metric("calls_ending_negative_rate", RATE, "ended_negative", "transcribed"),
                Metric("calls_recovered_rate", RATE, "recovered", "recovery_base"),
            ],
            also=("calls",),
        ),
        Query(
            "surveys",
            comments,
            [comment_mean(("queue",))],
            also=("calls",),
        ),
    ]


def comment_mean(subjects: tuple[str, ...] = ("employee", "queue", "org")) -> Metric:
    return Metric(
        "comment_sentiment_mean", MEAN, "comment_sentiment_total", "comments_scored", subjects
    )


def call_from_row(row: tuple[object, ...], zone: ZoneInfo) -> CallSentiment:
    (call_id, agent, queue, offered_us, turns, start, end, lowest, agent_mean,
     started, ended, recovered) = row  # fmt: skip
    assert isinstance(offered_us, int) and isinstance(turns, int)
    offered = (_EPOCH + timedelta(microseconds=offered_us)).astimezone(zone)
    return CallSentiment(
        call_id=str(call_id),
        agent_id=None if agent is None else str(agent),
        queue=None if queue is None else str(queue),
        offered_at=offered,
        customer_turns=turns,
        customer_start=_float(start),
        customer_end=_float(end),
        customer_lowest=_float(lowest),
        agent_mean=_float(agent_mean),
        started_negative=_bool(started),
        ended_negative=_bool(ended),
        recovered=_bool(recovered),
    )


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)
