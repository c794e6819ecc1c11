"""Who may open the HR dashboard, and over which people (until the reports app's own
``policy.can_open_hr_dashboard`` replaces the first answer).

HR staff only: whole-organisation HR reads every cycle, appeal and calibration session;
HR with chosen departments reads the appraisals, appeals and sessions of the people in
those departments, and the cycles that hold any of them. The data-import freshness is about
sources, not people: every HR reader sees it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appeal, Appraisal, Cycle
from kaohe.calibration.models import Session
from kaohe.calibration.policy import sessions_in_view
from kaohe.org.policy import Access


def can_open_hr_dashboard(access: Access) -> bool:
    return access.is_hr


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
