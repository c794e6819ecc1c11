"""The pay list: per person, the latest locked result and the pay it gives; and what the
cycle's pay costs per department against base pay, HR's budget and the guideline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from kaohe.analytics import cost_if_met
from kaohe.appraisals.models import Appraisal, Cycle, Result
from kaohe.appraisals.scoring import grade_scale, grades_of, score_appraisal
from kaohe.appraisals.workflow import State
from kaohe.calibration.models import CycleGuideline
from kaohe.org.policy import Access

from . import policy
from .models import PayBudget

# What the pay list reads of an appraisal.
LISTED_FIELDS = (
    "pk", "base_pay", "version__code", "version__number", "employee__number",
    "employee__name", "employee__department__name", "employee__position__name",
)  # fmt: skip
# The states whose appraisals hold a locked result.
WITH_RESULT = [str(State.FINALISED), str(State.APPEAL), str(State.CLOSED)]
ZERO = Decimal(0)


@dataclass(frozen=True)
class PayRow:
    appraisal_id: int
    number: str
    name: str
    department: str
    position: str
    scheme: str
    total: Decimal
    grade: str
    coefficient: Decimal
    base_pay: Decimal | None  # None when not shown to the reader
    pay: Decimal | None
    version: int
    reason: str  # of an adjustment after an appeal
    with_pay: bool


@dataclass(frozen=True)
class PayList:
    cycle: Cycle
    rows: list[PayRow]

    @property
    def with_pay(self) -> bool:
        return any(row.with_pay for row in self.rows)

    @property
    def base_total(self) -> Decimal:
        return sum((row.base_pay or ZERO for row in self.rows), ZERO)

    @property
    def pay_total(self) -> Decimal:
        return sum((row.pay or ZERO for row in self.rows), ZERO)

    @property
    def versions(self) -> dict[str, int]:
        return {str(row.appraisal_id): row.version for row in self.rows}


def pay_list(access: Access, cycle: Cycle) -> PayList:
    """Read as plain values (a 20,000-row list builds no model per row); whose pay the
    reader may see is asked of the policy, row by row only when not everyone's."""
    query = (
        policy.results_in_view(access, cycle)
        .filter(state__in=WITH_RESULT)
        .order_by("employee__number")
    )
    people = list(query.values_list(*LISTED_FIELDS))
    latest = _latest_results(pk for pk, *_rest in people)
    shown = None if policy.pay_shown_to_all(access) else policy.pay_shown_among(access, query)
    rows = []
    for pk, base_pay, code, number, employee, name, department, position in people:
        result = latest.get(pk)
        if result is None:
            continue
        paid = shown is None or pk in shown
        rows.append(
            PayRow(
                appraisal_id=pk,
                number=employee,
                name=name,
                department=department,
                position=position,
                scheme=f"{code} v{number}",
                total=result.total,
                grade=result.grade,
                coefficient=result.coefficient,
                base_pay=base_pay if paid else None,
                pay=result.pay if paid else None,
                version=result.number,
                reason=result.reason if result.number > 1 else "",
                with_pay=paid,
            )
        )
    return PayList(cycle, rows)


@dataclass(frozen=True)
class Locked:
    """What the lists read of a locked result."""

    number: int
    total: Decimal
    grade: str
    coefficient: Decimal
    pay: Decimal | None
    reason: str


def _latest_results(appraisal_ids: Iterable[int]) -> dict[int, Locked]:
    found: dict[int, Locked] = {}
    results = (
        Result.objects.filter(appraisal__in=list(appraisal_ids))
        .order_by("appraisal_id", "number")
        .values_list("appraisal_id", "number", "total", "grade", "coefficient", "pay", "reason")
    )
    for appraisal_id, *fields in results.iterator(chunk_size=5_000):
        found[appraisal_id] = Locked(*fields)  # the highest number comes last
    return found


