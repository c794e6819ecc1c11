"""Django's tasks on Celery, for installations that spread kaohe over several servers:
with ``KAOHE_TASKS=celery`` every task goes through Redis (``KAOHE_REDIS_URL``) to
whichever ``kaohe worker`` takes it first.

The task functions stay Django tasks (``@task()``) and their code does not change: a
Celery message carries only the task's import path and its arguments, and the worker runs
the same function the database queue would. Progress and outcomes are kept where they
always are — on the cycle or the job the work is about — so Celery keeps no results.
"""

from __future__ import annotations

import uuid
from typing import Any

from celery import Celery
from django.conf import settings
from django.tasks import Task, TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.utils import timezone
from django.utils.module_loading import import_string

RUN = "kaohe.run_task"

celery_app = Celery("kaohe")


def configure(app: Celery = celery_app) -> Celery:
    """Point the Celery app at the broker of the settings; called before the first message
    is sent and before the worker starts."""
    app.conf.update(
        broker_url=settings.REDIS_URL,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # A task is taken off the queue only once it has run, so that a worker that dies
        # mid-way leaves it for another; each worker takes one task at a time.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
    )
    return app


@celery_app.task(name=RUN)
def run_task(path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Run the Django task at ``path`` (``module.function``) in the worker."""
    task = import_string(path)
    if not isinstance(task, Task):
        raise TypeError(f"{path} is not a task")
    task.call(*args, **kwargs)


class CeleryBackend(BaseTaskBackend):
    """Sends each task to the Celery workers; they report on kaohe's own records."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        configure()  # made when the first task is queued, with the settings loaded

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[type-arg]
        self.validate_task(task)
        task_id = uuid.uuid4().hex
        run_task.apply_async((task.module_path, list(args), dict(kwargs)), task_id=task_id)
        return TaskResult(
            task=task,
            id=task_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
