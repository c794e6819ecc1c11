"""The incident log as an input provider: an input with ``feed: incidents:KIND,…`` reads how
many incidents of those kinds were logged for the person within the cycle's period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import QuerySet

from kaohe.appraisals.inputs import Value, by_period, chunks, cycle_period, fed_by
from kaohe.appraisals.models import Appraisal
from kaohe.core import FeedSource, Scheme
from kaohe.metrics import Period

from .models import Incident

FROM_INCIDENTS = "incidents"


class IncidentProvider:
    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        fed = fed_by(scheme, FeedSource.INCIDENTS)
        period = cycle_period(appraisal) if fed else None
        if period is None:
            return {}
        logged = list(
            _in(period).filter(employee_id=appraisal.employee_id).values_list("pk", "kind")
        )
        return _counted(fed, logged, period)

    def live_many(
        self, appraisals: Sequence[Appraisal], scheme: Scheme
    ) -> dict[int, dict[str, Value]]:
        """``live`` for many: one query per period and chunk of people."""
        fed = fed_by(scheme, FeedSource.INCIDENTS)
        if not fed:
            return {}
        found = {}
        for period, group in by_period(appraisals).items():
            logged: dict[int, list[tuple[int, str]]] = defaultdict(list)
            people = sorted({appraisal.employee_id for appraisal in group})
            for chosen in chunks(people):
                rows = _in(period).filter(employee_id__in=chosen).order_by("pk")
                for employee_id, pk, kind in rows.values_list("employee_id", "pk", "kind"):
                    logged[employee_id].append((pk, kind))
            for appraisal in group:
                found[appraisal.pk] = _counted(fed, logged[appraisal.employee_id], period)
        return found


def _in(period: Period) -> QuerySet[Incident]:
    """The incidents of a kind a scheme may count, logged within the period."""
    return Incident.objects.filter(
        occurred_on__gte=period.first_day, occurred_on__lte=period.last_day
    ).exclude(kind="")


def _counted(
    fed: dict[str, tuple[str, ...]], logged: list[tuple[int, str]], period: Period
) -> dict[str, Value]:
    found = {}
    for name, kinds in fed.items():
        ids = sorted(pk for pk, kind in logged if kind in kinds)
        found[name] = Value(
            Decimal(len(ids)),
            FROM_INCIDENTS,
            {
                "incidents": ids,
                "detail": {
                    "zh": f"{period.name} 期间记录 {len(ids)} 条",
                    "en": f"{len(ids)} logged in {period.name}",
                },
            },
        )
    return found
