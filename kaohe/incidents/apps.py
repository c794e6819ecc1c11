from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "kaohe.incidents"
    label = "incidents"
    verbose_name = _("Critical incidents")

    # How the audit log words this app's entries.
    audit_kinds = {
        "incidents.incident": _("Critical incident"),
        "incidents.oneonone": _("1:1 check-in"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "incidents.record": _("Incident recorded"),
            "incidents.edit": _("Incident changed"),
            "incidents.delete": _("Incident deleted"),
            "incidents.respond": _("Response to an incident"),
            "incidents.one_on_one": _("1:1 recorded"),
            "incidents.one_on_one_edit": _("1:1 changed"),
            "incidents.remind_one_on_ones": _("1:1 reminders sent"),
        }

    @property
    def audit_fields(self) -> dict[str, Any]:
        return {
            "person": _("Employee number"),
            "polarity": _("Positive or negative"),
            "incident_kind": _("Kind"),
            "what": _("What happened"),
            "indicator": _("Indicator"),
            "dimension": _("Dimension"),
            "response": _("Employee's response"),
            "month": _("Month"),
            "went_well": _("What went well"),
            "to_improve": _("What to improve"),
            "incidents": _("Incidents"),
            "goals": _("Goals"),
            "sent": _("Reminded"),
        }

    @property
    def audit_values(self) -> dict[str, Any]:
        from kaohe.core import INCIDENT_KINDS
        from kaohe.i18n import current_lang

        lang = current_lang()
        return {
            "polarity": {"positive": _("positive"), "negative": _("negative")},
            "incident_kind": {code: text(lang) for code, text in INCIDENT_KINDS.items()},
        }

    # Notifications this app sends, worded on the notifications page, and where each leads.
    @property
    def notification_actions(self) -> dict[str, Any]:
        return {
            "incident": _("recorded an incident about you"),
            "one_on_one_remind": _("Reminder: hold this month's 1:1s with your reports"),
        }

    notification_links = {"incident": "incidents-mine", "one_on_one_remind": "one-on-ones"}

    def ready(self) -> None:
        from kaohe.appraisals.inputs import register

        from .provider import IncidentProvider

        register(IncidentProvider())
