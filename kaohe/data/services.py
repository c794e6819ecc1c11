"""The web app's side of operational data: where the lake is, which calendar applies,
who may import, and recording each batch in the app database and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaohe.access import access_for
from kaohe.audit.models import record
from kaohe.core import Scheme
from kaohe.metrics import (
    BatchInfo,
    BusinessCalendar,
    CatalogOptions,
    ImportOptions,
    Lake,
    MetricValue,
    compute,
    import_file,
    parse_period,
)
from kaohe.org.models import Employee

from .models import CalendarDay, DataBatch, MetricRecord, MetricRun
from .signals import batch_imported


def lake() -> Lake:
    return Lake(Path(settings.HOME) / "lake")


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def calendar() -> BusinessCalendar:
    return BusinessCalendar({d.day: d.workday for d in CalendarDay.objects.all()})


def _options(actor: Any, **choices: Any) -> ImportOptions:
    return ImportOptions(
        zone=zone(),
        known_employees=frozenset(Employee.objects.values_list("number", flat=True)),
        by=actor.get_username(),
        report_dir=Path(settings.HOME) / "imports",
        **choices,
    )


def preview_import(
    actor: Any, source: str, path: Path, file_name: str, *, quarantine: bool = False
) -> BatchInfo:
    """Check a file and count what importing it would do; writes nothing to the lake."""
    if not access_for(actor).can_import_data():
        raise PermissionDenied
    return import_file(
        lake(), source, path, file_name, _options(actor, quarantine=quarantine, dry_run=True)
    )


def do_import(
    actor: Any,
    source: str,
    path: Path,
    file_name: str,
    *,
    quarantine: bool = False,
    progress: Callable[[int, float | None], None] | None = None,
    header_map: dict[str, str] | None = None,
) -> DataBatch | BatchInfo:
    """Import a file into the lake and record the batch; returns the record, or the
    lake's answer when nothing was new. Raises ImportRefused with every problem."""
    if not access_for(actor).can_import_data():
        raise PermissionDenied
    options = _options(actor, quarantine=quarantine, progress=progress, header_map=header_map)
    info = import_file(lake(), source, path, file_name, options)
    if not info.file:
        return info
    with transaction.atomic():
        batch = DataBatch.objects.create(
            source=source,
            seq=info.seq,
            file_name=file_name,
            checksum=info.checksum,
            parquet_file=info.file,
            rows_read=info.rows_read,
            accepted=info.accepted,
            replaced=info.replaced,
            unchanged=info.unchanged,
            rejected=info.rejected,
            unknown_employees=info.unknown_employees,
            report_file=info.report_file,
            quarantine_file=info.quarantine_file,
            imported_by=actor,
        )
        record(actor, "data.import", batch, after=_summary(info))
        batch_imported.send(DataBatch, batch=batch)
    return batch


def _summary(info: BatchInfo) -> dict[str, object]:
    return {
        "file": info.source_file,
        "new": info.accepted,
        "replaced": info.replaced,
        "unchanged": info.unchanged,
        "rejected": info.rejected,
        "unknown_employees": len(info.unknown_employees),
    }


def metrics(period: str, subject: str | None = None) -> list[MetricValue]:
    return compute(lake(), parse_period(period), CatalogOptions(zone(), calendar()), subject)


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
    return run


def inputs_from_metrics(scheme: Scheme, employee: str, period: str) -> dict[str, float]:
    """The scheme's metric-fed inputs for one person and period, from the stored values
    (computed now if the period has none yet). Inputs without a value are left out."""
    name = parse_period(period).name
    if not MetricRun.objects.filter(period=name).exists():
        store_metrics(name)
    return {key: record.value for key, record in metric_records(scheme, employee, name).items()}


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
