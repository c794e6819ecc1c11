"""Everything kaohe holds that the attrition features read, loaded once per training as
dated events per person: results, monthly KPI values, improvement plans, appeals,
incidents, manager changes, base pay, 360 reviews and goal check-ins.

Each event is dated by when kaohe knew it — a result by the day it was locked, a month's
KPI value by the month's end, an incident by the day it happened — so that a snapshot
reads only what was known on its day.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kaohe.appraisals.models import Appeal, Appraisal, Result
from kaohe.audit.models import AuditEntry
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.development.models import Plan
from kaohe.goals.models import CheckIn, Confidence
from kaohe.incidents.models import Incident
from kaohe.metrics import parse_period
from kaohe.ml.attrition import month_end
from kaohe.reviews.models import Response, Review

MONTH = re.compile(r"\d{4}-\d{2}")  # a month's period, not a quarter's (2026-Q3)
# The monthly KPIs whose trends are features: the catalog's metric and the feature stem.
KPIS = {"csat_rate": "csat", "qa_pass_rate": "qa", "aht_seconds": "aht"}
GRADE_RANKS = {"A": 5, "B": 4, "C": 3, "D": 2, "E": 1}
# A 360 mean needs this many answers from others, as the reviews' own anonymity does.
REVIEW_MIN_ANSWERS = 3


@dataclass(frozen=True)
class Graded:
    known: date
    period_end: date
    rank: int | None
    total: float


@dataclass(frozen=True)
class Pay:
    starts: date  # the cycle's first day: the pay the cycle's appraisal used
    position: int
    amount: float


@dataclass
class Events:
    """Per employee id, each kind of event, sorted by date."""

    grades: dict[int, list[Graded]] = field(default_factory=lambda: defaultdict(list))
    kpis: dict[tuple[int, str], dict[date, float]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    plans: dict[int, list[tuple[date, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    appeals: dict[int, list[date]] = field(default_factory=lambda: defaultdict(list))
    incidents: dict[tuple[int, str], list[date]] = field(default_factory=lambda: defaultdict(list))
    manager_changes: dict[int, list[date]] = field(default_factory=lambda: defaultdict(list))
    pays: dict[int, list[Pay]] = field(default_factory=lambda: defaultdict(list))
    # The median base pay of each (cycle start, position), what a person's pay is set against.
    pay_medians: dict[tuple[date, int], float] = field(default_factory=dict)
    reviews: dict[int, list[tuple[date, float]]] = field(default_factory=lambda: defaultdict(list))
    at_risk_check_ins: dict[int, list[date]] = field(default_factory=lambda: defaultdict(list))


def _day(moment: object) -> date:
    return timezone.localdate(moment)  # type: ignore[arg-type]


def load_events(numbers: dict[str, int]) -> Events:
    """The events of everyone in ``numbers`` (employee number → id)."""
    found = Events()
    _results(found)
    _kpis(found, numbers)
    _plans(found)
    _appeals(found)
    _incidents(found)
    _manager_changes(found)
    _pays(found)
    _reviews(found)
    _check_ins(found)
    _in_order(found)
    return found


def _in_order(found: Events) -> None:
    for days in (*found.appeals.values(), *found.incidents.values(),
                 *found.manager_changes.values(), *found.at_risk_check_ins.values()):  # fmt: skip
        days.sort()
    for grades in found.grades.values():
        grades.sort(key=lambda graded: (graded.period_end, graded.known))
    for plans in found.plans.values():
        plans.sort(key=lambda plan: plan[0])
    for pays in found.pays.values():
        pays.sort(key=lambda pay: pay.starts)
    for reviews in found.reviews.values():
        reviews.sort(key=lambda review: review[0])


def _results(found: Events) -> None:
    """Each appraisal's latest result version, known from the day it was locked."""
    rows = Result.objects.select_related("appraisal__cycle").order_by("appraisal_id", "number")
    latest: dict[int, Result] = {}
    for result in rows.only("appraisal__employee_id", "appraisal__cycle__period", "total",
                            "grade", "created_at", "number"):  # fmt: skip
        latest[result.appraisal_id] = result  # later versions replace earlier ones
    for result in latest.values():
        span = parse_period(result.appraisal.cycle.period)
        found.grades[result.appraisal.employee_id].append(
            Graded(_day(result.created_at), span.last_day,
                   GRADE_RANKS.get(result.grade.strip().upper()), float(result.total))
        )  # fmt: skip


