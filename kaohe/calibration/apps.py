from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalibrationConfig(AppConfig):
    name = "kaohe.calibration"
    label = "calibration"
    verbose_name = _("Calibration")

    # How the audit log words this app's entries.
    audit_kinds = {
        "calibration.session": _("Calibration session"),
        "calibration.cycleguideline": _("Distribution guideline"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "calibration.open": _("Calibration session opened"),
            "calibration.guideline": _("Distribution guideline set"),
            "calibration.move": _("Moved in a calibration session"),
            "calibration.potential": _("Potential rated"),
            "calibration.close": _("Calibration session closed"),
        }
