"""``/api/v1/cycles/{id}/pay…`` and ``/appraisals/{id}/report.pdf``: the pay list, its
budget and the exports, for payroll and BI, through the same policies as the Pay page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kaohe.appraisals.models import Cycle
from kaohe.org.models import Department
from kaohe.org.policy import access_for
from kaohe.pay import policy
from kaohe.pay.actions import (
    XLSX_TYPE,
    PayRefused,
    do_export_pay_list,
    do_export_report,
    do_set_budget,
)
from kaohe.pay.paylist import DepartmentCost, budget, pay_list

from .pages import Page, PageQuery, each, page_of

router = Router(tags=["pay"])


class PayRowOut(Schema):
    appraisal: int
    number: str
    name: str
    department: str
    position: str
    scheme: str  # code and version: "cs-agent v1"
    total: Decimal
    grade: str
    coefficient: Decimal
    base_pay: Decimal | None  # null where the caller may not see pay
    pay: Decimal | None  # base pay Q × coefficient, half-up to the fen
    version: int  # the result version; above 1 after an appeal adjusted it
    reason: str  # the adjustment's reason


class Rows:
    """A list as ``page_of`` reads a query: counted and sliced."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def count(self) -> int:
        return len(self.items)

    def __getitem__(self, chosen: slice) -> list[Any]:
        return self.items[chosen]


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    access = access_for(request)
    if not policy.can_open_pay_pages(access):
        raise PermissionDenied
    found = Cycle.objects.filter(pk=cycle_id).first()
    if found is None or found not in policy.cycles_for_pay(access):
        raise Http404
    return found


@router.get(
    "/cycles/{cycle_id}/pay-list",
    response=Page[PayRowOut],
    summary="The pay list: each locked result's latest version and the pay it gives",
    description="HR its scope and executives with pay; a manager their team without it.",
)
def pay_rows(request: HttpRequest, cycle_id: int, query: Query[PageQuery]) -> Any:
    cycle = _cycle(request, cycle_id)
    rows = pay_list(access_for(request), cycle).rows
    return page_of(
        Rows(rows),
        query,
        each(lambda r: PayRowOut(appraisal=r.appraisal_id, **_fields(r))),
    )


def _fields(row: Any) -> dict[str, Any]:
    names = ("number", "name", "department", "position", "scheme", "total", "grade",
             "coefficient", "base_pay", "pay", "version", "reason")  # fmt: skip
    return {name: getattr(row, name) for name in names}


class CostOut(Schema):
    department: str | None  # null for the total
    people: int
    final: int  # of them with a locked result
    scored: int  # of them with a complete score
    base_total: Decimal  # Σ base pay Q: the 100 % budget
    pay_total: Decimal  # Σ pay: final where locked, provisional otherwise
    budget: Decimal | None
    if_met: Decimal | None  # Σ pay if the cycle's guideline were met exactly


class BudgetOut(Schema):
    departments: list[CostOut]
    total: CostOut


def _cost(cost: DepartmentCost, *, total: bool = False) -> CostOut:
    return CostOut(
        department=None if total else cost.department,
        people=cost.people, final=cost.final, scored=cost.scored,
        base_total=cost.base_total, pay_total=cost.pay_total,
        budget=cost.budget, if_met=cost.if_met,
    )  # fmt: skip


@router.get(
    "/cycles/{cycle_id}/pay-budget",
    response=BudgetOut,
    summary="What the cycle's pay costs per department (HR, executives)",
)
def pay_budget(request: HttpRequest, cycle_id: int) -> Any:
    cycle = _cycle(request, cycle_id)
    access = access_for(request)
    if not policy.can_see_budget(access):
        raise PermissionDenied
    departments, total = budget(access, cycle)
    return BudgetOut(departments=[_cost(d) for d in departments], total=_cost(total, total=True))


class BudgetIn(Schema):
    department: str = Field(..., description="The department's path.")
    amount: Decimal | None = Field(..., ge=0, description="Yuan; null removes the budget.")


@router.put(
    "/cycles/{cycle_id}/pay-budget",
    response=BudgetOut,
    summary="Set a department's performance-pay budget (HR in scope)",
)
def set_pay_budget(request: HttpRequest, cycle_id: int, body: BudgetIn) -> Any:
    cycle = _cycle(request, cycle_id)
    department = Department.objects.filter(path=body.department).first()
    if department is None:
        raise HttpError(
            422, _("No department has the path “%(path)s”.") % {"path": body.department}
        )
    try:
        do_set_budget(request.user, cycle.pk, department.pk, body.amount)
    except PayRefused as refused:
        raise HttpError(422, str(refused)) from None
    return pay_budget(request, cycle_id)


class ExportQuery(Schema):
    lang: str = Field("zh", pattern="^(zh|en)$", description="zh or en")


def _binary(kind: str) -> dict[str, Any]:
    return {"responses": {200: {"description": "The file.",
                                "content": {kind: {"schema": {"type": "string",
                                                              "format": "binary"}}}}}}  # fmt: skip


@router.get(
    "/cycles/{cycle_id}/pay-list.xlsx",
    summary="The pay list as XLSX (考核结果及绩效工资表), recorded and audited",
    openapi_extra=_binary(XLSX_TYPE),
)
def pay_xlsx(request: HttpRequest, cycle_id: int, query: Query[ExportQuery]) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    return do_export_pay_list(request.user, cycle.pk, "xlsx", query.lang).response()  # type: ignore[arg-type]


@router.get(
    "/cycles/{cycle_id}/pay-list.csv",
    summary="The pay list as CSV (UTF-8 with BOM), recorded and audited",
    openapi_extra=_binary("text/csv"),
)
def pay_csv(request: HttpRequest, cycle_id: int, query: Query[ExportQuery]) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    return do_export_pay_list(request.user, cycle.pk, "csv", query.lang).response()  # type: ignore[arg-type]


@router.get(
    "/appraisals/{appraisal_id}/report.pdf",
    summary="One person's appraisal report as a PDF, in the requested language (audited)",
    openapi_extra=_binary("application/pdf"),
)
def report(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    try:
        return do_export_report(request.user, appraisal_id).response()
    except PermissionDenied:
        raise Http404 from None
