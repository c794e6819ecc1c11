"""The incident log as an input provider: an input with ``feed: incidents:KIND,…`` reads how
many incidents of those kinds were logged for the person within the cycle's period."""

from __future__ import annotations

from decimal import Decimal

from kaohe.appraisals.inputs import Value, cycle_period, fed_by
from kaohe.appraisals.models import Appraisal
from kaohe.core import FeedSource, Scheme

from .models import Incident

FROM_INCIDENTS = "incidents"


class IncidentProvider:
    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        fed = fed_by(scheme, FeedSource.INCIDENTS)
        period = cycle_period(appraisal) if fed else None
        if period is None:
            return {}
        logged = list(
            Incident.objects.filter(
                employee_id=appraisal.employee_id,
                occurred_on__gte=period.first_day,
                occurred_on__lte=period.last_day,
            )
            .exclude(kind="")
            .values_list("pk", "kind")
        )
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
