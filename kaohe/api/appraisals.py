"""``/api/v1/appraisals``: the appraisals the caller may see, as the appraisal list shows
them, with pay only where the caller may see it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kaohe.appraisals import policy
from kaohe.appraisals.listing import NewestCycleFirst
from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.workflow import STATE_LABELS, State
from kaohe.org.policy import access_for

from .pages import Page, PageQuery

router = Router(tags=["appraisals"])


class AppraisalFilters(PageQuery):
    cycle: int | None = Field(None, description="A cycle's id.")
    state: State | None = Field(None, description="A workflow state, e.g. manager_review.")
    employee: str = Field("", description="An employee number.")
    waiting_on_me: bool = Field(False, description="Only those that wait on the caller.")


class CycleRef(Schema):
    id: int
    name: str
    period: str


class PersonRef(Schema):
    number: str
    name: str


class ResultOut(Schema):
    version: int  # 1, then one more for each appeal's new version
    total: Decimal
    grade: str
    coefficient: Decimal
    pay: Decimal | None  # null where the caller may not see pay, or no base pay was set


class AppraisalRow(Schema):
    id: int
    employee: PersonRef
    cycle: CycleRef
    state: str
    state_label: str  # in the requested language
    waiting_on_me: bool
    result: ResultOut | None  # the latest recorded result; null before one is recorded


@router.get(
    "/appraisals",
    response=Page[AppraisalRow],
    summary="The appraisals the caller may see",
    description="Newest cycle first, then by employee number, as the appraisal list shows "
    "them. Pay is shown where the caller may see it: to the employee, HR in scope and "
    "executive viewers.",
)
def appraisals(request: HttpRequest, filters: Query[AppraisalFilters]) -> Any:
    access = access_for(request)
    found = policy.visible_appraisals(access)
    if filters.cycle is not None:
        found = found.filter(cycle_id=filters.cycle)
    if filters.state is not None:
        found = found.filter(state=filters.state)
    if filters.employee:
        found = found.filter(employee__number=filters.employee)
    if filters.waiting_on_me:
        found = found.filter(policy.waiting_on(access))
    ordered = NewestCycleFirst(found)
    count = ordered.count()
    start = (filters.page - 1) * filters.page_size
    ids = ordered[start : start + filters.page_size] if start < count else []
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": -(-count // filters.page_size),
        "results": _rows(access, ids),
    }


def _rows(access: Any, ids: list[int]) -> list[AppraisalRow]:
    loaded = Appraisal.objects.select_related("employee", "cycle").in_bulk(ids)
    listed = [loaded[pk] for pk in ids if pk in loaded]
    mine = policy.waiting_on_among(access, listed)
    pay_shown = policy.pay_visible_among(access, listed)
    latest: dict[int, Result] = {}
    for result in Result.objects.filter(appraisal_id__in=ids).order_by("number"):
        latest[result.appraisal_id] = result  # the highest number wins
    return [
        AppraisalRow(
            id=a.pk,
            employee=PersonRef(number=a.employee.number, name=a.employee.name),
            cycle=CycleRef(id=a.cycle_id, name=a.cycle.name, period=a.cycle.period),
            state=a.state,
            state_label=str(STATE_LABELS[State(a.state)]),
            waiting_on_me=a.pk in mine,
            result=_result(latest.get(a.pk), a.pk in pay_shown),
        )
        for a in listed
    ]


def _result(result: Result | None, pay_shown: bool) -> ResultOut | None:
    if result is None:
        return None
    return ResultOut(
        version=result.number,
        total=result.total,
        grade=result.grade,
        coefficient=result.coefficient,
        pay=result.pay if pay_shown else None,
    )
