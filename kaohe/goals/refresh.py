"""Metric-bound key results follow the data: whenever a period's metrics are computed and
stored (after every import, for the open cycles' periods, or by ``kaohe metrics``), the
key results bound to a metric take the new values. The data app announces the stored
values with a signal, so that it never needs to know about goals.

A goal's period may have no open cycle (a month's goal, a quarter not yet appraised): after
an import those periods are computed here, so that every bound key result follows every
import.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.tasks import task

from kaohe.appraisals.models import Cycle
from kaohe.data.signals import batch_imported, metrics_stored

from .actions import do_take_metric_values
from .models import Objective


@receiver(metrics_stored)
def _after_metrics_stored(sender: Any, run: Any, **kwargs: Any) -> None:
    do_take_metric_values(run)


def periods_to_compute() -> list[str]:
    """Periods of goals under way with a bound key result that no open cycle computes."""
    bound = Objective.objects.filter(
        status=Objective.Status.ACTIVE, key_results__metric__gt=""
    ).values_list("period", flat=True)
    cycles = set(Cycle.objects.filter(status=Cycle.Status.OPEN).values_list("period", flat=True))
    return sorted(set(bound) - cycles)


@task()
def refresh_goal_metrics() -> list[str]:
    """Compute the metrics of the goals' own periods again; the periods computed."""
    from kaohe.data.services import store_metrics

    periods = periods_to_compute()
    for period in periods:
        store_metrics(period)
    return periods


@receiver(batch_imported)
def _after_import(sender: Any, **kwargs: Any) -> None:
    if periods_to_compute():
        transaction.on_commit(refresh_goal_metrics.enqueue)
