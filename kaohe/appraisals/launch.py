"""Creating a cycle and launching it: one appraisal per employee in scope, made by a
background task that reports its progress on the cycle. A launch that fails removes what it
made and leaves the cycle unlaunched, with the reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from kaohe.names import person_name
from kaohe.org.models import Department, Employee, Position, subtree_ids
from kaohe.schemes.library import default_version
from kaohe.schemes.models import SchemeVersion

from .models import Appraisal, BasePay, Cycle, CycleScheme, Transition
from .workflow import State

CHUNK = 1_000


def people_in_scope(departments: Iterable[Department | int]) -> QuerySet[Employee]:
    roots = [d if isinstance(d, int) else d.pk for d in departments]
    return Employee.objects.active().in_departments(subtree_ids(roots))


def positions_in_scope(departments: Iterable[Department | int]) -> list[Position]:
    ids = people_in_scope(departments).values_list("position_id", flat=True).distinct()
    return list(Position.objects.filter(pk__in=ids))


def make_cycle(
    user: Any,
    *,
    name: str,
    period: str,
    departments: list[Department],
    appeal_days: int = 7,
    deadlines: dict[str, str] | None = None,
) -> Cycle:
    """The cycle and one setting per position in scope, from the position's default
    scheme; a position without one is left for HR to decide. Call inside a transaction."""
    cycle = Cycle.objects.create(
        name=name,
        period=period,
        appeal_days=appeal_days,
        deadlines=deadlines or {},
        created_by=user,
    )
    cycle.departments.set(departments)
    for position in positions_in_scope(departments):
        CycleScheme.objects.create(
            cycle=cycle, position=position, version=default_version(position)
        )
    return cycle


def start_launch(cycle: Cycle, *, wait: bool = False) -> None:
    """Mark the cycle as launching and queue the task that makes its appraisals; with
    ``wait``, make them here and now instead (the demo does)."""
    updated = Cycle.objects.filter(pk=cycle.pk, status=Cycle.Status.DRAFT).update(
        status=Cycle.Status.LAUNCHING, launch_done=0, launch_total=0, launch_error=""
    )
    if not updated:
        return
    if wait:
        launch_cycle.call(cycle.pk)
    else:  # after commit, so that a worker never sees the cycle still a draft
        transaction.on_commit(lambda: launch_cycle.enqueue(cycle.pk))


@task()
def launch_cycle(cycle_id: int) -> int:
    cycle = Cycle.objects.get(pk=cycle_id)
    if cycle.status != Cycle.Status.LAUNCHING:
        return 0
    try:
        made = _make_appraisals(cycle)
    except Exception as error:
        Appraisal.objects.filter(cycle=cycle).delete()
        Cycle.objects.filter(pk=cycle.pk).update(
            status=Cycle.Status.DRAFT, launch_error=f"{type(error).__name__}: {error}"
        )
        raise
    SchemeVersion.objects.filter(
        pk__in=CycleScheme.objects.filter(cycle=cycle).values("version")
    ).update(frozen=True)
    Cycle.objects.filter(pk=cycle.pk).update(
        status=Cycle.Status.OPEN, launched_at=timezone.now(), launch_done=made
    )
    return made


def _make_appraisals(cycle: Cycle) -> int:
    schemes = {s.position_id: s for s in cycle.schemes.all() if s.version_id is not None}
    pays = dict(BasePay.objects.filter(cycle=cycle).values_list("employee_id", "amount"))
    people = people_in_scope(cycle.departments.all()).filter(position_id__in=list(schemes))
    already = set(Appraisal.objects.filter(cycle=cycle).values_list("employee_id", flat=True))
    Cycle.objects.filter(pk=cycle.pk).update(launch_total=people.count())
    done = len(already)
    chunk: list[Appraisal] = []
    for employee in people.only("id", "position_id", "manager_id").iterator(chunk_size=CHUNK):
        if employee.pk in already:
            continue
        setting = schemes[employee.position_id]
        chunk.append(
            Appraisal(
                cycle=cycle,
                employee_id=employee.pk,
                rater_id=employee.manager_id,
                version_id=setting.version_id,
                state=State.DRAFT,
                base_pay=pays.get(employee.pk, setting.base_pay),
            )
        )
        if len(chunk) >= CHUNK:
            done += _save(cycle, chunk)
            chunk = []
    if chunk:
        done += _save(cycle, chunk)
    return done


@transaction.atomic
def _save(cycle: Cycle, chunk: list[Appraisal]) -> int:
    made = Appraisal.objects.bulk_create(chunk)
    if made and made[0].pk is None:  # backends that do not return ids on bulk insert
        made = list(
            Appraisal.objects.filter(cycle=cycle, employee_id__in=[a.employee_id for a in chunk])
        )
    Transition.objects.bulk_create(
        Transition(
            appraisal=a,
            action="launch",
            source="",
            target=State.DRAFT,
            actor=cycle.created_by,
            actor_name=person_name(cycle.created_by),
        )
        for a in made
    )
    Cycle.objects.filter(pk=cycle.pk).update(launch_done=cycle_done(cycle) + len(made))
    return len(made)


def cycle_done(cycle: Cycle) -> int:
    return Cycle.objects.values_list("launch_done", flat=True).get(pk=cycle.pk)
