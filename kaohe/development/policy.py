"""Who may see and change development proposals and plans.

A plan (IDP or PIP) is seen by the employee, their manager chain and HR in scope — nobody
else, not executives by that role alone. Their managers (and HR) draft and edit it; the
employee agrees it. Proposals, and the promotion candidates, are HR's.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.policy import visible_appraisals
from kaohe.org.policy import Access

from .models import Plan, Proposal


def _own(access: Access, employee_id: int) -> bool:
    return access.employee is not None and access.employee.pk == employee_id


def _above_or_hr(access: Access, employee_id: int, department_id: int) -> bool:
    if _own(access, employee_id):
        return False
    return access.manages(employee_id) or access.in_hr_scope(department_id)


def can_view_plan(access: Access, plan: Plan) -> bool:
    employee = plan.employee
    return _own(access, employee.pk) or _above_or_hr(access, employee.pk, employee.department_id)


def may_edit_plan(access: Access, plan: Plan) -> bool:
    employee = plan.employee
    return plan.status != Plan.Status.CLOSED and _above_or_hr(
        access, employee.pk, employee.department_id
    )


def may_agree(access: Access, plan: Plan) -> bool:
    return _own(access, plan.employee_id) and plan.status == Plan.Status.DRAFT


def may_start_plan(access: Access, appraisal: Appraisal) -> bool:
    employee = appraisal.employee
    return _above_or_hr(access, employee.pk, employee.department_id)


def can_view_development_of(access: Access, appraisal: Appraisal) -> bool:
    employee = appraisal.employee
    return _own(access, employee.pk) or _above_or_hr(access, employee.pk, employee.department_id)


def plans_in_view(access: Access) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("employee", "appraisal__cycle")
    if access.hr_for_whole_organisation:
        return plans
    found = Q(pk__in=[])
    if access.employee is not None:
        found |= Q(employee=access.employee)
    if access.report_ids:
        found |= Q(employee_id__in=sorted(access.report_ids))
    if access.is_hr and access.hr_scope:
        found |= Q(employee__department_id__in=sorted(access.hr_scope))
    return plans.filter(found)


def can_decide_proposals(access: Access) -> bool:
    return access.is_hr


def may_decide(access: Access, proposal: Proposal) -> bool:
    employee = proposal.appraisal.employee
    return not _own(access, employee.pk) and access.in_hr_scope(employee.department_id)


def proposals_in_view(access: Access) -> QuerySet[Proposal]:
    if not access.is_hr:
        return Proposal.objects.none()
    found = Proposal.objects.select_related("appraisal__employee", "appraisal__cycle")
    scope = access.hr_scope
    if scope is not None:
        found = found.filter(appraisal__employee__department_id__in=sorted(scope))
    if access.employee is not None:
        found = found.exclude(appraisal__employee=access.employee)
    return found


def can_see_promotion_candidates(access: Access) -> bool:
    return access.is_hr


def can_open_development(access: Access) -> bool:
    return access.is_employee or access.is_hr


def results_for_candidates(access: Access) -> QuerySet[Result]:
    """The locked results HR reads for promotion candidates: its scope's."""
    if not access.is_hr:
        return Result.objects.none()
    scope = access.hr_scope
    found = Result.objects.all()
    if scope is not None:
        found = found.filter(appraisal__employee__department_id__in=sorted(scope))
    return found


def results_to_follow_up(access: Access) -> QuerySet[Appraisal]:
    """Locked results of people below this user or in HR's scope that have no plan yet."""
    found = Q(pk__in=[])
    if access.report_ids:
        found |= Q(employee_id__in=sorted(access.report_ids))
    if access.is_hr:
        scope = access.hr_scope
        found |= (
            Q(pk__isnull=False) if scope is None else Q(employee__department_id__in=sorted(scope))
        )
    mine = access.employee
    appraisals = Appraisal.objects.filter(found, results__isnull=False, plans__isnull=True)
    if mine is not None:
        appraisals = appraisals.exclude(employee=mine)
    return appraisals.select_related("employee", "cycle").distinct().order_by("employee__number")


def can_read_diagnosis(access: Access) -> bool:
    """HR, directors and managers, executives: each over the people they may see."""
    return access.is_hr or access.is_executive or access.is_manager


def diagnosed_appraisals(access: Access) -> QuerySet[Appraisal]:
    """Others' appraisals the reader may see: their scope of the organisation."""
    found = visible_appraisals(access)
    if access.employee is not None:
        found = found.exclude(employee=access.employee)
    return found
