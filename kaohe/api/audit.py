"""``/api/v1/audit``: the audit log, for whole-organisation HR, as the audit-log page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kaohe.audit.labels import action_label, kind_label
from kaohe.audit.models import AuditEntry
from kaohe.audit.queries import filtered_entries
from kaohe.org.policy import access_for

from .pages import Page, PageQuery, each, page_of

router = Router(tags=["audit"])


class AuditFilters(PageQuery):
    who: str = Field("", description="Part of the actor's name, or their sign-in name.")
    kind: str = Field("", description="An object kind, e.g. appraisals.appraisal.")
    action: str = Field("", description="An action code, e.g. appraisal.calibrate.")
    since: date | None = Field(None, description="From this day (in TIME_ZONE).")
    until: date | None = Field(None, description="To this day, inclusive.")


class AuditOut(Schema):
    at: datetime
    who: str
    action: str  # the code, the same in every language
    action_label: str  # in the requested language
    kind: str
    kind_label: str
    object_id: str
    object: str
    before: dict[str, Any] | None  # the values as recorded, at full precision
    after: dict[str, Any] | None
    note: str
    via_token: str  # the API token's name when the write came through the API


@router.get(
    "/audit", response=Page[AuditOut], summary="The audit log, newest first",
    description="Whole-organisation HR only, as the audit-log page.",
)  # fmt: skip
def audit(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    if not access_for(request).can_read_audit_log():
        raise PermissionDenied(_("Only HR for the whole organisation reads the audit log."))
    entries = filtered_entries(
        who=filters.who,
        kind=filters.kind,
        action=filters.action,
        since=filters.since,
        until=filters.until,
    )
    return page_of(entries, filters, each(_entry))


def _entry(entry: AuditEntry) -> AuditOut:
    return AuditOut(
        at=entry.at,
        who=entry.actor_name,
        action=entry.action,
        action_label=action_label(entry.action),
        kind=entry.target_type,
        kind_label=kind_label(entry.target_type),
        object_id=entry.target_id,
        object=entry.target_repr,
        before=entry.before,
        after=entry.after,
        note=entry.note,
        via_token=entry.via_token,
    )
