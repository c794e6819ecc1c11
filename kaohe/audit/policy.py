"""Who may read the audit log: HR for the whole organisation."""

from __future__ import annotations

from kaohe.org.policy import Access


def can_read_audit_log(access: Access) -> bool:
    return access.hr_for_whole_organisation
