"""The web app's side of operational data: where the lake is, which calendar and limits
apply, the options every import and computation gets, checking the lake against the
database, and the stored metric values."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kaohe.core import Scheme
from kaohe.metrics import (
    BatchInfo,
    BusinessCalendar,
    CatalogOptions,
    ImportOptions,
    Lake,
    LakeFinding,
    MetricValue,
    compute,
    import_file,
    parse_period,
)
from kaohe.org.models import Employee

from .models import CalendarDay, DataBatch, MetricRecord, MetricRun
from .policy import may_import_data
from .signals import metrics_stored

log = logging.getLogger("kaohe.data")


def lake() -> Lake:
    return Lake(Path(settings.HOME) / "lake", logger=log)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def calendar() -> BusinessCalendar:
    return BusinessCalendar({d.day: d.workday for d in CalendarDay.objects.all()})


def _spill_dir() -> Path:
    return Path(tempfile.gettempdir()) / "kaohe-duckdb"


def recorded_batches() -> set[tuple[str, int]]:
    """(source, seq) of every batch the app database records."""
    return set(DataBatch.objects.values_list("source", "seq"))


def import_options(actor: Any, **choices: Any) -> ImportOptions:
    """The options of every import (the Data page's check and import, the API's push, the
    command line): transcripts and survey comments are scored by the sentiment model as
    they come in, or left unscored without it (``kaohe.insights.sentiment``)."""
    # Here rather than at the top: the model's package (numpy, vaderSentiment) loads only
    # in a process that imports something.
    from kaohe.insights.sentiment import scorer_options

    choices = {**scorer_options(), **choices}
    return ImportOptions(
        zone=zone(),
        now=timezone.now(),
        known_employees=frozenset(Employee.objects.values_list("number", flat=True)),
        by=actor.get_username(),
        report_dir=Path(settings.HOME) / "imports",
        memory=settings.DUCKDB_MEMORY,
        spill_dir=_spill_dir(),
        recorded=recorded_batches,
        **choices,
    )


def catalog_options() -> CatalogOptions:
    return CatalogOptions(
        zone(),
        timezone.now(),
        calendar(),
        memory=settings.DUCKDB_MEMORY,
        spill_dir=_spill_dir(),
        sentiment_threshold=settings.SENTIMENT_THRESHOLD,
    )


def preview_import(
    actor: Any,
    source: str,
    path: Path,
    file_name: str,
    *,
    quarantine: bool = False,
    progress: Callable[[int, float | None], None] | None = None,
    header_map: dict[str, str] | None = None,
) -> BatchInfo:
    """Check a file and count what importing it would do; writes nothing, not even a
    problem report. Raises ImportRefused with the first problems."""
    if not may_import_data(actor):
        raise PermissionDenied
    options = import_options(
        actor, quarantine=quarantine, dry_run=True, progress=progress, header_map=header_map
    )
    return import_file(lake(), source, path, file_name, options)


def check_lake() -> list[LakeFinding]:
    """Settle the lake against the database's batch records: half-written batches are
    completed or removed, and what needs a person is reported; each finding is logged."""
    return lake().reconcile(recorded_batches)


def on_start() -> list[LakeFinding]:
    """What ``kaohe serve``, ``kaohe demo`` and ``kaohe worker`` do as they start: check the
    lake, remove old unapplied uploads, and fail jobs whose process died."""
    from kaohe.uploads import sweep_uploads

    from .models import ImportJob

    findings = check_lake()
    sweep_uploads()
    ImportJob.objects.fail_abandoned(timezone.now())
    return findings


def metrics(period: str, subject: str | None = None) -> list[MetricValue]:
    return compute(lake(), parse_period(period), catalog_options(), subject)


def store_metrics(period: str) -> MetricRun:
    """Compute every metric of the period and keep the values with the batches they read."""
    name = parse_period(period).name
    values = metrics(name)
    with transaction.atomic():
        run = MetricRun.objects.create(
            period=name, batches=list(DataBatch.objects.values_list("source", "seq"))
        )
        MetricRecord.objects.bulk_create(
            MetricRecord(
                run=run,
                subject_type=v.subject_type,
                subject=v.subject,
                metric=v.metric,
                value=v.value,
                numerator=v.numerator,
                denominator=v.denominator,
            )
            for v in values
        )
    metrics_stored.send(sender=MetricRun, run=run)
    return run


def inputs_from_metrics(scheme: Scheme, employee: str, period: str) -> dict[str, Decimal]:
    """The scheme's metric-fed inputs for one person and period, from the stored values
    (computed now if the period has none yet), each in its input's unit. Inputs without a
    value are left out."""
    name = parse_period(period).name
    if not MetricRun.objects.filter(period=name).exists():
        store_metrics(name)
    return {
        key: scheme.inputs[key].from_metric(Decimal(repr(record.value)))
        for key, record in metric_records(scheme, employee, name).items()
    }


def metric_records(scheme: Scheme, employee: str, period: str) -> dict[str, MetricRecord]:
    """Input name → the stored value from the period's latest computation, for the
    scheme's metric-fed inputs that have one; nothing is computed here."""
    run = MetricRun.objects.filter(period=period).first()
    wanted: dict[tuple[str, str, str], str] = {}
    for input_name, spec in scheme.inputs.items():
        if spec.metric is not None:
            key = spec.metric
            wanted[(key.subject_type, key.subject(employee), key.metric)] = input_name
    found: dict[str, MetricRecord] = {}
    if run is None or not wanted:
        return found
    # One query per subject, by the full key: the (run, subject type, subject, metric) index
    # then finds a handful of rows, where an OR of subjects would scan the whole run.
    for subject_type, subject in {key[:2] for key in wanted}:
        for stored in MetricRecord.objects.filter(
            run=run, subject_type=subject_type, subject=subject
        ).select_related("run"):
            input_name = wanted.get((stored.subject_type, stored.subject, stored.metric))
            if input_name is not None and stored.value is not None:
                found[input_name] = stored
    return found
