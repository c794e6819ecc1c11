"""Insights: the sentiment of calls and comments, attrition risk (HR only), weight advice
for the next scheme version, and the what-if simulator of a scheme change.

The statistics and models are pure code in ``kaohe.ml`` and ``kaohe.analytics``; this app
gathers their inputs from the database, runs them (from tasks when the work is long),
stores what they find and shows it through ``policy.py``.
"""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "kaohe.insights"
    label = "insights"
    verbose_name = _("Insights")

    # How the audit log words this app's entries, section by section.
    audit_kinds = {
        # the what-if simulator
        "insights.savedwhatif": _("Saved what-if"),
    }
    audit_fields = {
        # the what-if simulator
        "people": _("People under the changed scheme"),
        "up": _("Up a grade or more"),
        "down": _("Down a grade or more"),
        "pay_before": _("Performance pay before"),
        "pay_after": _("Performance pay after"),
        "format": _("Format"),
        "language": _("Language"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            # the what-if simulator
            "insights.whatif_save": _("What-if saved"),
            "insights.whatif_delete": _("Saved what-if deleted"),
            "insights.whatif_export": _("Saved what-if exported"),
        }
