from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "kaohe.goals"
    label = "goals"
    verbose_name = _("Goals")

    # How the audit log words this app's entries.
    audit_kinds = {
        "goals.objective": _("Goal"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "goals.create": _("Goal set"),
            "goals.edit": _("Goal changed"),
            "goals.check_in": _("Goal check-in"),
            "goals.comment": _("Goal comment"),
            "goals.remind": _("Reminded to check in on goals"),
            "goals.data": _("Key results updated from the data"),
        }

    # Notifications this app sends, worded on the notifications page, and where each leads.
    @property
    def notification_actions(self) -> dict[str, Any]:
        return {"goals_remind": _("Reminder: check in on your goals")}

    notification_links = {"goals_remind": "goals"}

    def ready(self) -> None:
        from kaohe.appraisals.inputs import register

        from . import refresh  # noqa: F401  (metric-bound key results follow stored values)
        from .provider import GoalProvider

        register(GoalProvider())
