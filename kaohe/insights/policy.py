"""Who may see and do what in the insights.

- The what-if simulator and weight advice are scheme design: HR staff, over the cycles and
  people in their scope; accepting a proposal as a new scheme version asks the schemes
  app's own rule for saving a scheme.
- Attrition risk is HR's and the executive viewer's only: never the person's manager, never
  the person, whatever other role they also hold. HR reads the people in their scope.
- Sentiment figures are context on an appraisal: whoever may read the appraisal reads them.

Nothing else in the insights app tests roles; views, the API and tasks ask these answers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.org.policy import Access

from .models import SavedWhatIf


def can_simulate(access: Access) -> bool:
    """May run the what-if simulator and read weight advice."""
    return access.is_hr


def can_see_attrition_risk(access: Access) -> bool:
    """HR and the executive viewer; a manager or employee role adds nothing here."""
    return access.is_hr or access.is_executive


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