def cycle_versions(cycle: Cycle) -> dict[str, int]:
    """Every locked result's latest version in the cycle, whoever may read it: what an
    export is compared with (only the counts of differences are shown)."""
    ids = Appraisal.objects.filter(cycle=cycle, state__in=WITH_RESULT).values_list("pk", flat=True)
    return {str(pk): result.number for pk, result in _latest_results(ids).items()}


def superseded_by(versions: dict[str, int], now: dict[str, int]) -> tuple[int, int]:
    """How an export's list differs from the list now: (results changed since, results
    added since)."""
    changed = sum(1 for key, number in versions.items() if now.get(key, number) != number)
    added = sum(1 for key in now if key not in versions)
    return changed, added


# --- the budget --------------------------------------------------------------------------


@dataclass
class DepartmentCost:
    department: str
    department_id: int
    people: int = 0
    final: int = 0  # of them with a locked result
    scored: int = 0  # of them with a complete score, locked or provisional
    base_total: Decimal = ZERO  # Σ Q: the 100 % budget
    pay_total: Decimal = ZERO  # Σ pay, final where locked, provisional otherwise
    budget: Decimal | None = None
    if_met: Decimal | None = None  # Σ pay if the guideline were met exactly
    _scores: list[tuple[Decimal, Decimal]] = field(default_factory=list)

    @property
    def of_base(self) -> Decimal | None:
        return None if not self.base_total else 100 * self.pay_total / self.base_total

    @property
    def of_budget(self) -> Decimal | None:
        return None if not self.budget else 100 * self.pay_total / self.budget


def budget(access: Access, cycle: Cycle) -> tuple[list[DepartmentCost], DepartmentCost]:
    """Per department (the person's own) and in total: base pay, pay and what it would
    cost if the guideline were met; before finalising, so that a calibration's cost shows."""
    appraisals = list(
        policy.results_in_view(access, cycle)
        .exclude(base_pay=None)
        .select_related("version", "cycle")
        .order_by("employee__department__path", "employee__number")
    )
    latest = _latest_results(a.pk for a in appraisals if a.state in WITH_RESULT)
    by_department: dict[int, DepartmentCost] = {}
    for appraisal in appraisals:
        department = appraisal.employee.department
        cost = by_department.setdefault(
            department.pk, DepartmentCost(department.name, department.pk)
        )
        _count(cost, appraisal, latest.get(appraisal.pk))
    budgets = dict(PayBudget.objects.filter(cycle=cycle).values_list("department_id", "amount"))
    held = CycleGuideline.objects.filter(cycle=cycle).first()
    guideline = held.guideline(grades_of(cycle)) if held else None
    scale = grade_scale(cycle)
    total = DepartmentCost("", 0)
    for cost in by_department.values():
        cost.budget = budgets.get(cost.department_id)
        if guideline is not None:
            cost.if_met = cost_if_met(cost._scores, guideline.expected(len(cost._scores)), scale)
        total.people += cost.people
        total.final += cost.final
        total.scored += cost.scored
        total.base_total += cost.base_total
        total.pay_total += cost.pay_total
        if cost.budget is not None:
            total.budget = (total.budget or ZERO) + cost.budget
        if cost.if_met is not None:
            total.if_met = (total.if_met or ZERO) + cost.if_met
    return list(by_department.values()), total


def _count(cost: DepartmentCost, appraisal: Appraisal, result: Locked | None) -> None:
    assert appraisal.base_pay is not None
    cost.people += 1
    cost.base_total += appraisal.base_pay
    if result is not None:
        cost.final += 1
        cost.scored += 1
        cost.pay_total += result.pay or ZERO
        cost._scores.append((result.total, appraisal.base_pay))
        return
    outcome = score_appraisal(appraisal).outcome
    if outcome is not None:
        cost.scored += 1
        cost.pay_total += outcome.pay or ZERO
        cost._scores.append((outcome.total, appraisal.base_pay))
