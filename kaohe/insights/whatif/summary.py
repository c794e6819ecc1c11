"""A run's figures before its people: who moves up or down a grade and by how many, the
grade distribution old and new against the cycle's guideline, and what performance pay
comes to per department, old and new.

Counting and adding only: every total, grade and pay was worked out by the core in
``run.py``. The figures keep full precision; pages and exports round them for people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from kaohe.analytics import GuidelineCheck
from kaohe.appraisals.models import Cycle
from kaohe.appraisals.scoring import grades_of
from kaohe.calibration.models import CycleGuideline
from kaohe.core import round_half_up
from kaohe.pay.models import PayBudget

from .run import DOWN, SAME, UNSCORED, UP, Row, Run

ZERO = Decimal(0)


@dataclass(frozen=True)
class GradeCount:
    grade: str
    old: int
    new: int
    minimum: int | None = None  # the guideline's allowed range for the new population
    maximum: int | None = None
    old_within: bool | None = None  # None without a guideline for the grade
    new_within: bool | None = None

    @property
    def change(self) -> int:
        return self.new - self.old

    @property
    def over(self) -> bool:
        return self.maximum is not None and self.new > self.maximum

    @property
    def under(self) -> bool:
        return self.minimum is not None and self.new < self.minimum


@dataclass
class DepartmentPay:
    department_id: int
    department: str
    people: int = 0  # with a base pay
    old: Decimal = ZERO  # Σ performance pay now (locked or provisional)
    new: Decimal = ZERO  # Σ under the changed scheme
    unpaid_old: int = 0  # with a base pay but no score now: not in ``old``
    unpaid_new: int = 0
    budget: Decimal | None = None  # HR's budget for the department, if set

    @property
    def change(self) -> Decimal:
        return self.new - self.old

    @property
    def change_percent(self) -> Decimal | None:
        return None if not self.old else 100 * self.change / self.old

    @property
    def new_of_budget(self) -> Decimal | None:
        return None if not self.budget else 100 * self.new / self.budget


@dataclass
class Summary:
    people: int
    changed: int  # under the changed scheme
    frozen: int  # of them, scored from their frozen snapshot
    live: int  # of them, from the values as they stand now
    locked: int  # everyone whose old figures are a locked result
    up: int
    down: int
    same: int
    unscored: int  # of the changed: no grade before or after
    no_new_total: int  # of the changed: the changed scheme gives no total
    steps: dict[int, int]  # grades moved (up positive) → people, without 0
    mean_change: Decimal | None  # mean change of the total, of the changed scored twice
    grades: list[GradeCount]
    guideline: str  # the guideline as written, "" without one
    guideline_fits: bool  # the guideline names the changed scheme's grades
    old_within: bool | None  # the whole distribution within the guideline
    new_within: bool | None
    departments: list[DepartmentPay]
    total: DepartmentPay = field(default_factory=lambda: DepartmentPay(0, ""))

    def as_data(self) -> dict[str, Any]:
        """As a saved run keeps it: numbers as exact decimal strings."""
        data = asdict(self)
        data["steps"] = {str(k): v for k, v in self.steps.items()}
        return _plain(data)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def summarise(run: Run, cycle: Cycle) -> Summary:
    changed = [row for row in run.rows if row.changed]
    moves = Counter(row.movement for row in changed)
    steps = Counter(row.steps for row in changed if row.steps)
    changes = [c for row in changed if (c := row.total_change) is not None]
    grades, guideline, fits, old_within, new_within = _distribution(run, cycle)
    departments, total = _pay(run.rows, cycle)
    return Summary(
        people=len(run.rows),
        changed=len(changed),
        frozen=sum(1 for row in changed if row.frozen),
        live=sum(1 for row in changed if row.frozen is False),
        locked=sum(1 for row in run.rows if row.locked),
        up=moves[UP],
        down=moves[DOWN],
        same=moves[SAME],
        unscored=moves[UNSCORED],
        no_new_total=sum(1 for row in changed if row.new.total is None),
        steps=dict(sorted(steps.items(), reverse=True)),  # type: ignore[arg-type]
        mean_change=round_half_up(sum(changes, ZERO) / len(changes)) if changes else None,
        grades=grades,
        guideline=guideline,
        guideline_fits=fits,
        old_within=old_within,
        new_within=new_within,
        departments=departments,
        total=total,
    )


def _distribution(
    run: Run, cycle: Cycle
) -> tuple[list[GradeCount], str, bool, bool | None, bool | None]:
    old = Counter(row.old.grade for row in run.rows if row.old.grade)
    new = Counter(row.new.grade for row in run.rows if row.new.grade)
    order = list(dict.fromkeys([*run.grades, *sorted(set(old) | set(new))]))
    held = CycleGuideline.objects.filter(cycle=cycle).first()
    old_guideline = held.guideline(grades_of(cycle)) if held is not None else None
    new_guideline = held.guideline(run.grades) if held is not None else None
    old_check = old_guideline.check(old) if old_guideline is not None else None
    new_check = new_guideline.check(new) if new_guideline is not None else None
    rows = [_grade_count(grade, old, new, old_check, new_check) for grade in order]
    shown = old_guideline or new_guideline
    written = shown.written() if shown is not None else ""
    return (
        rows,
        written,
        new_guideline is not None,
        None if old_check is None else not old_check.broken,
        None if new_check is None else not new_check.broken,
    )


def _grade_count(
    grade: str,
    old: Counter[str],
    new: Counter[str],
    old_check: GuidelineCheck | None,
    new_check: GuidelineCheck | None,
) -> GradeCount:
    def found(check: GuidelineCheck | None) -> Any:
        return next((g for g in check.grades if g.grade == grade), None) if check else None

    before, after = found(old_check), found(new_check)
    return GradeCount(
        grade,
        old[grade],
        new[grade],
        after.minimum if after else None,
        after.maximum if after else None,
        before.within if before else None,
        after.within if after else None,
    )


def _pay(rows: Iterable[Row], cycle: Cycle) -> tuple[list[DepartmentPay], DepartmentPay]:
    """Per department of the people with a base pay, Σ pay old and new; HR's budget."""
    by_department: dict[int, DepartmentPay] = {}
    for row in rows:
        if row.base_pay is None:
            continue
        cost = by_department.setdefault(
            row.department_id, DepartmentPay(row.department_id, row.department)
        )
        cost.people += 1
        if row.old.pay is None:
            cost.unpaid_old += 1
        else:
            cost.old += row.old.pay
        if row.new.pay is None:
            cost.unpaid_new += 1
        else:
            cost.new += row.new.pay
    budgets = dict(
        PayBudget.objects.filter(cycle=cycle, department_id__in=list(by_department)).values_list(
            "department_id", "amount"
        )
    )
    total = DepartmentPay(0, "")
    for cost in by_department.values():
        cost.budget = budgets.get(cost.department_id)
        total.people += cost.people
        total.old += cost.old
        total.new += cost.new
        total.unpaid_old += cost.unpaid_old
        total.unpaid_new += cost.unpaid_new
        if cost.budget is not None:
            total.budget = (total.budget or ZERO) + cost.budget
    ordered = sorted(by_department.values(), key=lambda c: (c.department, c.department_id))
    return ordered, total
