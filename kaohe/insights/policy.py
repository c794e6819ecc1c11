"""Who may see and do what in the insights.

- The what-if simulator and weight advice are scheme design: HR staff, over the cycles and
  people in their scope; accepting a proposal as a new scheme version asks the schemes
  app's own rule for saving a scheme.
- Attrition risk is HR's and the executive viewer's only: never the person's manager, never
  the person, whatever other role they also hold. HR reads the people in their scope.
- Sentiment figures are context on an appraisal: whoever may read the appraisal reads them.
  The calls behind them (the QA page) are read over the people the reader may see: the
  executive viewer every call, HR their scope, a manager their reports, an agent their own.

Nothing else in the insights app tests roles; views, the API and tasks ask these answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.appraisals.policy import can_view_appraisal
from kaohe.org.models import Employee, RoleFamily
from kaohe.org.policy import Access
from kaohe.schemes.policy import can_edit as may_save_scheme
from kaohe.schemes.policy import can_use as may_use_scheme

if TYPE_CHECKING:
    from kaohe.schemes.models import SchemeVersion

    from .models import Proposal

from .models import SavedWhatIf


def can_simulate(access: Access) -> bool:
    """May run the what-if simulator and read weight advice."""
    return access.is_hr


def can_see_attrition_risk(access: Access) -> bool:
    """HR and the executive viewer; a manager or employee role adds nothing here."""
    return access.is_hr or access.is_executive


def insight_sections(access: Access) -> list[str]:
    """The insights sections this reader may open, in the order the Insights page lists
    them (their section names: whatif, advice, attrition, sentiment)."""
    found = []
    if can_simulate(access):
        found.append("whatif")
    if can_read_advice(access):
        found.append("advice")
    if can_see_attrition_risk(access):
        found.append("attrition")
    if can_open_call_sentiment(access):
        found.append("sentiment")
    return found


def can_open_insights(access: Access) -> bool:
    return bool(insight_sections(access))


# --- attrition risk ----------------------------------------------------------------------
# The executive viewer reads everyone's risk (the issue names them), also when they manage
# some of those people; HR reads the people in their scope but never someone they manage
# themselves, directly or not, as a manager never reads their reports' risk; nobody reads
# their own. Training and the protected attributes are whole-organisation HR's: the model
# learns from everyone's history.


def can_train_attrition_model(access: Access) -> bool:
    return access.hr_for_whole_organisation


def can_import_protected_attributes(access: Access) -> bool:
    """Only whole-organisation HR, who alone may see the org-wide fairness check need."""
    return access.hr_for_whole_organisation


def may_see_attrition_of(access: Access, employee: Any) -> bool:
    if not can_see_attrition_risk(access):
        return False
    if access.employee is not None and employee.pk == access.employee.pk:
        return False
    if access.is_executive:
        return True
    return access.in_hr_scope(employee.department_id) and not access.manages(employee.pk)


def attrition_people(access: Access, employees: Any) -> Any:
    """The employees (a queryset) whose risk this user may read: ``may_see_attrition_of``
    for many at once."""
    if not can_see_attrition_risk(access):
        return employees.none()
    if access.employee is not None:
        employees = employees.exclude(pk=access.employee.pk)
    if access.is_executive:
        return employees
    scope = access.hr_scope
    if scope is not None:
        employees = employees.filter(department_id__in=sorted(scope))
    return employees.exclude(pk__in=sorted(access.report_ids))


# --- weight advice -------------------------------------------------------------------------
# Schemes belong to the organisation (or to a department-scoped HR admin's departments), so
# a proposal is read by whoever may use its scheme and decided by whoever may save it: the
# schemes app's own rules. Looking for signals and flagging launches move the weights of
# the organisation's schemes: HR for the whole organisation.


def can_read_advice(access: Access) -> bool:
    """May open the weight advice: its signals, proposals and launch flags."""
    return access.is_hr


def can_look_for_signals(access: Access) -> bool:
    return access.hr_for_whole_organisation


def can_set_launch_flags(access: Access) -> bool:
    return access.hr_for_whole_organisation


def can_read_signal(access: Access, department_id: int | None) -> bool:
    """The organisation's figures: any HR; a department's: HR whose scope holds it."""
    if department_id is None:
        return access.is_hr
    return access.in_hr_scope(department_id)


def can_read_proposal(access: Access, proposal: Proposal) -> bool:
    return access.is_hr and may_use_scheme(access, proposal.base_version)


def can_decide_proposal(access: Access, proposal: Proposal) -> bool:
    """Accept (as it is or edited) or reject: whoever may save the scheme."""
    return may_save_scheme(access, proposal.base_version)


def can_propose_stage(access: Access, version: SchemeVersion) -> bool:
    return may_save_scheme(access, version)


# --- the what-if simulator ----------------------------------------------------------------
# HR's scope decides whose rows a run shows and whose pay its budget adds up: the whole
# organisation, or the people of the departments granted (and those below them). A cycle is
# offered when it is launched and holds anyone in scope, as on the HR dashboard.


def _in_scope(access: Access, employee: str) -> Q:
    """A filter on the employee the path leads to: the reader's HR scope; nobody for
    anyone who may not simulate."""
    if not can_simulate(access):
        return Q(pk__in=[])
    scope = access.hr_scope
    if scope is None:
        return Q()
    return Q(**{f"{employee}__department_id__in": sorted(scope)})


def whatif_appraisals(access: Access, cycle: Cycle) -> QuerySet[Appraisal]:
    """The appraisals of the cycle a what-if over it shows and counts."""
    return Appraisal.objects.filter(_in_scope(access, "employee"), cycle=cycle)


def whatif_cycles(access: Access) -> QuerySet[Cycle]:
    """The launched cycles a what-if may run on: those holding anyone in scope."""
    launched = Cycle.objects.exclude(status__in=[Cycle.Status.DRAFT, Cycle.Status.LAUNCHING])
    if not can_simulate(access):
        return launched.none()
    if access.hr_scope is None:
        return launched
    held = Appraisal.objects.filter(_in_scope(access, "employee")).values("cycle_id")
    return launched.filter(pk__in=held)


def whatif_scope(access: Access) -> list[int] | None:
    """The department ids a run covers, as a saved run records them; None for the whole
    organisation."""
    if not can_simulate(access):
        return []
    scope = access.hr_scope
    return None if scope is None else sorted(scope)


def saved_whatifs_in_view(access: Access) -> QuerySet[SavedWhatIf]:
    """The saved runs this reader may open: those over cycles they may simulate, saved by
    HR whose scope lies within theirs, so that no saved figure covers people outside it."""
    found = SavedWhatIf.objects.filter(cycle__in=whatif_cycles(access))
    scope = access.hr_scope if can_simulate(access) else frozenset()
    if scope is None:
        return found
    within = [saved.pk for saved in found.only("pk", "scope") if _within(saved.scope, scope)]
    return found.filter(pk__in=within)


def _within(saved_scope: list[int] | None, scope: frozenset[int]) -> bool:
    return saved_scope is not None and bool(saved_scope) and set(saved_scope) <= scope


def can_delete_whatif(access: Access, saved: SavedWhatIf) -> bool:
    """Whoever may open a saved run may delete it: the runs are HR's shared notes."""
    return saved_whatifs_in_view(access).filter(pk=saved.pk).exists()


