"""The data app's writes: importing a file into the lake, changing a calendar day, and the
Data page's background checks and imports. Each asks the policy, writes its audit row and
commits in one transaction; the command line, the page and the tasks all call these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaohe.audit.models import record
from kaohe.core import Lang
from kaohe.metrics import BatchInfo, import_file
from kaohe.uploads import SavedUpload

from . import services
from .models import CalendarDay, DataBatch, ImportJob
from .policy import may_import_data, may_set_calendar
from .signals import batch_imported

Checkpoint = Callable[[str], None]


def do_import_data(
    actor: Any,
    source: str,
    path: Path,
    file_name: str,
    *,
    quarantine: bool = False,
    progress: Callable[[int, float | None], None] | None = None,
    header_map: dict[str, str] | None = None,
    lang: Lang = "zh",
    checkpoint: Checkpoint | None = None,
) -> DataBatch | BatchInfo:
    """Import a file into the lake and record the batch; returns the record, or the
    lake's answer when nothing was new. Raises ImportRefused with the first problems.

    The batch's record and its audit row are written in one transaction while the lake
    holds the batch as pending; the lake shows the batch only after that commit, so the
    two never disagree, whenever the process dies (``checkpoint`` is told ``recording``
    just before the commit and ``recorded`` just after, beside the lake's own steps)."""
    if not may_import_data(actor):
        raise PermissionDenied
    options = services.import_options(
        actor, quarantine=quarantine, progress=progress, header_map=header_map, lang=lang,
        checkpoint=checkpoint,
    )  # fmt: skip
    recorded: list[DataBatch] = []

    def record_batch(info: BatchInfo) -> None:
        with transaction.atomic(durable=True):
            batch = _create_batch(actor, source, file_name, info)
            record(actor, "data.import", batch, after=_summary(info))
            if checkpoint is not None:
                checkpoint("recording")
        recorded.append(batch)
        if checkpoint is not None:
            checkpoint("recorded")

    info = import_file(services.lake(), source, path, file_name, options, record_batch)
    if not recorded:
        return info
    # After the lake's commit: whoever listens (the appraisals' metric refresh) sees it.
    batch_imported.send(DataBatch, batch=recorded[0])
    return recorded[0]


def _create_batch(actor: Any, source: str, file_name: str, info: BatchInfo) -> DataBatch:
    return DataBatch.objects.create(
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
        sentiment_model=info.sentiment_model,
        imported_by=actor,
    )


def _summary(info: BatchInfo) -> dict[str, object]:
    return {
        "file": info.source_file,
        "new": info.accepted,
        "replaced": info.replaced,
        "unchanged": info.unchanged,
        "rejected": info.rejected,
        "unknown_employees": len(info.unknown_employees),
    }


def do_set_calendar_day(actor: Any, day: date, workday: bool, note: str = "") -> CalendarDay:
    """Mark a day as a working day or a day off; ``actor`` None is the operator at the
    server's shell, audited as "system"."""
    if not may_set_calendar(actor):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        existing = CalendarDay.objects.select_for_update().filter(day=day).first()
        before = None if existing is None else _calendar_state(existing)
        entry, _created = CalendarDay.objects.update_or_create(
            day=day, defaults={"workday": workday, "note": note}
        )
        record(actor, "calendar.set", entry, before=before, after=_calendar_state(entry))
    return entry


def _calendar_state(entry: CalendarDay) -> dict[str, object]:
    return {"day": entry.day.isoformat(), "workday": entry.workday, "note": entry.note}


# --- the Data page's background work -------------------------------------------------------


def do_check_upload(
    actor: Any, source: str, upload: SavedUpload, *, quarantine: bool, lang: Lang
) -> ImportJob:
    """Start checking an uploaded file in the background; nothing is written to the lake."""
    from .tasks import check_job

    if not may_import_data(actor):
        raise PermissionDenied
    job = ImportJob.objects.create(
        user=actor, source=source, file_name=upload.name, upload=upload.token,
        quarantine=quarantine, lang=lang,
    )  # fmt: skip
    check_job.enqueue(job.pk)
    return job


def do_start_import(actor: Any, job: ImportJob) -> bool:
    """Import a checked file in the background, once; False when the job cannot be imported
    (not checked yet, refused, nothing new, or already started)."""
    from .tasks import import_job

    if not may_import_data(actor) or job.user_id != actor.pk:
        raise PermissionDenied
    if not job.can_be_imported():
        return False
    # One update that only a checked job passes: a second click imports nothing twice.
    started = ImportJob.objects.filter(pk=job.pk, stage=ImportJob.Stage.CHECKED).update(
        stage=ImportJob.Stage.IMPORTING, rows_read=0, share=None
    )
    if started:
        import_job.enqueue(job.pk)
    return bool(started)
