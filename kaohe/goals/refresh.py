"""Metric-bound key results follow the data: whenever a period's metrics are computed and
stored (after every import, for the open cycles' periods, or by ``kaohe metrics``), the
key results bound to a metric take the new values. The data app announces the stored
values with a signal, so that it never needs to know about goals."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from kaohe.data.signals import metrics_stored

from .actions import do_take_metric_values


@receiver(metrics_stored)
def _after_metrics_stored(sender: Any, run: Any, **kwargs: Any) -> None:
    do_take_metric_values(run)
