"""What the appraisal page shows of the log: the period's incidents, each under the
indicator it evidences (or its dimension, or among the other incidents), and for the
interview the period's incidents and 1:1s together. Asked by the appraisal view; the
policy decides who sees them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from kaohe.appraisals.models import Appraisal
from kaohe.i18n import in_reader_language
from kaohe.metrics import MetricsError, parse_period
from kaohe.org.policy import Access

from . import policy
from .models import Incident, OneOnOne


@dataclass
class Evidence:
    by_indicator: dict[str, list[Incident]] = field(default_factory=dict)
    by_dimension: dict[str, list[Incident]] = field(default_factory=dict)
    other: list[Incident] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)  # all of them, newest first
    one_on_ones: list[OneOnOne] = field(default_factory=list)  # oldest month first

    def for_indicator(self, indicator_id: str) -> list[Incident]:
        return self.by_indicator.get(indicator_id, [])

    def for_dimension(self, dimension_id: str) -> list[Incident]:
        return self.by_dimension.get(dimension_id, [])

    @property
    def positive(self) -> int:
        return sum(i.polarity == Incident.Polarity.POSITIVE for i in self.incidents)

    @property
    def negative(self) -> int:
        return len(self.incidents) - self.positive


def appraisal_evidence(access: Access, appraisal: Appraisal) -> Evidence | None:
    """The appraisal's period's incidents and 1:1s, for whoever may see the appraisal;
    None for anyone else, or a period that cannot be read."""
    if not policy.can_see_incidents_on(access, appraisal):
        return None
    try:
        period = parse_period(appraisal.cycle.period)
    except MetricsError:
        return None
    incidents = list(
        Incident.objects.filter(
            employee_id=appraisal.employee_id,
            occurred_on__gte=period.first_day,
            occurred_on__lte=period.last_day,
        ).select_related("recorded_by", "recorded_by__employee")
    )
    scheme = appraisal.version.scheme()
    dimensions = {d.id: {i.id for i in d.indicators} for d in scheme.dimensions}
    indicators = {i for ids in dimensions.values() for i in ids}
    found = Evidence(incidents=incidents)
    by_indicator, by_dimension = defaultdict(list), defaultdict(list)
    for incident in incidents:
        if incident.indicator in indicators:
            by_indicator[incident.indicator].append(incident)
        elif incident.dimension in dimensions:
            by_dimension[incident.dimension].append(incident)
        else:
            found.other.append(incident)
    found.by_indicator, found.by_dimension = dict(by_indicator), dict(by_dimension)
    months = [period.first_day.replace(month=m).strftime("%Y-%m") for m in _months(period)]
    ones = OneOnOne.objects.filter(employee_id=appraisal.employee_id, month__in=months)
    found.one_on_ones = [
        one
        for one in ones.select_related("manager", "employee").order_by("month")
        if policy.can_view_one_on_one(access, one)
    ]
    return found


def _months(period: object) -> range:
    first, last = period.first_day, period.last_day  # type: ignore[attr-defined]
    if first.year != last.year:  # periods are months, quarters, halves or years
        return range(first.month, 13)
    return range(first.month, last.month + 1)


def filtered(incidents: QuerySet[Incident], query: Any) -> tuple[QuerySet[Incident], str]:
    """The incidents the list's filters keep (person, period, polarity, kind), and a
    problem with the period, if it is not one."""
    person = str(query.get("person", "")).strip()
    if person:
        incidents = incidents.filter(employee__number=person)
    problem = ""
    period = str(query.get("period", "")).strip()
    if period:
        try:
            found = parse_period(period)
        except MetricsError as error:
            problem = in_reader_language(error.text)
        else:
            incidents = incidents.filter(
                occurred_on__gte=found.first_day, occurred_on__lte=found.last_day
            )
    if query.get("polarity") in Incident.Polarity.values:
        incidents = incidents.filter(polarity=query["polarity"])
    kind = str(query.get("kind", ""))
    if kind:
        incidents = incidents.filter(kind=kind)
    return incidents, problem
