"""Insights: the sentiment of calls and comments, attrition risk (HR only), weight advice
for the next scheme version, and the what-if simulator of a scheme change.

The statistics and models are pure code in ``kaohe.ml`` and ``kaohe.analytics``; this app
gathers their inputs from the database, runs them (from tasks when the work is long),
stores what they find and shows it through ``policy.py``.
"""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InsightsConfig(AppConfig):
    name = "kaohe.insights"
    label = "insights"
    verbose_name = _("Insights")

    # How the audit log words this app's entries: each section adds its own block below.
    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            **_whatif_actions(),
            **_attrition_actions(),
            **_advice_actions(),
            **_sentiment_actions(),
        }

    @property
    def audit_kinds(self) -> dict[str, Any]:
        return {**_whatif_kinds(), **_attrition_kinds(), **_advice_kinds()}

    @property
    def audit_fields(self) -> dict[str, Any]:
        return {
            **_whatif_fields(),
            **_attrition_fields(),
            **_advice_fields(),
            **_sentiment_fields(),
        }

    @property
    def audit_values(self) -> dict[str, Any]:
        return {**_advice_values(), **_sentiment_values()}


# --- the what-if simulator ---------------------------------------------------------------


def _whatif_actions() -> dict[str, Any]:
    return {
        "insights.whatif_save": _("What-if saved"),
        "insights.whatif_delete": _("Saved what-if deleted"),
        "insights.whatif_export": _("Saved what-if exported"),
    }


def _whatif_kinds() -> dict[str, Any]:
    return {"insights.savedwhatif": _("Saved what-if")}


def _whatif_fields() -> dict[str, Any]:
    return {
        "up": _("Up a grade or more"),
        "down": _("Down a grade or more"),
        "pay_before": _("Performance pay before"),
        "pay_after": _("Performance pay after"),
        "format": _("Format"),
        "language": _("Language"),
    }


# --- attrition risk ----------------------------------------------------------------------


def _attrition_actions() -> dict[str, Any]:
    return {
        "attrition.train": _("Attrition model training asked for"),
        "attrition.trained": _("Attrition model trained"),
        "attrition.attributes_import": _("Protected attributes imported"),
        "attrition.attributes_clear": _("Protected attributes removed"),
    }


def _attrition_kinds() -> dict[str, Any]:
    return {"insights.attritionmodel": _("Attrition model")}


def _attrition_fields() -> dict[str, Any]:
    return {
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


# --- weight advice -----------------------------------------------------------------------


def _advice_actions() -> dict[str, Any]:
    return {
        "advice.look": _("Looked for weight signals"),
        "advice.stage": _("Stage weights proposed"),
        "advice.accept": _("Weight proposal accepted"),
        "advice.reject": _("Weight proposal rejected"),
        "advice.flag": _("Launch flag saved"),
        "advice.flag_end": _("Launch flag ended"),
        "advice.flag_delete": _("Launch flag deleted"),
    }


def _advice_kinds() -> dict[str, Any]:
    return {
        "insights.advicerun": _("Look for weight signals"),
        "insights.proposal": _("Weight proposal"),
        "insights.launchflag": _("Launch flag"),
    }


def _advice_fields() -> dict[str, Any]:
    return {
        "quarters": _("Quarters judged"),
        "signals": _("Signals found"),
        "proposals": _("Proposals made"),
        "superseded": _("Proposals superseded"),
        "stage": pgettext_lazy("company stage", "Stage"),
        "status": _("Status"),
        "changes": _("Changes (points)"),
        "edited": _("Edited before accepting"),
        "starts_on": _("Starts on"),
        "ends_on": _("Ends on"),
        "ended_on": _("Ended on"),
        "indicators": _("Indicators"),
        "weight": _("Points of weight"),
    }


def _advice_values() -> dict[str, Any]:
    return {
        "status": {
            "pending": _("Waiting for HR"),
            "accepted": _("Accepted"),
            "rejected": pgettext_lazy("weight proposal", "Rejected"),
            "superseded": _("Superseded"),
        },
        "stage": {"startup": _("Start-up"), "growth": _("Growth"), "mature": _("Mature")},
    }


# --- sentiment -----------------------------------------------------------------------------


def _sentiment_actions() -> dict[str, Any]:
    return {"sentiment.export": _("Call sentiment exported")}


def _sentiment_fields() -> dict[str, Any]:
    return {"filter": _("Calls chosen"), "agent": _("Agent"), "queue": _("Queue")}


def _sentiment_values() -> dict[str, Any]:
    return {
        "filter": {
            "ended_negative": _("Ended negative"),
            "not_recovered": _("Started negative, not recovered"),
            "recovered": _("Recovered"),
            "all": _("Every transcribed call"),
        }
    }
