from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "kaohe.appraisals"
    label = "appraisals"
    verbose_name = _("Appraisals")

    # How the audit log words this app's entries.
    audit_kinds = {"appraisals.appraisal": _("Appraisal"), "appraisals.cycle": _("Cycle")}

    @property
    def audit_actions(self) -> dict[str, Any]:
        from .workflow import ACTIONS

        return {
            "cycle.create": _("Cycle created"),
            "cycle.settings": _("Cycle schemes and pay changed"),
            "cycle.base_pay": _("Base pay imported"),
            "cycle.launch": _("Cycle launched"),
            "cycle.remind": _("Reminders sent"),
            "appraisal.refresh_data": _("Frozen data refreshed"),
            "appraisal.calibration_move": _("Moved in a calibration session"),
            **{f"appraisal.{name}": action.label for name, action in ACTIONS.items()},
        }

    @property
    def audit_values(self) -> dict[str, Any]:
        from .models import Appeal, Interview
        from .workflow import STATE_LABELS

        states = {str(state): label for state, label in STATE_LABELS.items()}
        return {
            "state": states,
            "deadlines": states,  # keyed by state
            "decision": dict(Appeal.Decision.choices),
            "root_cause": {k: v for k, v in Interview.RootCause.choices if k},
        }

    def ready(self) -> None:
        from . import refresh  # noqa: F401  (connects the after-import refresh)
