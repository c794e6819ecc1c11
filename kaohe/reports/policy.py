"""Who may open which dashboard, and over which people.

- the leaders' dashboard (director, department head, executive): executives over the whole
  organisation; someone who manages managers (a director, a centre's head) over everyone
  below them — ``Access.people_ids`` answers both;
- the team dashboard: a manager, over their reports, direct and indirect;
- my dashboard: anyone with an employee record, over themselves only; aggregates of other
  people (their team's figure beside theirs) only over at least ``ANONYMITY`` people;
- the HR dashboard (built in ``hr.py``): HR staff, each over their scope: whole-organisation
  HR reads every cycle, appeal and calibration session; HR with chosen departments the
  appraisals, appeals and sessions of the people there, and the cycles holding any of them.
  The data-import freshness is about sources, not people: every HR reader sees it.

Nothing else in the reports app tests roles; views and the API ask these answers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appeal, Appraisal, Cycle
from kaohe.appraisals.policy import visible_appraisals, waiting_on
from kaohe.calibration.models import Session
from kaohe.calibration.policy import sessions_in_view
from kaohe.development.policy import can_read_diagnosis
from kaohe.goals.models import Objective
from kaohe.goals.policy import at_risk_in_view, can_see_at_risk, objectives_in_view
from kaohe.org.models import Employee
from kaohe.org.policy import Access
from kaohe.pay.policy import can_see_budget

# The fewest people an aggregate shown to an employee may cover.
ANONYMITY = 5

LEADERS, TEAM, MINE, HR = "leaders", "team", "mine", "hr"


def manages_managers(access: Access) -> bool:
    """A director or a department head: someone with a report who has reports."""
    me = access.employee
    if me is None:
        return False
    return Employee.objects.filter(manager=me, direct_reports__isnull=False).exists()


def can_open_leaders_dashboard(access: Access) -> bool:
    return access.is_executive or manages_managers(access)


def can_open_team_dashboard(access: Access) -> bool:
    return access.can_view_team()


def can_open_my_dashboard(access: Access) -> bool:
    return access.is_employee


def can_open_hr_dashboard(access: Access) -> bool:
    """HR staff, over the departments in their scope (the HR dashboard's own rule)."""
    return access.is_hr


def can_open_dashboards(access: Access) -> bool:
    return bool(dashboards_for(access))


def dashboards_for(access: Access) -> list[str]:
    """The dashboards this reader may open, in the order the tabs show them."""
    found = []
    if can_open_leaders_dashboard(access):
        found.append(LEADERS)
    if can_open_team_dashboard(access):
        found.append(TEAM)
    if can_open_my_dashboard(access):
        found.append(MINE)
    if can_open_hr_dashboard(access):
        found.append(HR)
    return found


def leaders_people(access: Access) -> QuerySet[Employee]:
    """The people the leaders' dashboard counts: everyone for an executive, everyone below a
    director (never the director themselves: their own figures are on their own page)."""
    people = access.visible_employees().filter(active=True)
    if access.reads_everything or access.employee is None:
        return people  # type: ignore[no-any-return]
    return people.exclude(pk=access.employee.pk)  # type: ignore[no-any-return]


def leaders_scope_key(access: Access) -> str:
    """Whose leaders' figures these are, for the cache: everyone's, or one person's subtree."""
    if access.reads_everything:
        return "all"
    return f"below-{access.employee.pk if access.employee else 0}"


def team_people(access: Access) -> QuerySet[Employee]:
    """A manager's reports, direct and indirect."""
    return access.team()  # type: ignore[no-any-return]


def leaders_appraisals(access: Access) -> QuerySet[Appraisal]:
    """The appraisals behind the leaders' figures: those of the people below the reader."""
    found = visible_appraisals(access)
    if access.employee is not None:
        found = found.exclude(employee=access.employee)
    return found


def team_appraisals(access: Access) -> QuerySet[Appraisal]:
    return visible_appraisals(access).filter(employee_id__in=sorted(access.report_ids))


def waiting_on_me(access: Access) -> QuerySet[Appraisal]:
    """The team's appraisals whose next step is the reader's."""
    return team_appraisals(access).filter(waiting_on(access))


def my_appraisals(access: Access) -> QuerySet[Appraisal]:
    if access.employee is None:
        return Appraisal.objects.none()
    return visible_appraisals(access).filter(employee=access.employee)


def peers(access: Access) -> QuerySet[Employee]:
    """The reader's colleagues under the same manager (not the reader): whose figure an
    employee may read as one aggregate, when there are enough of them."""
    me = access.employee
    if me is None or me.manager_id is None:
        return Employee.objects.none()
    return Employee.objects.filter(manager_id=me.manager_id, active=True).exclude(pk=me.pk)


def my_goals(access: Access) -> QuerySet[Objective]:
    """The reader's own goals under way."""
    if access.employee is None:
        return Objective.objects.none()
    return (
        objectives_in_view(access)
        .filter(owner=access.employee, status=Objective.Status.ACTIVE)
        .prefetch_related("key_results", "check_ins")
    )


def may_show_aggregate(people: int) -> bool:
    """Whether an employee may read a figure over this many people (others than them)."""
    return people >= ANONYMITY


def goals_at_risk(access: Access) -> QuerySet[Objective]:
    if not can_see_at_risk(access):
        return Objective.objects.none()
    return at_risk_in_view(access)


def shows_diagnosis(access: Access) -> bool:
    return can_read_diagnosis(access)


def shows_budget(access: Access) -> bool:
    return can_see_budget(access)


# The HR dashboard's people, cycles, appeals and sessions.


def _in_scope(access: Access, employee: str) -> Q:
    """A filter on the employee the path leads to: HR's scope; nothing for anyone else."""
    if not access.is_hr:
        return Q(pk__in=[])
    scope = access.hr_scope
    if scope is None:
        return Q()
    return Q(**{f"{employee}__department_id__in": sorted(scope)})


def hr_appraisals(access: Access) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(_in_scope(access, "employee"))


def hr_cycles(access: Access) -> QuerySet[Cycle]:
    """Launched cycles holding anyone in scope."""
    launched = Cycle.objects.exclude(status=Cycle.Status.DRAFT)
    if access.hr_for_whole_organisation:
        return launched
    held = hr_appraisals(access).values("cycle_id")
    return launched.filter(pk__in=held)


def hr_appeals(access: Access) -> QuerySet[Appeal]:
    return Appeal.objects.filter(_in_scope(access, "appraisal__employee"))


def hr_sessions(access: Access) -> QuerySet[Session]:
    if not access.is_hr:
        return Session.objects.none()
    return sessions_in_view(access)


def sees_data_freshness(access: Access) -> bool:
    return access.is_hr


def scope_in_words(access: Access) -> list[str] | None:
    """The departments the figures cover, by path; None for the whole organisation."""
    if not access.is_hr or access.hr_scope is None:
        return None
    return sorted(access.department_paths_in_scope() or [])
