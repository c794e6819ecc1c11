"""Promotion candidates (seed 002: 连续获评A级): people whose locked results in their last N
cycles are all A, with their history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kaohe.appraisals.models import Result

DEFAULT_CYCLES = 2


@dataclass(frozen=True)
class Graded:
    cycle: str
    period: str
    total: Decimal
    grade: str


@dataclass(frozen=True)
class Candidate:
    number: str
    name: str
    department: str
    history: list[Graded]  # oldest first


def promotion_candidates(results: QuerySet[Result], cycles: int, top: str = "A") -> list[Candidate]:
    """``results``: the locked results the reader may see. Only each appraisal's latest
    version counts, and cycles come in the order they were created."""
    latest: dict[int, tuple[int, Graded, tuple[str, str, str], float]] = {}
    rows = results.order_by("appraisal_id", "number").values_list(
        "appraisal_id", "appraisal__employee_id", "appraisal__employee__number",
        "appraisal__employee__name", "appraisal__employee__department__name",
        "appraisal__cycle__name", "appraisal__cycle__period", "appraisal__cycle__created_at",
        "total", "grade",
    )  # fmt: skip
    for appraisal, employee, number, name, department, cycle, period, made, total, grade in rows:
        latest[appraisal] = (employee, Graded(cycle, period, total, grade),
                             (number, name, department), made.timestamp())  # fmt: skip
    history: dict[int, list[tuple[float, Graded]]] = defaultdict(list)
    people: dict[int, tuple[str, str, str]] = {}
    for employee, graded, person, made in latest.values():
        history[employee].append((made, graded))
        people[employee] = person
    found = []
    for employee, entries in history.items():
        ordered = [graded for _made, graded in sorted(entries, key=lambda e: e[0])]
        last = ordered[-cycles:]
        if len(last) == cycles and all(graded.grade == top for graded in last):
            number, name, department = people[employee]
            found.append(Candidate(number, name, department, ordered))
    return sorted(found, key=lambda c: c.number)
