"""When the award runs run, without the data or appraisals apps knowing of points:

- after each import (``batch_imported``), while a monthly badge is active, the months of
  the open cycles' periods that have begun are computed (a task, once the import commits):
  the cycles compute only their quarters, and monthly badges need each month's values;
- after a period's metrics are stored (``metrics_stored``: every import, ``kaohe metrics``),
  the badges of that period are judged and the ledger brought up to date — a failure is
  logged, never the import's;
- when a result is locked (``result_locked``: finalisation, an appeal's new version), the
  result's top-tier points are awarded inside the step's transaction, and the badges of the
  cycle's period are judged once it commits (a task, so the step stays quick).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.appraisals.signals import result_locked
from kaohe.data.signals import batch_imported, metrics_stored
from kaohe.metrics import MetricsError, parse_period

from .actions import award_badges, award_points, award_result_points
from .models import Badge, PeriodKind

log = logging.getLogger("kaohe.points")


@receiver(metrics_stored, dispatch_uid="points-after-metrics")
def _after_metrics(sender: Any, run: Any, **_more: Any) -> None:
    # The values are stored and committed already: a failing award run is logged, and
    # never fails the import that stored them (HR's "Award now" runs it again).
    try:
        award_badges(None, run.period)
        award_points(None)
    except Exception:
        log.exception("awards after the metrics of %s failed", run.period)


@task()
def award_period(period: str) -> int:
    """The badges of a period and every rule's points: the system's run."""
    return award_badges(None, period) + award_points(None)


@receiver(result_locked, dispatch_uid="points-after-result")
def _after_result(sender: Any, result: Any, actor: Any, **_more: Any) -> None:
    award_result_points(actor, result.appraisal_id)
    period = result.appraisal.cycle.period
    transaction.on_commit(lambda: award_period.enqueue(period))


def months_to_judge() -> list[str]:
    """The months of the open cycles' periods that have begun, when a monthly badge is
    active; none otherwise. A month that is itself a cycle's period is left to the cycles'
    own refresh, which computes it after every import."""
    if not Badge.objects.filter(active=True, period_kind=PeriodKind.MONTH).exists():
        return []
    today = timezone.localdate()
    # A cycle whose every appraisal is closed is finished: its months no longer change.
    unfinished = Appraisal.objects.filter(cycle=OuterRef("pk")).exclude(state="closed")
    running = Cycle.objects.filter(status=Cycle.Status.OPEN).filter(Exists(unfinished))
    cycles = set(running.values_list("period", flat=True))
    months: set[str] = set()
    for name in cycles:
        try:
            period = parse_period(name)
        except MetricsError:
            continue
        year, month = period.first_day.year, period.first_day.month
        while (year, month) <= (period.last_day.year, period.last_day.month):
            if (year, month) <= (today.year, today.month):
                months.add(f"{year}-{month:02}")
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return sorted(months - cycles)  # a monthly cycle's own month its refresh computes


@task()
def compute_badge_months() -> list[str]:
    """Compute the months monthly badges are judged on; storing them runs the awards."""
    from kaohe.data.services import store_metrics

    months = months_to_judge()
    for month in months:
        store_metrics(month)
    return months


@receiver(batch_imported, dispatch_uid="points-after-import")
def _after_import(sender: Any, **_more: Any) -> None:
    if months_to_judge():
        transaction.on_commit(compute_badge_months.enqueue)
