from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "kaohe.points"
    label = "points"
    verbose_name = _("Points and badges")

    # How the audit log words this app's entries.
    audit_kinds = {
        "points.pointrule": _("Point rule"),
        "points.badge": _("Badge"),
        "points.boardsetting": _("Team leaderboard"),
        "points.boardchoice": _("Leaderboard display"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "points.rule": _("Point rule saved"),
            "points.rule_delete": _("Point rule deleted"),
            "points.badge": _("Badge saved"),
            "points.badge_delete": _("Badge deleted"),
            "points.board": _("Team leaderboard turned off or on"),
            "points.initials": _("Leaderboard name display chosen"),
            "points.award_points": _("Points awarded"),
            "points.award_badges": _("Badges awarded"),
        }

    @property
    def audit_fields(self) -> dict[str, Any]:
        return {
            "rule_kind": _("Earned for"),
            "points": _("Points"),
            "entries": _("Points earned under it"),
            "code": _("Code"),
            "name_zh": _("Name (Chinese)"),
            "name_en": _("Name (English)"),
            "metric": _("Metric"),
            "comparison": _("Comparison"),
            "threshold": _("Threshold"),
            "min_volume": _("Minimum volume"),
            "guard_metric": _("Only if"),
            "period_kind": _("Judged per"),
            "in_use": _("In use"),
            "awards": _("Awards"),
            "board_off": _("Leaderboard turned off"),
            "initials": _("Shown by initials"),
            "added": _("Added"),
            "removed": _("Removed"),
            "awarded": _("Awarded to"),
            "withdrawn": _("Withdrawn from"),
        }

    @property
    def audit_values(self) -> dict[str, Any]:
        from .models import Comparison, PeriodKind, RuleKind

        return {
            "rule_kind": dict(RuleKind.choices),
            "comparison": dict(Comparison.choices),
            "period_kind": dict(PeriodKind.choices),
        }

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (the award runs after imports and locked results)