def _kpis(found: Events, numbers: dict[str, int]) -> None:
    """Each month's value from the month's latest computation, known at the month's end."""
    latest_run: dict[str, int] = {}
    for run_id, period in MetricRun.objects.order_by("computed_at", "id").values_list(
        "id", "period"
    ):
        if MONTH.fullmatch(period):  # months only
            latest_run[period] = run_id
    month_of = {run: period for period, run in latest_run.items()}
    records = MetricRecord.objects.filter(
        run_id__in=list(month_of), subject_type="employee", metric__in=list(KPIS)
    ).exclude(value=None)
    for run_id, subject, metric, value in records.values_list(
        "run_id", "subject", "metric", "value"
    ):
        employee = numbers.get(subject)
        if employee is not None:
            end = month_end(parse_period(month_of[run_id]).first_day)
            found.kpis[(employee, KPIS[metric])][end] = float(value)


def _plans(found: Events) -> None:
    pips = Plan.objects.filter(type=Plan.Type.PIP).exclude(status=Plan.Status.DRAFT)
    for employee, agreed, created, closed in pips.values_list(
        "employee_id", "agreed_at", "created_at", "closed_at"
    ):
        found.plans[employee].append((_day(agreed or created), _day(closed) if closed else None))


def _appeals(found: Events) -> None:
    for employee, filed in Appeal.objects.values_list("appraisal__employee_id", "filed_at"):
        found.appeals[employee].append(_day(filed))


def _incidents(found: Events) -> None:
    for employee, polarity, day in Incident.objects.values_list(
        "employee_id", "polarity", "occurred_on"
    ):
        found.incidents[(employee, polarity)].append(day)


def _manager_changes(found: Events) -> None:
    """From the audit log: each change of a person's manager, by hand or by an import."""
    entries = AuditEntry.objects.filter(action="employee.update", target_type="org.employee")
    for target, before, after, at in entries.values_list("target_id", "before", "after", "at"):
        if (before or {}).get("manager") != (after or {}).get("manager") and target.isdigit():
            found.manager_changes[int(target)].append(_day(at))


def _pays(found: Events) -> None:
    rows = Appraisal.objects.exclude(base_pay=None).values_list(
        "employee_id", "employee__position_id", "cycle__period", "base_pay"
    )
    per_group: dict[tuple[date, int], list[float]] = defaultdict(list)
    for employee, position, period, amount in rows:
        starts = parse_period(period).first_day
        pay = float(Decimal(amount))
        found.pays[employee].append(Pay(starts, position, pay))
        per_group[(starts, position)].append(pay)
    for key, amounts in per_group.items():
        ordered = sorted(amounts)
        middle = len(ordered) // 2
        found.pay_medians[key] = (
            ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        )


def _reviews(found: Events) -> None:
    """Each closed 360 review's mean level from everyone but the person themselves, when
    enough others answered for the review to show a figure at all."""
    closed = dict(
        Review.objects.filter(state=Review.State.CLOSED)
        .exclude(closed_on=None)
        .values_list("id", "closed_on")
    )
    reviewee = dict(Review.objects.filter(id__in=list(closed)).values_list("id", "reviewee_id"))
    levels: dict[int, list[float]] = defaultdict(list)
    answers: dict[int, int] = defaultdict(int)
    for review, answer in (
        Response.objects.filter(review_id__in=list(closed))
        .exclude(group="self")
        .values_list("review_id", "levels")
    ):
        answers[review] += 1
        levels[review] += [float(v) for v in (answer or {}).values() if v is not None]
    for review, day in closed.items():
        if answers[review] >= REVIEW_MIN_ANSWERS and levels[review]:
            mean = sum(levels[review]) / len(levels[review])
            found.reviews[reviewee[review]].append((day, mean))


def _check_ins(found: Events) -> None:
    risky = CheckIn.objects.filter(confidence__in=[Confidence.AT_RISK, Confidence.OFF_TRACK])
    for owner, day in risky.values_list("objective__owner_id", "on"):
        found.at_risk_check_ins[owner].append(day)
