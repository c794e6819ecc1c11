"""``/api/v1/insights/what-if``: a changed scheme tried on a cycle — the same figures as the
What-if page, its people a page at a time — and the saved runs, through the same policies
and actions as the pages (HR only, over their scope)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.appraisals.models import Cycle
from kaohe.i18n import current_lang
from kaohe.insights import policy
from kaohe.insights.actions import SaveWhatIf, do_delete_whatif, do_export_whatif, do_save_whatif
from kaohe.insights.models import SavedWhatIf
from kaohe.insights.whatif import (
    Changed,
    DepartmentPay,
    Figures,
    Row,
    Run,
    Summary,
    WhatIfRefused,
    chosen_rows,
    find_scheme,
    read_change,
    run_whatif,
    summarise,
)
from kaohe.org.policy import access_for
from kaohe.pay.actions import XLSX_TYPE
from kaohe.schemes.models import SchemeVersion

from .auth import callers
from .errors import ValidationProblem
from .pages import Page, PageQuery, each, page_of
from .pay import ExportQuery, Rows

router = Router(tags=["insights"])

Movement = Literal["up", "down", "same", "unscored"]
SortBy = Literal["number", "change", "steps", "pay"]


class WhatIfIn(Schema):
    cycle: int = Field(..., description="The cycle's id.")
    scheme: str = Field("", description="The code of the cycle's scheme to change…")
    position: str = Field("", description="…or a position whose people it appraises.")
    text: str = Field(..., description="The changed scheme, as YAML (docs/schemes.md).")


class WhatIfPeopleQuery(PageQuery):
    movement: Movement | None = Field(None, description="Only those who moved so.")
    everyone: bool = Field(False, description="Also the people of the cycle's other schemes.")
    q: str = Field("", max_length=100, description="A name or employee number, or part.")
    sort: SortBy = "number"
    descending: bool = False


class WhatIfFiguresOut(Schema):
    total: Decimal | None  # null: no complete score
    grade: str  # empty without a total
    pay: Decimal | None  # base pay Q × the grade's coefficient; null without Q or a total


class WhatIfPersonOut(Schema):
    appraisal: int
    number: str
    name: str
    department: str
    scheme: str  # the version the person is appraised under: "cs-agent v1"
    changed: bool  # under the changed scheme (else their figures are kept)
    locked: bool  # old is a locked result (else the provisional score)
    frozen: bool | None  # scored again from the frozen snapshot (false: read live)
    base_pay: Decimal | None
    old: WhatIfFiguresOut
    new: WhatIfFiguresOut
    grades_moved: int | None  # up positive; null when either side has no grade
    movement: Movement
    problem: str | None  # why the changed scheme gives no total, in the requested language


class WhatIfGradeOut(Schema):
    grade: str
    old: int
    new: int
    minimum: int | None  # the guideline's range for the new population
    maximum: int | None
    old_within: bool | None
    new_within: bool | None


class WhatIfStepsOut(Schema):
    grades: int  # up positive
    people: int


class WhatIfDepartmentPayOut(Schema):
    department: str | None  # null for the total
    people: int  # with a base pay
    old: Decimal  # Σ performance pay now
    new: Decimal  # Σ under the changed scheme
    change: Decimal
    change_percent: Decimal | None
    budget: Decimal | None  # HR's budget, where set
    unpaid_old: int  # with a base pay but no complete score now
    unpaid_new: int


class WhatIfSummaryOut(Schema):
    people: int  # in the caller's scope
    changed: int  # under the changed scheme
    frozen: int
    live: int
    locked: int
    up: int
    down: int
    same: int
    unscored: int
    no_new_total: int
    steps: list[WhatIfStepsOut]
    mean_change: Decimal | None
    grades: list[WhatIfGradeOut]
    guideline: str | None
    guideline_fits: bool
    old_within: bool | None
    new_within: bool | None
    departments: list[WhatIfDepartmentPayOut]
    total: WhatIfDepartmentPayOut


class WhatIfOut(Schema):
    cycle: int
    scheme: str  # the version replaced
    summary: WhatIfSummaryOut
    people: Page[WhatIfPersonOut]


class WhatIfSavedOut(Schema):
    id: int
    name: str
    cycle: int
    scheme: str
    text: str
    saved_by: str
    saved_at: datetime
    summary: dict[str, Any]  # the figures as they were when saved (decimals as strings)


class WhatIfDeletedOut(Schema):
    id: int
    deleted: bool


class WhatIfSaveIn(WhatIfIn):
    name: str = Field(..., max_length=200)


# --- helpers --------------------------------------------------------------------------------


def _file(kind: str) -> dict[str, Any]:
    """The OpenAPI answer of an endpoint that sends a file."""
    content = {kind: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {200: {"description": "The file.", "content": content}}}


def _access(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_simulate(access):
        raise PermissionDenied(_("Only HR runs what-ifs."))
    return access


def _target(request: HttpRequest, body: WhatIfIn) -> tuple[Cycle, SchemeVersion, Changed]:
    access = _access(request)
    cycle = policy.whatif_cycles(access).filter(pk=body.cycle).first()
    if cycle is None:  # a field of the body, not the path: the document's 422, naming it
        reason = _("No launched cycle with this id holds anyone you may see.")
        raise ValidationProblem([{"field": "cycle", "reason": reason}])
    try:
        replaced = find_scheme(access, cycle, code=body.scheme.strip(),
                               position=body.position.strip())  # fmt: skip
        changed = read_change(body.text, replaced)
    except WhatIfRefused as refused:
        raise HttpError(422, str(refused)) from None
    if not changed.usable:
        raise ValidationProblem([
            {"field": "text", "reason": f"{f['where']}: {f['message']}" if f["where"]
             else f["message"]}
            for f in changed.errors
        ])  # fmt: skip
    return cycle, replaced, changed


def _figures(figures: Figures) -> WhatIfFiguresOut:
    return WhatIfFiguresOut(total=figures.total, grade=figures.grade, pay=figures.pay)


def _person(row: Row) -> WhatIfPersonOut:
    return WhatIfPersonOut(
        appraisal=row.appraisal_id, number=row.number, name=row.name,
        department=row.department, scheme=row.scheme, changed=row.changed, locked=row.locked,
        frozen=row.frozen, base_pay=row.base_pay, old=_figures(row.old), new=_figures(row.new),
        grades_moved=row.steps, movement=row.movement,  # type: ignore[arg-type]
        problem=row.problem(current_lang()) if row.problem else None,
    )  # fmt: skip


def _cost(cost: DepartmentPay, *, total: bool = False) -> WhatIfDepartmentPayOut:
    return WhatIfDepartmentPayOut(
        department=None if total else cost.department, people=cost.people, old=cost.old,
        new=cost.new, change=cost.change, change_percent=cost.change_percent,
        budget=cost.budget, unpaid_old=cost.unpaid_old, unpaid_new=cost.unpaid_new,
    )  # fmt: skip


def _summary(summary: Summary) -> WhatIfSummaryOut:
    return WhatIfSummaryOut(
        people=summary.people, changed=summary.changed, frozen=summary.frozen,
        live=summary.live, locked=summary.locked, up=summary.up, down=summary.down,
        same=summary.same, unscored=summary.unscored, no_new_total=summary.no_new_total,
        steps=[WhatIfStepsOut(grades=k, people=v) for k, v in summary.steps.items()],
        mean_change=summary.mean_change,
        grades=[WhatIfGradeOut(grade=g.grade, old=g.old, new=g.new, minimum=g.minimum,
                         maximum=g.maximum, old_within=g.old_within, new_within=g.new_within)
                for g in summary.grades],
        guideline=summary.guideline or None, guideline_fits=summary.guideline_fits,
        old_within=summary.old_within, new_within=summary.new_within,
        departments=[_cost(d) for d in summary.departments],
        total=_cost(summary.total, total=True),
    )  # fmt: skip


def _answer(run: Run, cycle: Cycle, replaced: SchemeVersion, query: WhatIfPeopleQuery) -> WhatIfOut:
    rows = chosen_rows(
        run.rows, movement=query.movement or "", everyone=query.everyone, search=query.q,
        sort=query.sort, descending=query.descending,
    )  # fmt: skip
    return WhatIfOut(
        cycle=cycle.pk,
        scheme=str(replaced),
        summary=_summary(summarise(run, cycle)),
        people=page_of(Rows(rows), query, each(_person)),  # type: ignore[arg-type]
    )


def _saved_out(saved: SavedWhatIf) -> WhatIfSavedOut:
    return WhatIfSavedOut(
        id=saved.pk, name=saved.name, cycle=saved.cycle_id, scheme=str(saved.replaced),
        text=saved.text, saved_by=saved.created_by_name, saved_at=saved.created_at,
        summary=saved.summary,
    )  # fmt: skip


def _saved(request: HttpRequest, saved_id: int) -> SavedWhatIf:
    found = (
        policy.saved_whatifs_in_view(_access(request))
        .select_related("cycle", "replaced")
        .filter(pk=saved_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- endpoints ------------------------------------------------------------------------------


@router.post(
    "/insights/what-if",
    response=WhatIfOut,
    summary="Try a changed scheme on a cycle: everyone's old and new figures, nothing written",
    description="HR only, over their scope. The scheme to change is named by its code or by "
    "a position it appraises; the people are paged and may be filtered and sorted. It "
    "writes nothing, so a read token may call it.",
    auth=callers(changes_nothing=True),
)
def what_if(request: HttpRequest, body: WhatIfIn, query: Query[WhatIfPeopleQuery]) -> Any:
    cycle, replaced, changed = _target(request, body)
    run = run_whatif(access_for(request), cycle, replaced, changed)
    return _answer(run, cycle, replaced, query)


@router.get(
    "/insights/what-if/saved",
    response=Page[WhatIfSavedOut],
    summary="The saved what-ifs the caller may open, newest first",
)
def saved_list(request: HttpRequest, query: Query[PageQuery]) -> Any:
    found = policy.saved_whatifs_in_view(_access(request)).select_related("replaced")
    return page_of(found, query, each(_saved_out))


@router.post(
    "/insights/what-if/saved",
    response={201: WhatIfSavedOut},
    summary="Save a what-if: the changed scheme and its summary figures (audited)",
)
def save(request: HttpRequest, body: WhatIfSaveIn) -> Any:
    cycle, replaced, changed = _target(request, body)
    given = SaveWhatIf(body.name, cycle.pk, replaced.pk, changed.text)
    try:
        saved = do_save_whatif(request.user, given)
    except WhatIfRefused as refused:
        raise HttpError(422, str(refused)) from None
    return Status(201, _saved_out(saved))


# The files first: ``/saved/12.xlsx`` is not a run's id.


@router.get(
    "/insights/what-if/saved/{saved_id}.xlsx",
    summary="A saved what-if as XLSX, run again now (audited)",
    openapi_extra=_file(XLSX_TYPE),
)
def saved_xlsx(request: HttpRequest, saved_id: int, query: Query[ExportQuery]) -> HttpResponse:
    saved = _saved(request, saved_id)
    return do_export_whatif(request.user, saved.pk, "xlsx", query.lang).response()  # type: ignore[arg-type]


@router.get(
    "/insights/what-if/saved/{saved_id}.csv",
    summary="A saved what-if's people as CSV (UTF-8 with BOM), run again now (audited)",
    openapi_extra=_file("text/csv"),
)
def saved_csv(request: HttpRequest, saved_id: int, query: Query[ExportQuery]) -> HttpResponse:
    saved = _saved(request, saved_id)
    return do_export_whatif(request.user, saved.pk, "csv", query.lang).response()  # type: ignore[arg-type]


class WhatIfSavedRunOut(WhatIfOut):
    saved: WhatIfSavedOut


@router.get(
    "/insights/what-if/saved/{saved_id}",
    response=WhatIfSavedRunOut,
    summary="A saved what-if, run again on the cycle's data as it is now",
)
def saved_run(request: HttpRequest, saved_id: int, query: Query[WhatIfPeopleQuery]) -> Any:
    saved = _saved(request, saved_id)
    changed = read_change(saved.text, saved.replaced)
    run = run_whatif(access_for(request), saved.cycle, saved.replaced, changed)
    answer = _answer(run, saved.cycle, saved.replaced, query)
    return WhatIfSavedRunOut(**answer.dict(), saved=_saved_out(saved))


# Declared by method name: the write check reads ``router.delete(`` as a model deletion.
@router.api_operation(
    ["DELETE"],
    "/insights/what-if/saved/{saved_id}",
    response=WhatIfDeletedOut,
    summary="Delete a saved what-if (audited); the cycle and its results are untouched",
)
def delete(request: HttpRequest, saved_id: int) -> Any:
    saved = _saved(request, saved_id)
    do_delete_whatif(request.user, saved.pk)
    return WhatIfDeletedOut(id=saved_id, deleted=True)
