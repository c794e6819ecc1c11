"""What an incident can be evidence for, and which appraisals it counts in.

A person's "current scheme" is the scheme of their latest appraisal, or — for someone not
yet appraised — their position's default scheme, so that a new hire's first incidents can
already be tied to an indicator. An incident counts in every appraisal of the person whose
cycle's period holds its date; once such an appraisal has a locked result, the incident is
part of that result and stays as recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kaohe.appraisals.models import Appraisal
from kaohe.core import FeedSource, Scheme
from kaohe.i18n import current_lang
from kaohe.metrics import MetricsError, parse_period
from kaohe.org.models import Employee
from kaohe.schemes.library import default_version


@dataclass(frozen=True)
class Target:
    """An indicator or dimension an incident can evidence."""

    dimension: str
    indicator: str  # "" for the dimension itself
    label: str

    @property
    def value(self) -> str:
        return f"{self.dimension}/{self.indicator}" if self.indicator else self.dimension


def current_scheme(employee: Employee) -> Scheme | None:
    latest = (
        Appraisal.objects.filter(employee=employee)
        .select_related("version")
        .order_by("-cycle__created_at", "-pk")
        .first()
    )
    if latest is not None:
        return latest.version.scheme()
    version = default_version(employee.position)
    return version.scheme() if version is not None else None


def targets(scheme: Scheme | None) -> list[Target]:
    """Each dimension, followed by its indicators, in the scheme's order."""
    if scheme is None:
        return []
    lang = current_lang()
    found = []
    for dimension in scheme.dimensions:
        found.append(Target(dimension.id, "", dimension.name(lang)))
        found += [Target(dimension.id, i.id, i.name(lang)) for i in dimension.indicators]
    return found


def indicator_counting(scheme: Scheme | None, kind: str) -> Target | None:
    """The indicator whose input counts incidents of this kind, if the scheme has one."""
    if scheme is None or not kind:
        return None
    counting = {
        name
        for name, spec in scheme.inputs.items()
        if spec.feed is not None
        and spec.feed.source is FeedSource.INCIDENTS
        and kind in spec.feed.keys
    }
    for target in targets(scheme):
        if target.indicator and counting & set(scheme.indicator(target.indicator).inputs):
            return target
    return None


def covering(employee_id: int, day: date) -> list[Appraisal]:
    """The person's appraisals whose cycle's period holds the day."""
    found = []
    for appraisal in Appraisal.objects.filter(employee_id=employee_id).select_related("cycle"):
        try:
            period = parse_period(appraisal.cycle.period)
        except MetricsError:
            continue
        if period.first_day <= day <= period.last_day:
            found.append(appraisal)
    return found


def locked_in(employee_id: int, day: date) -> Appraisal | None:
    """An appraisal with a locked result that an incident of this day counts in."""
    for appraisal in covering(employee_id, day):
        if appraisal.results.exists():
            return appraisal
    return None
