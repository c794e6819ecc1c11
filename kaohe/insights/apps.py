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
