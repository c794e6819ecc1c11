"""Who may read the pay list, its budget and the appraisal reports, and with what.

The pay list holds the results a person may see as appraisals: HR its scope, executives
everyone, a manager their team. Pay and base pay are shown only where the appraisals policy
shows pay (the employee, HR in scope, executives): a manager's list and export carry their
team's results without pay. The budget is HR's for its scope (and executives' to read).
"""

from __future__ import annotations

from django.db.models import QuerySet

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.appraisals.policy import (
    can_see_pay,
    can_see_pay_in_lists,
    can_view_appraisal,
    pay_visible_among,
    visible_appraisals,
)
from kaohe.org.models import Department
from kaohe.org.policy import Access


def can_open_pay_pages(access: Access) -> bool:
    return access.is_hr or access.is_executive or access.is_manager


def cycles_for_pay(access: Access) -> list[Cycle]:
    launched = Cycle.objects.filter(status__in=[Cycle.Status.OPEN, Cycle.Status.CLOSED])
    if not can_open_pay_pages(access):
        return []
    return list(launched.prefetch_related("departments"))


def results_in_view(access: Access, cycle: Cycle) -> QuerySet[Appraisal]:
    return visible_appraisals(access).filter(cycle=cycle)


def pay_shown_to_all(access: Access) -> bool:
    """Whether the reader sees pay on every row they may list."""
    return can_see_pay_in_lists(access)


def pay_shown_among(access: Access, appraisals: QuerySet[Appraisal]) -> set[int]:
    """Of these appraisals, those whose pay the reader sees (read with what the rule needs)."""
    needed = appraisals.select_related(None).select_related("employee")
    return pay_visible_among(access, list(needed.only("rater_id", "employee__department_id")))


def can_see_budget(access: Access) -> bool:
    """HR (over the people in its scope) and executives."""
    return access.is_hr or access.is_executive


def can_set_budgets(access: Access) -> bool:
    return access.is_hr


def can_set_budget(access: Access, department: Department) -> bool:
    return access.in_hr_scope(department)


def can_export_report(access: Access, appraisal: Appraisal) -> bool:
    return can_view_appraisal(access, appraisal)


def report_shows_pay(access: Access, appraisal: Appraisal) -> bool:
    return can_see_pay(access, appraisal)
