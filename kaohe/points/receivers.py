"""When the award runs run, without the data or appraisals apps knowing of points:

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
from django.dispatch import receiver
from django.tasks import task

from kaohe.appraisals.signals import result_locked
from kaohe.data.signals import metrics_stored

from .actions import award_badges, award_points, award_result_points

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
