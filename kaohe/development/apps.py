from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "kaohe.development"
    label = "development"
    verbose_name = _("Development")

    # How the audit log words this app's entries.
    audit_kinds = {
        "development.proposal": _("Development proposal"),
        "development.plan": _("Development plan"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "development.propose": _("Development proposed"),
            "development.decide": _("Development proposal decided"),
            "development.plan": _("Development plan started"),
            "development.items": _("Development plan changed"),
            "development.agree": _("Development plan agreed"),
            "development.check_in": _("Improvement plan check-in"),
            "development.outcome": _("Improvement plan outcome"),
        }

    def ready(self) -> None:
        from . import proposals  # noqa: F401  (proposes development when a result is locked)
