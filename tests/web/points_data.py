"""Stored metrics, incidents and rules for the points and badges tests."""

from __future__ import annotations

from datetime import date

from kaohe.data.models import MetricRecord, MetricRun
from kaohe.incidents.models import Incident
from kaohe.points.actions import do_save_rule


def store(period, values):
    """A metric run of ``period``: {number: {metric: (value, denominator)}}."""
    run = MetricRun.objects.create(period=period)
    MetricRecord.objects.bulk_create(
        MetricRecord(run=run, subject_type="employee", subject=number, metric=metric,
                     value=value, numerator=None, denominator=base)
        for number, metrics in values.items()
        for metric, (value, base) in metrics.items()
    )  # fmt: skip
    return run


def csat(value, surveys=100, complaints=0.0):
    found = {"csat_mean": (value, surveys)}
    if complaints is not None:
        found["complaints_converted"] = (complaints, None)
    return found


def incident(org, who, on, kind="", polarity="positive"):
    return Incident.objects.create(
        employee=org.people[who],
        occurred_on=on,
        polarity=polarity,
        kind=kind,
        what="帮同事解决难题",
    )


def rules(org, **points):
    for kind, value in points.items():
        do_save_rule(org.users["alice"], kind, value)


MAY = date(2026, 5, 12)