# --- sentiment -----------------------------------------------------------------------------
# The figures say how customers sounded in someone's calls: context, never a score. On an
# appraisal they follow the appraisal's own rule. The calls behind them are read over the
# people the reader may see in the org (``Access.people_ids``): the executive viewer and
# whole-organisation HR every call, scoped HR the people of their departments, a manager
# their reports, direct or not, and everyone their own; roles add up. The page opens to
# those with anyone to read: HR, executives, managers, and the people who take calls (a
# customer-service position), so that an agent may read what QA reads of their own calls.
# A call whose agent kaohe does not know belongs to nobody's team: only those who read
# everything see it.


def can_see_appraisal_sentiment(access: Access, appraisal: Appraisal) -> bool:
    return can_view_appraisal(access, appraisal)


def takes_calls(employee: Employee | None) -> bool:
    return employee is not None and employee.position.family == RoleFamily.CUSTOMER_SERVICE


def can_open_call_sentiment(access: Access) -> bool:
    return access.is_executive or access.is_hr or access.is_manager or takes_calls(access.employee)


def call_sentiment_agents(access: Access) -> frozenset[str] | None:
    """The employee numbers whose calls this reader may read; None for every call."""
    if not can_open_call_sentiment(access):
        return frozenset()
    ids = access.people_ids()
    if ids is None:
        return None
    numbers = Employee.objects.filter(pk__in=sorted(ids)).values_list("number", flat=True)
    return frozenset(numbers)
