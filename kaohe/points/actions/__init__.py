"""The points app's writes. ``edits``: HR's rules and badges, a manager turning a team's
board off, an employee choosing initials. ``awards``: the award runs — points from their
sources, badges from the stored metrics — which run after each import and each locked
result, and when HR asks. Each ``do_*`` asks the policy, writes the audit row and commits
in one transaction."""

from .awards import award_badges, award_points, award_result_points, do_run_awards
from .edits import (
    BadgeInput,
    PointsRefused,
    do_choose_initials,
    do_delete_badge,
    do_delete_rule,
    do_save_badge,
    do_save_rule,
    do_set_board,
)

__all__ = [
    "BadgeInput",
    "PointsRefused",
    "award_badges",
    "award_points",
    "award_result_points",
    "do_choose_initials",
    "do_delete_badge",
    "do_delete_rule",
    "do_run_awards",
    "do_save_badge",
    "do_save_rule",
    "do_set_board",
]
