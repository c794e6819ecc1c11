from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayConfig(AppConfig):
    name = "kaohe.pay"
    label = "pay"
    verbose_name = _("Pay")

    # How the audit log words this app's entries.
    audit_kinds = {"pay.payexport": _("Pay list export"), "pay.paybudget": _("Pay budget")}

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "pay.budget": _("Pay budget set"),
            "pay.export": _("Pay list exported"),
            "pay.report": _("Appraisal report exported"),
        }
