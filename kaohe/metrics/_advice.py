"""Figures over successive quarters for the weight advice: how key accounts and complaints
are going, per person and for the organisation, quarter by quarter.

The weight advice compares the latest quarter with the ones before it (``kaohe.analytics``
judges the trend); this module only counts. Quarters, because every key account is due a
visit once a quarter (seed 002) and a month of complaints is too few to judge by. Each
figure is a numerator and a denominator, as in the catalog, so that the Django side can add
people up into departments:

- ``key_account_revisit_rate`` — key accounts owned with a visit in the quarter ÷ key
  accounts owned (the catalog's metric, by quarter), per owner. A quarter without a single
  visit recorded has no rate rather than 0 %: its visits were not imported (the account
  list is a snapshot, so it would otherwise read as every key account neglected);
- ``key_account_nps`` — NPS answers from key accounts: promoters − detractors ÷ answers,
  per agent answered. A survey names a call or a ticket; the customer of that call or
  ticket is the account (calls and tickets carry the account's number as customer_id);
- ``complaint_resolution_rate`` — complaints created in the quarter that were resolved ÷
  complaints created, per assignee;
- ``complaint_resolution_hours`` — mean hours from creation to resolution of the
  complaints created in the quarter and resolved, per assignee.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from ._catalog import CatalogOptions, MetricValue, _register_sources, _run
from ._duck import connect
from ._lake import Lake
from ._periods import Period, parse_period
from ._query import MEAN, NET, RATE, Metric, Query, subject_sql, value_of

ADVICE_FIGURES = (
    "key_account_revisit_rate",
    "key_account_nps",
    "complaint_resolution_rate",
    "complaint_resolution_hours",
)
# Where a record's moment places it, per source the figures read.
_MOMENTS = {"visits": "visited_at", "tickets": "created_at", "surveys": "responded_at"}
_EMPTY_CALLS = "SELECT NULL::VARCHAR AS call_id, NULL::VARCHAR AS customer_id WHERE false"
_EMPTY_TICKETS = (
    "SELECT NULL::VARCHAR AS ticket_id, NULL::VARCHAR AS customer_id, NULL::VARCHAR AS kind, "
    "NULL::VARCHAR AS assignee_id, NULL::TIMESTAMPTZ AS created_at, "
    "NULL::TIMESTAMPTZ AS resolved_at WHERE false"
)
_EMPTY_VISITS = "SELECT NULL::VARCHAR AS account_id, NULL::TIMESTAMPTZ AS visited_at WHERE false"


def _queries() -> list[Query]:
    return [
        Query(
            "accounts",
            f"""
            WITH visited AS (
                SELECT DISTINCT account_id FROM visits
                WHERE visited_at >= $start AND visited_at < $end
            )
            SELECT {subject_sql([("owner_id", "employee")])},
                   count(*) AS key_accounts, count(visited.account_id) AS revisited
            FROM accounts LEFT JOIN visited USING (account_id)
            WHERE key_account AND EXISTS (SELECT 1 FROM visits
                                          WHERE visited_at >= $start AND visited_at < $end)
            GROUP BY GROUPING SETS ((owner_id), ())
            """,
            [Metric("key_account_revisit_rate", RATE, "revisited", "key_accounts")],
        ),
        Query(
            "surveys",
            f"""
            WITH key_accounts AS (SELECT account_id FROM accounts WHERE key_account),
            answers AS (
                SELECT s.agent_id, s.score, coalesce(c.customer_id, t.customer_id) AS customer
                FROM surveys s
                LEFT JOIN calls c ON c.call_id = s.call_id
                LEFT JOIN tickets t ON t.ticket_id = s.ticket_id
                WHERE s.kind = 'nps' AND s.responded_at >= $start AND s.responded_at < $end
            )
            SELECT {subject_sql([("agent_id", "employee")])},
                   count(*) AS answers,
                   count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6) AS net
            FROM answers
            WHERE customer IN (SELECT account_id FROM key_accounts)
            GROUP BY GROUPING SETS ((agent_id), ())
            """,
            [Metric("key_account_nps", NET, "net", "answers")],
            also=("accounts",),
        ),
        Query(
            "tickets",
            f"""
            SELECT {subject_sql([("assignee_id", "employee")])},
                   count(*) AS complaints,
                   count(resolved_at) AS resolved,
                   sum(epoch(resolved_at) - epoch(created_at)) / 3600.0 AS hours
            FROM tickets
            WHERE kind = 'complaint' AND created_at >= $start AND created_at < $end
            GROUP BY GROUPING SETS ((assignee_id), ())
            """,
            [
                Metric("complaint_resolution_rate", RATE, "resolved", "complaints"),
                Metric("complaint_resolution_hours", MEAN, "hours", "resolved"),
            ],
        ),
    ]


def advice_figures(
    lake: Lake, quarters: Sequence[Period], options: CatalogOptions
) -> dict[str, list[MetricValue]]:
    """Quarter name → the figures of that quarter, for every person and the organisation."""
    found: dict[str, list[MetricValue]] = {}
    with connect(options.memory, options.spill_dir) as connection:
        available = _register_sources(connection, lake)
        for source, empty in (
            ("calls", _EMPTY_CALLS), ("tickets", _EMPTY_TICKETS), ("visits", _EMPTY_VISITS)
        ):  # fmt: skip
            if source not in available:
                connection.execute(f"CREATE TEMP VIEW {source} AS {empty}")
        for quarter in quarters:
            start, end = quarter.bounds(options.zone)
            values: list[MetricValue] = []
            for query in _queries():
                if query.sources <= available:
                    values.extend(_run(connection, query, start, end, options.now))
            found[quarter.name] = values
    return found


def latest_record(lake: Lake) -> datetime | None:
    """The latest moment of a visit, a ticket or a survey in the lake, if any."""
    latest: datetime | None = None
    with connect() as connection:
        available = _register_sources(connection, lake)
        for source, column in _MOMENTS.items():
            if source not in available:
                continue
            row = connection.execute(f"SELECT max({column}) FROM {source}").fetchone()
            moment = row[0] if row else None
            if isinstance(moment, datetime) and (latest is None or moment > latest):
                latest = moment
    return latest


def advice_quarters(
    now: datetime, zone: ZoneInfo, count: int, latest: datetime | None = None
) -> list[Period]:
    """The ``count`` quarters up to the last one that has ended by ``now``, oldest first;
    when the records stop earlier (``latest``), up to the last one they reach into, so that
    quarters with no records yet are not judged."""
    anchor = now if latest is None else min(now, latest)
    local = anchor.astimezone(zone).date()
    year, quarter = local.year, (local.month - 1) // 3 + 1
    current = parse_period(f"{year}-Q{quarter}")
    if current.bounds(zone)[1] > now:  # not over yet: the quarter before is the last
        year, quarter = _before(year, quarter)
    quarters = []
    for _index in range(count):
        quarters.append(parse_period(f"{year}-Q{quarter}"))
        year, quarter = _before(year, quarter)
    return quarters[::-1]


def _before(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def figure_value(figure: str, numerator: float | None, denominator: float | None) -> float | None:
    """A figure's value from its numerator and denominator, added up over people as the
    catalog derives one: an empty base has no value."""
    return value_of(_KINDS[figure], numerator, denominator)


_KINDS = {
    "key_account_revisit_rate": RATE,
    "key_account_nps": NET,
    "complaint_resolution_rate": RATE,
    "complaint_resolution_hours": MEAN,
}
