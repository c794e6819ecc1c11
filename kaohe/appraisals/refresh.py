"""Keeping provisional scores current: after every import, the metrics of each open cycle's
period are computed again, so that appraisal pages score from the newest data.

The data app announces each batch with a signal; this app listens, so that operational
data never needs to know about appraisals.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.tasks import task

from kaohe.data.signals import batch_imported

from .models import Cycle


@task()
def refresh_cycle_metrics() -> list[str]:
    """Compute the metrics of every open cycle's period again; the periods computed."""
    from kaohe.data.services import store_metrics

    periods = sorted(
        set(Cycle.objects.filter(status=Cycle.Status.OPEN).values_list("period", flat=True))
    )
    for period in periods:
        store_metrics(period)
    return periods


@receiver(batch_imported)
def _after_import(sender: Any, **kwargs: Any) -> None:
    if Cycle.objects.filter(status=Cycle.Status.OPEN).exists():
        transaction.on_commit(refresh_cycle_metrics.enqueue)
