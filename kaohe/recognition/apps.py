"""Instant recognition (即时奖励): thanking a colleague, the team wall, and a manager's
confirmation as a positive incident."""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "kaohe.recognition"
    label = "recognition"
    verbose_name = _("Recognition")

    # How the audit log words this app's entries.
    audit_kinds = {
        "recognition.thanks": _("Thank-you"),
        "recognition.companyvalue": _("Company value"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "recognition.thank": _("Colleague thanked"),
            "recognition.shown": _("Thank-you shown or hidden"),
            "recognition.withdraw": _("Thank-you withdrawn"),
            "recognition.confirm": _("Thank-you confirmed as a positive incident"),
            "recognition.value": _("Company value saved"),
        }

    @property
    def audit_fields(self) -> dict[str, Any]:
        return {
            "company_value": _("Company value"),
            "shown": _("Shown on the wall"),
            "withdrawn": _("Withdrawn"),
            "confirmed": _("Confirmed"),
            "incident": _("Incident"),
            "name_zh": _("Name in Chinese"),
            "name_en": _("Name in English"),
            "code": _("Code"),
            "order": _("Order"),
        }

    # Notifications this app sends, worded on the notifications page, and where each leads.
    @property
    def notification_actions(self) -> dict[str, Any]:
        return {
            "thanked": _("thanked you"),
            "thanked_report": _("thanked someone on your team; you may confirm it as a "
                                "positive incident"),
        }  # fmt: skip

    notification_links = {"thanked": "recognition-mine", "thanked_report": "recognition-to-confirm"}
