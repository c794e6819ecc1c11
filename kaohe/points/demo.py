"""The demo's points and badges: HR's default point rules, the badges of every month (and
quarter) with stored metrics judged, the ledger brought up to date, and one agent shown by
initials. All through the real actions; running it again changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import translation

from kaohe.data.models import MetricRun

from .actions import award_badges, award_points, do_choose_initials, do_save_rule
from .builtins import DEFAULT_RULES
from .models import BadgeAward, BoardChoice, PointRule


def demo_points() -> int:
    """The badges awarded now: none when the demo has been awarded them already."""
    hr = get_user_model().objects.get(username="hr")
    before = BadgeAward.objects.count()
    with translation.override("zh-hans"):
        for kind, points in DEFAULT_RULES.items():
            if not PointRule.objects.filter(kind=kind).exists():
                do_save_rule(hr, kind, points)
        periods = sorted(set(MetricRun.objects.values_list("period", flat=True)))
        for period in periods:
            award_badges(None, period)
        award_points(None)
        agent = get_user_model().objects.filter(username="agent").first()
        if agent is not None and not BoardChoice.objects.exists():
            do_choose_initials(agent, True)
    return BadgeAward.objects.count() - before
