"""The attrition model's history, built from the database: one snapshot per person and
month end over the last ``HISTORY_MONTHS``, each labelled with whether the person resigned
within the horizon after it, and one snapshot of every active person today, to score.

Who counts as a leaver: the model foresees **resignations** — people deactivated with the
reason *resigned* (主动离职), the person's own decision, which is what HR can act on. A
dismissal, the end of a contract, retirement and "other" are the employer's or the
calendar's doing: a snapshot whose horizon holds such an exit has no label (it is not
known whether the person would have resigned), and earlier snapshots count as staying. A
transfer within the group is no exit at all and is treated the same way. Someone
deactivated without a leaving date is left out: kaohe does not know when they went.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kaohe.ml.attrition import FeatureTable, Snapshot, month_end, months_after
from kaohe.org.models import Employee, LeavingReason

from ._events import load_events
from ._features import FEATURES, features_at

__all__ = ["FEATURES", "HISTORY_MONTHS", "TARGET_REASONS", "History", "build_history"]

HISTORY_MONTHS = 36
TARGET_REASONS = frozenset({LeavingReason.RESIGNED})


@dataclass(frozen=True)
class History:
    table: FeatureTable  # the month-end snapshots, labelled where known
    current: FeatureTable  # today's snapshot of every active person, to score
    numbers: dict[str, int]  # employee number → id


def month_ends(as_of: date, months: int) -> list[date]:
    """The month ends of the ``months`` before ``as_of``, oldest first (not ``as_of``)."""
    newest = month_end(months_after(as_of.replace(day=1), -1))
    return [month_end(months_after(newest, -back)) for back in range(months - 1, -1, -1)]


def _label(person: Employee, day: date, horizon: int, as_of: date) -> bool | None:
    ends = months_after(day, horizon)
    if ends > as_of:
        return None  # the horizon has not passed yet
    left = person.leaving_date
    if left is not None and not person.active and day < left <= ends:
        return True if person.leaving_reason in TARGET_REASONS else None
    return False


def build_history(as_of: date, horizon: int, months: int = HISTORY_MONTHS) -> History:
    people = [
        p
        for p in Employee.objects.only(
            "id", "number", "hire_date", "active", "leaving_date", "leaving_reason"
        )
        if p.active or p.leaving_date is not None
    ]
    numbers = {p.number: p.pk for p in people}
    events = load_events(numbers)
    rows, current = [], []
    days = month_ends(as_of, months)
    for person in people:
        for day in days:
            if person.hire_date is not None and person.hire_date > day:
                continue
            if not person.active and person.leaving_date is not None and person.leaving_date <= day:
                break
            values = features_at(person.pk, person.hire_date, day, events)
            rows.append(Snapshot(person.number, day, values, _label(person, day, horizon, as_of)))
        if person.active and (person.hire_date is None or person.hire_date <= as_of):
            values = features_at(person.pk, person.hire_date, as_of, events)
            current.append(Snapshot(person.number, as_of, values))
    return History(FeatureTable.of(FEATURES, rows), FeatureTable.of(FEATURES, current), numbers)
