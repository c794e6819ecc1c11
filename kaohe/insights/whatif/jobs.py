"""Runs too long for a request go to the background: a task makes the run, reports how far
it has got on a ``WhatIfRun`` record and keeps the people there for the result page.

A run is long when it would score many people, or read many running appraisals' values
live: ``work_of`` counts the scorings (everyone under the changed scheme, and everyone
without a locked result, whose current score is provisional) and each live read twice,
which measured about as long as a scoring. Up to ``LONG_RUN`` — a finished cycle of 20,000
under one scheme, some two seconds on a quiet machine — it runs in the request.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone

from kaohe.appraisals.models import Cycle, Result
from kaohe.core import Text
from kaohe.insights import policy
from kaohe.insights.models import SavedWhatIf, WhatIfRun
from kaohe.org.policy import Access, access_for
from kaohe.schemes.models import SchemeVersion

from .run import Figures, Row, Run
from .service import read_change, run_whatif

logger = logging.getLogger("kaohe.insights")
LONG_RUN = 25_000
KEPT = timedelta(days=1)


def work_of(access: Access, cycle: Cycle, replaced: SchemeVersion) -> int:
    """How much a run would do, in scorings: see the module's docstring."""
    appraisals = policy.whatif_appraisals(access, cycle).order_by()
    changed = appraisals.filter(version_id=replaced.pk)
    provisional = appraisals.filter(~Exists(Result.objects.filter(appraisal=OuterRef("pk"))))
    live = (changed | provisional).filter(data_cutoff__isnull=True)
    return changed.count() + provisional.count() + 2 * live.count()


def is_long(access: Access, cycle: Cycle, replaced: SchemeVersion) -> bool:
    return work_of(access, cycle, replaced) > LONG_RUN


def start(
    actor: Any, cycle: Cycle, replaced: SchemeVersion, text: str, saved: SavedWhatIf | None = None
) -> WhatIfRun:
    """The record of a run to make in the background, queued once the request commits.
    Runs older than a day go: they are only ever a reader's page."""
    WhatIfRun.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
    made = WhatIfRun.objects.create(
        cycle=cycle, replaced=replaced, text=text, created_by=actor, saved=saved,
        total=policy.whatif_appraisals(access_for(actor), cycle).count(),
    )  # fmt: skip
    transaction.on_commit(lambda: make_run.enqueue(made.pk))
    return made


@task()
def make_run(run_id: int) -> str:
    """Make the run, reporting each thousand people; the status it ended in."""
    found = WhatIfRun.objects.select_related("cycle", "replaced", "created_by").get(pk=run_id)
    if found.status != WhatIfRun.Status.QUEUED:
        return str(found.status)
    WhatIfRun.objects.filter(pk=run_id).update(status=WhatIfRun.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        WhatIfRun.objects.filter(pk=run_id).update(done=done, total=total)

    try:
        changed = read_change(found.text, found.replaced)
        made = run_whatif(
            access_for(found.created_by), found.cycle, found.replaced, changed, progress
        )
    except Exception as error:  # kept on the record for the reader, and logged
        logger.exception("what-if run %s failed", run_id)
        WhatIfRun.objects.filter(pk=run_id).update(status=WhatIfRun.Status.FAILED, error=str(error))
        return str(WhatIfRun.Status.FAILED)
    WhatIfRun.objects.filter(pk=run_id).update(
        status=WhatIfRun.Status.DONE, done=len(made.rows), total=len(made.rows),
        result=as_data(made),
    )  # fmt: skip
    return str(WhatIfRun.Status.DONE)


# --- a run as the record keeps it ------------------------------------------------------------


def as_data(run: Run) -> dict[str, Any]:
    """The run as JSON: each row a list, in ``Row``'s order; decimals as exact strings."""
    return {
        "cycle": run.cycle_id,
        "replaced": run.replaced_id,
        "grades": run.grades,
        "old_grades": run.old_grades,
        "rows": [_row_data(row) for row in run.rows],
    }


def _row_data(row: Row) -> list[Any]:
    problem = None if row.problem is None else [row.problem.zh, row.problem.en]
    return [
        *row[:9], _text(row.base_pay), _figures_data(row.old), _figures_data(row.new),
        row.steps, problem,
    ]  # fmt: skip


def _figures_data(figures: Figures) -> list[Any]:
    return [_text(figures.total), figures.grade, _text(figures.pay)]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def run_of(data: dict[str, Any]) -> Run:
    rows = []
    for *head, base_pay, old, new, steps, problem in data["rows"]:
        rows.append(
            Row(
                *head,
                _decimal(base_pay),
                _figures(old),
                _figures(new),
                steps,
                None if problem is None else Text(*problem),
            )
        )
    return Run(data["cycle"], data["replaced"], rows, data["grades"], data["old_grades"])


def _figures(data: list[Any]) -> Figures:
    total, grade, pay = data
    return Figures(_decimal(total), grade, _decimal(pay))
