"""``GET /api/v1/tasks/{id}``: how far a piece of background work has got.

The work reports its progress on the record it is about — a launching cycle counts the
appraisals made, a Data-page job the rows read — so a task is read from that record, and
answers the same whichever queue ran it (the database's or Celery's). An id names the kind
of work and its record: ``cycle-launch-12`` is the launch of cycle 12 (the latest one, if a
failed launch was started again), ``data-job-7`` the check or import of Data-page job 7.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router, Schema

from kaohe.appraisals import policy as appraisals
from kaohe.appraisals.models import Cycle
from kaohe.data.models import ImportJob
from kaohe.data.policy import may_import_data
from kaohe.i18n import current_lang
from kaohe.org.policy import access_for

router = Router(tags=["tasks"])

TaskStatus = Literal["queued", "running", "succeeded", "failed"]
TASK_ID = re.compile(r"(cycle-launch|data-job)-([1-9][0-9]{0,17})")


class TaskOut(Schema):
    id: str
    kind: str  # cycle_launch, data_check or data_import
    status: TaskStatus
    done: int  # appraisals made, or rows read, so far
    total: int | None  # of how many, where known
    detail: str  # what is happening, or why it failed, in the requested language
    result: dict[str, Any]  # when it succeeded: what it made
    target: str  # the address of what the work is about: the cycle, or the job's page


def launch_task_id(cycle: Cycle) -> str:
    return f"cycle-launch-{cycle.pk}"


def task_url(task_id: str) -> str:
    return reverse("api-v1:task", kwargs={"task_id": task_id})


@router.get(
    "/tasks/{task_id}",
    response=TaskOut,
    url_name="task",
    summary="Follow background work: a cycle's launch, or a Data-page check or import",
    description="Poll until the status is succeeded or failed. A launch is followed by HR "
    "who manage its cycle, a Data-page job by the person who uploaded the file; anyone "
    "else is 403 (not HR) or 404, as for an id of no task.",
)
def task(request: HttpRequest, task_id: str) -> Any:
    matched = TASK_ID.fullmatch(task_id)
    if matched is None:
        raise Http404
    kind, pk = matched.group(1), int(matched.group(2))
    if kind == "cycle-launch":
        return _launch(request, pk)
    return _data_job(request, pk)


def _launch(request: HttpRequest, pk: int) -> TaskOut:
    access = access_for(request)
    if not appraisals.can_manage_cycles(access):
        raise PermissionDenied(_("Only HR manages appraisal cycles."))
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None or not appraisals.can_manage_cycle(access, cycle):
        raise Http404
    status: TaskStatus
    if cycle.status == Cycle.Status.LAUNCHING:
        status = "running" if cycle.launch_total else "queued"
        detail = _("Making the appraisals: %(done)d of %(total)d.") % {
            "done": cycle.launch_done,
            "total": cycle.launch_total,
        }
    elif cycle.launched_at is not None:
        status, detail = "succeeded", _("The cycle is launched.")
    elif cycle.launch_error:
        status = "failed"
        detail = _("The launch failed and was undone: %(error)s") % {"error": cycle.launch_error}
    else:  # a draft never launched: there is no such task
        raise Http404
    made = {"cycle": cycle.pk, "appraisals": cycle.launch_done} if status == "succeeded" else {}
    return TaskOut(
        id=launch_task_id(cycle),
        kind="cycle_launch",
        status=status,
        done=cycle.launch_done,
        total=cycle.launch_total or None,
        detail=detail,
        result=made,
        target=reverse("api-v1:cycle", kwargs={"cycle_id": cycle.pk}),
    )


JOB_STATUS: dict[str, TaskStatus] = {
    ImportJob.Stage.CHECKING: "running",
    ImportJob.Stage.IMPORTING: "running",
    ImportJob.Stage.CHECKED: "succeeded",
    ImportJob.Stage.DONE: "succeeded",
    ImportJob.Stage.FAILED: "failed",
}


def _data_job(request: HttpRequest, pk: int) -> TaskOut:
    if not may_import_data(request.user):
        raise PermissionDenied(_("Only HR for the whole organisation brings data into kaohe."))
    job = ImportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        raise Http404
    importing = job.stage in (ImportJob.Stage.IMPORTING, ImportJob.Stage.DONE)
    status = JOB_STATUS[job.stage]
    if job.error:
        detail = job.error.get(current_lang(), "")  # as the job's page shows it
    elif job.problem_total:
        count = job.problem_total  # worded as on the job's page
        detail = ngettext(
            "%(counter)s problem; nothing was imported.",
            "%(counter)s problems; nothing was imported.",
            count,
        ) % {"counter": count}
    else:
        detail = str(job.get_stage_display())
    return TaskOut(
        id=f"data-job-{job.pk}",
        kind="data_import" if importing else "data_check",
        status=status,
        done=job.rows_read,
        total=None,
        detail=detail,
        result=_counts(job.result) if status == "succeeded" else {},
        target=reverse("data-job", kwargs={"pk": job.pk}),
    )


def _counts(result: dict[str, Any]) -> dict[str, int]:
    """The job's counts (rows read, new, replaced, unchanged, rejected); not the names of
    the report files the server keeps."""
    return {name: value for name, value in result.items() if isinstance(value, int)}
