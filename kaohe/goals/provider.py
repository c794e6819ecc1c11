"""Goals as an input provider: an input with ``feed: goals`` reads the mean completion of
the key results of the appraised person's own personal goals of the cycle's period (the
quarter's, and its months'), published ones only. Without such goals the input has no value,
and the indicator's ``missing`` policy decides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import QuerySet

from kaohe.appraisals.inputs import Value, by_period, chunks, cycle_period, fed_by
from kaohe.appraisals.models import Appraisal
from kaohe.core import FeedSource, Scheme
from kaohe.metrics import Period

from .models import Level, Objective

FROM_GOALS = "goals"
PLACES = Decimal("0.01")


class GoalProvider:
    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        fed = fed_by(scheme, FeedSource.GOALS)
        period = cycle_period(appraisal) if fed else None
        if period is None:
            return {}
        goals = list(_goals(period).filter(owner_id=appraisal.employee_id))
        return _completion(fed, goals, period)

    def live_many(
        self, appraisals: Sequence[Appraisal], scheme: Scheme
    ) -> dict[int, dict[str, Value]]:
        """``live`` for many: one query (and one for the key results) per period and chunk
        of people."""
        fed = fed_by(scheme, FeedSource.GOALS)
        if not fed:
            return {}
        found = {}
        for period, group in by_period(appraisals).items():
            owned: dict[int, list[Objective]] = defaultdict(list)
            people = sorted({appraisal.employee_id for appraisal in group})
            for chosen in chunks(people):
                for goal in _goals(period).filter(owner_id__in=chosen):
                    owned[goal.owner_id].append(goal)
            for appraisal in group:
                found[appraisal.pk] = _completion(fed, owned[appraisal.employee_id], period)
        return found


def _goals(period: Period) -> QuerySet[Objective]:
    """Published personal goals of the period, with their key results, oldest first."""
    return (
        Objective.objects.published()
        .within(period.first_day, period.last_day)
        .filter(level=Level.PERSONAL)
        .prefetch_related("key_results")
        .order_by("pk")
    )


def _completion(
    fed: dict[str, tuple[str, ...]], goals: list[Objective], period: Period
) -> dict[str, Value]:
    done = [kr.completion() for goal in goals for kr in goal.key_results.all()]
    if not done:
        return {}
    mean = (sum(done, Decimal(0)) / len(done)).quantize(PLACES)
    value = Value(
        mean,
        FROM_GOALS,
        {
            "goals": [goal.pk for goal in goals],
            "detail": {
                "zh": f"{period.name} 的 {len(goals)} 个目标、{len(done)} 个关键结果的平均完成度",
                "en": f"mean completion of {len(done)} key results of {len(goals)} goals "
                f"in {period.name}",
            },
        },
    )
    return dict.fromkeys(fed, value)
