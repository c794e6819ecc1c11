"""Who may open the scheme library, change a scheme, use it, or set a position's default.

Built-in templates and schemes for the whole organisation are changed only by HR for the
whole organisation. A department-scoped HR admin changes only the schemes that belong to
their departments (the copies they made) and the defaults of positions held only inside
their scope; they may use any organisation-wide scheme.
"""

from __future__ import annotations

from kaohe.org.models import Employee, Position
from kaohe.org.policy import Access

from .models import SchemeVersion


def can_open_library(access: Access) -> bool:
    return access.is_hr


def _departments_of(version: SchemeVersion) -> set[int]:
    return {department.pk for department in version.departments.all()}


def can_edit(access: Access, version: SchemeVersion) -> bool:
    if access.hr_for_whole_organisation:
        return True
    owned = _departments_of(version)
    return bool(owned) and not version.builtin and access.hr_scope_covers(owned)


def can_use(access: Access, version: SchemeVersion) -> bool:
    """Whether HR may choose this version for a cycle, a default, or copy it."""
    if access.hr_for_whole_organisation:
        return True
    owned = _departments_of(version)
    return access.is_hr and (not owned or access.hr_scope_covers(owned))


def can_set_default(access: Access, position: Position) -> bool:
    """A default applies wherever the position is held, so scoped HR sets it only for a
    position whose every active holder is in their scope."""
    if access.hr_for_whole_organisation:
        return True
    held_in = set(
        Employee.objects.active().filter(position=position).values_list("department_id", flat=True)
    )
    return access.hr_scope_covers(held_in)


def departments_for_new_scheme(access: Access) -> list[int]:
    """The departments a new copy belongs to: none (shared) for whole-organisation HR,
    the admin's scope otherwise."""
    scope = access.hr_scope
    return [] if scope is None else sorted(scope)
