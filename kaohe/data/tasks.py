"""Background tasks of the Data page: checking an uploaded file, then importing it.

A large file takes longer than a web request may (gunicorn gives a request 30 s), so the
page queues the work and polls the job for its progress. Each task records on its
``ImportJob`` how far it got and, at the end, the counts or the problems.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.tasks import task
from django.utils import timezone

from kaohe.metrics import BatchInfo, ImportRefused, MetricsError, RowProblem
from kaohe.uploads import remove_upload, upload_path

from .models import DataBatch, ImportJob

log = logging.getLogger("kaohe.data")

Stage = ImportJob.Stage
PROGRESS_EVERY = 0.5  # seconds between progress writes
GONE = {
    "zh": "上传的文件已过期被删除；请重新上传",
    "en": "The uploaded file has expired and was removed; upload it again",
}


@task()
def check_job(job_id: int) -> str:
    """Check the job's file and count what importing it would do; writes nothing."""
    from .services import preview_import

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    return _run(job, Stage.CHECKED, lambda path, progress: preview_import(
        job.user, job.source, path, job.file_name, quarantine=job.quarantine, progress=progress
    ))  # fmt: skip


@task()
def import_job(job_id: int) -> str:
    """Import the job's checked file into the lake and record the batch."""
    from .actions import do_import_data

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    stage = _run(job, Stage.DONE, lambda path, progress: do_import_data(
        job.user, job.source, path, job.file_name, quarantine=job.quarantine,
        progress=progress, lang=job.lang,  # type: ignore[arg-type]
    ))  # fmt: skip
    if stage == Stage.DONE:
        remove_upload(job.upload)
    return stage


def _run(job: ImportJob, success: str, work: Any) -> str:
    """Run ``work(path, progress)`` for the job and record how it ended; returns the stage."""
    path = upload_path(job.upload)
    if path is None:
        return _finish(job, stage=Stage.FAILED, error=GONE)
    try:
        outcome = work(path, _progress(job))
    except ImportRefused as refused:
        # A refused check is a finished check; a refused import (the file was checked
        # with other settings, or the lake changed meanwhile) is a failed one.
        stage = Stage.CHECKED if success == Stage.CHECKED else Stage.FAILED
        return _finish(
            job, stage=stage, problems=[_problem(p) for p in refused.problems],
            problem_total=refused.total,
        )  # fmt: skip
    except MetricsError as error:
        return _finish(job, stage=Stage.FAILED, error={"zh": error.text.zh, "en": error.text.en})
    except Exception:
        log.exception("import job %s failed", job.pk)
        failed = {
            "zh": "处理文件时出错；详情见服务器日志",
            "en": "Something went wrong; see the log",
        }
        return _finish(job, stage=Stage.FAILED, error=failed)
    return _finish(job, stage=success, **_outcome(outcome))


def _outcome(outcome: DataBatch | BatchInfo) -> dict[str, Any]:
    names = ("rows_read", "accepted", "replaced", "unchanged", "rejected", "unknown_employees")
    result = {name: getattr(outcome, name) for name in names}
    result["report_file"] = getattr(outcome, "report_file", "")
    result["quarantine_file"] = getattr(outcome, "quarantine_file", "")
    result["sentiment_model"] = outcome.sentiment_model  # "" when nothing was scored
    found: dict[str, Any] = {"result": result, "rows_read": result["rows_read"], "share": 1.0}
    if isinstance(outcome, DataBatch):
        found["batch"] = outcome  # the check's problems stay on the job
    else:  # a check, with quarantine: the rows that would be set aside
        found["problems"] = [_problem(p) for p in outcome.problems]
        found["problem_total"] = outcome.rejected
    return found


def _problem(problem: RowProblem) -> dict[str, object]:
    return {
        "line": problem.line,
        "field": problem.field,
        "zh": problem.reason.zh,
        "en": problem.reason.en,
    }


def _finish(job: ImportJob, **fields: Any) -> str:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return str(job.stage)


def _progress(job: ImportJob) -> Any:
    """A progress callback that writes the rows read and the share to the job, at most
    every PROGRESS_EVERY seconds, so that the page can show them."""
    last = [0.0]

    def report(rows: int, share: float | None) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        ImportJob.objects.filter(pk=job.pk).update(
            rows_read=rows, share=share, updated_at=timezone.now()
        )

    return report
