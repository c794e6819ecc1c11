"""Insights: the sentiment of calls and comments, attrition risk (HR only), weight advice
for the next scheme version, and the what-if simulator of a scheme change.

The statistics and models are pure code in ``kaohe.ml`` and ``kaohe.analytics``; this app
gathers their inputs from the database, runs them (from tasks when the work is long),
stores what they find and shows it through ``policy.py``.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "kaohe.insights"
    label = "insights"
    verbose_name = _("Insights")

    # How the audit log words this app's entries (the attrition section's).
    audit_actions = {
        "attrition.train": _("Attrition model training asked for"),
        "attrition.trained": _("Attrition model trained"),
        "attrition.attributes_import": _("Protected attributes imported"),
        "attrition.attributes_clear": _("Protected attributes removed"),
    }
    audit_kinds = {"insights.attritionmodel": _("Attrition model")}
    audit_fields = {
        "as_of": _("Scored as of"),
        "horizon_months": _("Horizon (months)"),
        "left_out": _("Features left out"),
        "chosen": _("Model used"),
        "leavers": _("People who resigned"),
        "scored": _("People scored"),
        "proxy_feature": _("Proxy feature"),
        "people": _("People"),
        "attributes": _("Attributes"),
        "removed": _("Removed"),
    }
