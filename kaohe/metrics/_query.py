"""The building blocks of the catalog's queries: a metric is a numerator and a denominator
of one SQL query's result, and its value follows from them here, in one place."""

from __future__ import annotations

from dataclasses import dataclass

# How a metric's value follows from its numerator and denominator.
RATE, MEAN, COUNT, NET = "rate", "mean", "count", "net"
QUEUES = ("queue", "org")


def value_of(kind: str, numerator: float | None, denominator: float | None) -> float | None:
    if kind == COUNT:
        return numerator
    if not denominator:
        return None  # an empty base has no value, never 0
    assert numerator is not None
    share = numerator / denominator
    return 100 * share if kind in (RATE, NET) else share


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str
    numerator: str  # column of the query's result
    denominator: str | None
    # Answer and abandon rates belong to queues: an unanswered call has no agent.
    subjects: tuple[str, ...] = ("employee", "queue", "org")


class Query:
    """One SQL query over one source and the metrics it yields."""

    def __init__(
        self, source: str, sql: str, metrics: list[Metric], also: tuple[str, ...] = ()
    ) -> None:
        self.source = source
        self.sql = sql
        self.metrics = metrics
        # Other sources the query reads: without them it yields nothing rather than zeros.
        self.sources = {source, *also}


def subject_sql(columns: list[tuple[str, str]]) -> str:
    """SQL naming the subject of a GROUPING SETS row: which grouping column is set."""
    cases = " ".join(f"WHEN grouping({column}) = 0 THEN '{kind}'" for column, kind in columns)
    values = " ".join(f"WHEN grouping({column}) = 0 THEN {column}" for column, _kind in columns)
    return f"CASE {cases} ELSE 'org' END AS subject_type, CASE {values} ELSE 'org' END AS subject"
