"""Who may bring operational data into the lake: HR for the whole organisation, since
the data feeds every department's appraisals."""

from __future__ import annotations

from typing import Any

from kaohe.org.policy import Access, access_for


def can_open_data_page(access: Access) -> bool:
    return access.hr_for_whole_organisation


def may_import_data(actor: Any) -> bool:
    """Import files into the lake, and follow one's own checks and imports."""
    return can_open_data_page(access_for(actor))


def may_set_calendar(actor: Any) -> bool:
    """Change the working-day calendar: whole-organisation HR, or the operator at the
    server's shell (no actor: ``kaohe calendar set`` without ``--as``)."""
    return actor is None or may_import_data(actor)
