"""Goals as an input provider: an input with ``feed: goals`` reads the mean completion of
the key results of the appraised person's own personal goals of the cycle's period (the
quarter's, and its months'), published ones only. Without such goals the input has no value,
and the indicator's ``missing`` policy decides."""

from __future__ import annotations

from decimal import Decimal

from kaohe.appraisals.inputs import Value, cycle_period, fed_by
from kaohe.appraisals.models import Appraisal
from kaohe.core import FeedSource, Scheme

from .models import Level, Objective

FROM_GOALS = "goals"
PLACES = Decimal("0.01")


class GoalProvider:
    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        fed = fed_by(scheme, FeedSource.GOALS)
        period = cycle_period(appraisal) if fed else None
        if period is None:
            return {}
        goals = list(
            Objective.objects.published()
            .within(period.first_day, period.last_day)
            .filter(owner_id=appraisal.employee_id, level=Level.PERSONAL)
            .prefetch_related("key_results")
            .order_by("pk")
        )
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
                    "zh": f"{period.name} 的 {len(goals)} 个目标、{len(done)} 个关键结果"
                    "的平均完成度",
                    "en": f"mean completion of {len(done)} key results of {len(goals)} goals "
                    f"in {period.name}",
                },
            },
        )
        return dict.fromkeys(fed, value)
