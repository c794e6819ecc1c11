"""Who may bring operational data into the lake: HR for the whole organisation, since
the data feeds every department's appraisals."""

from __future__ import annotations

from typing import Any

from kaohe.org.policy import Access, access_for


def can_open_data_page(access: Access) -> bool:
    return access.hr_for_whole_organisation


def may_import_data(actor: Any) -> bool:
    return can_open_data_page(access_for(actor))


def may_set_calendar(actor: Any) -> bool:
    """The operator at the command line (no actor) or whole-organisation HR."""
    return actor is None or can_open_data_page(access_for(actor))
