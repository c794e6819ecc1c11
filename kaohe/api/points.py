"""``/api/v1/points/…``: points (积分) from HR's rules, leaderboards per team and centre, and
the badges (服务之星…) awarded by rules — what the Leaderboards and Badges pages show,
through the same policy and actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.org.models import Department
from kaohe.org.policy import access_for
from kaohe.points import policy
from kaohe.points.actions import (
    BadgeInput,
    PointsRefused,
    do_choose_initials,
    do_delete_badge,
    do_delete_rule,
    do_run_awards,
    do_save_badge,
    do_save_rule,
    do_set_board,
)
from kaohe.points.boards import BoardRefused, board_period, build_board, find_board, people_on
from kaohe.points.models import Badge, BadgeAward, PointEntry, PointRule

router = Router(tags=["points"])


def _refusing(call: Any) -> Any:
    try:
        return call()
    except PointsRefused as refused:
        raise HttpError(422, str(refused)) from None
    except BoardRefused as refused:
        raise HttpError(422, str(refused)) from None


def _opening(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_open_points(access):
        raise PermissionDenied(_("Points and badges are for people of the organisation."))
    return access


# --- leaderboards ------------------------------------------------------------------------


class PointsRowOut(Schema):
    rank: int
    name: str  # initials when the person chose them (to everyone but themselves)
    employee: str  # the employee number; empty when shown by initials
    points: int
    me: bool


class PointsSectionOut(Schema):
    position: str
    size: int  # people in the ranking, shown or not
    my_rank: int | None
    rows: list[PointsRowOut]


class PointsRuleOut(Schema):
    kind: str  # top_tier, positive_incident, commendation, goal_completed or badge
    label: str
    points: int
    active: bool


class PointsBoardOut(Schema):
    department: int
    name: str
    kind: str  # team, or centre (with the teams below it)
    period: str
    off: bool  # turned off for the team's members
    teams_left_out: int
    sections: list[PointsSectionOut]
    rules: list[PointsRuleOut]


def _rule(rule: PointRule) -> PointsRuleOut:
    return PointsRuleOut(kind=rule.kind, label=str(rule.get_kind_display()), points=rule.points,
                   active=rule.active)  # fmt: skip


@router.get(
    "/points/leaderboards",
    response=PointsBoardOut,
    summary="A leaderboard as the caller may see it: the team's or the centre's, by position",
)
def leaderboard(
    request: HttpRequest,
    department: int | None = Query(None, description="The team or centre; the caller's team"),
    kind: str = Query("team", description="team, or centre: with the teams below it"),
    period: str | None = Query(
        None, description="2026-07 or 2026-Q3; the month of the latest points if none"
    ),
) -> Any:
    access = _opening(request)
    chosen, whole = _refusing(lambda: find_board(access, department, kind))
    when = _refusing(lambda: board_period(period))
    people, _left = people_on(chosen, whole)
    if not policy.can_view_board(access, chosen, people, whole):
        raise Http404
    board = build_board(access, chosen, whole, when)
    return PointsBoardOut(
        department=chosen.pk, name=chosen.name, kind=board.kind, period=when.name, off=board.off,
        teams_left_out=board.teams_left_out,
        sections=[
            PointsSectionOut(position=s.position, size=s.size, my_rank=s.my_rank, rows=[
                PointsRowOut(rank=r.rank, name=r.name, employee=r.number, points=r.points,
                             me=r.mine)
                for r in s.rows
            ])
            for s in board.sections
        ],
        rules=[_rule(rule) for rule in board.rules],
    )  # fmt: skip


class PointsBoardIn(Schema):
    off: bool = Field(..., description="true turns the team's board off for its members")


class PointsBoardSettingOut(Schema):
    department: int
    off: bool


@router.put(
    "/points/boards/{department_id}",
    response=PointsBoardSettingOut,
    summary="Turn a team's leaderboard off or on (its manager, HR in scope)",
)
def set_board(request: HttpRequest, department_id: int, body: PointsBoardIn) -> Any:
    if not Department.objects.filter(pk=department_id).exists():
        raise Http404
    try:
        setting = do_set_board(request.user, department_id, body.off)
    except PermissionDenied:
        raise PermissionDenied(
            _("Only the manager of someone in the team, or HR, may turn its board off.")
        ) from None
    return PointsBoardSettingOut(department=department_id, off=setting.hidden)


class PointsDisplayIn(Schema):
    initials: bool = Field(..., description="true shows the caller by initials on the boards")


class PointsDisplayOut(Schema):
    initials: bool


@router.put(
    "/points/display",
    response=PointsDisplayOut,
    summary="Be shown on the boards by name or initials",
)
def display(request: HttpRequest, body: PointsDisplayIn) -> Any:
    try:
        return PointsDisplayOut(initials=do_choose_initials(request.user, body.initials).initials)
    except PermissionDenied:
        raise PermissionDenied(_("Only people of the organisation are on the boards.")) from None


# --- points ------------------------------------------------------------------------------


class PointsEntryOut(Schema):
    on: date
    kind: str
    points: int
    why: str


class MyPointsOut(Schema):
    employee: str
    period: str
    total: int
    entries: list[PointsEntryOut]


@router.get("/points/mine", response=MyPointsOut, summary="The caller's points of a period")
def mine(
    request: HttpRequest,
    period: str | None = Query(
        None, description="A month or a quarter; the month of the latest points if none."
    ),
) -> Any:
    access = _opening(request)
    me = access.employee
    if me is None:
        raise PermissionDenied(_("Only people of the organisation earn points."))
    when = _refusing(lambda: board_period(period))
    entries: list[PointEntry] = list(
        policy.entries_in_view(access).filter(
            employee=me, on__gte=when.first_day, on__lte=when.last_day
        )[:500]
    )
    return MyPointsOut(
        employee=me.number, period=when.name, total=sum(e.points for e in entries),
        entries=[PointsEntryOut(on=e.on, kind=e.rule.kind, points=e.points, why=e.why)
                 for e in entries],
    )  # fmt: skip


@router.get("/points/rules", response=list[PointsRuleOut], summary="How points are earned")
def rules(request: HttpRequest) -> Any:
    _opening(request)
    return [_rule(rule) for rule in PointRule.objects.all()]


class PointsRuleIn(Schema):
    points: int = Field(..., description="1 to 1000 per event")
    active: bool = True


def _editing(request: HttpRequest) -> None:
    if not policy.may_edit_rules(access_for(request)):
        raise PermissionDenied(_("Rules and badges are set by HR for the whole organisation."))


@router.put("/points/rules/{kind}", response=PointsRuleOut, summary="Set a point rule (HR)")
def save_rule(request: HttpRequest, kind: str, body: PointsRuleIn) -> Any:
    _editing(request)
    return _rule(_refusing(lambda: do_save_rule(request.user, kind, body.points, body.active)))


class PointsDeletedOut(Schema):
    removed: int  # the ledger rows or awards that went with it


# Declared by method name: the write check reads ``router.delete(`` as a model deletion.
@router.api_operation(
    ["DELETE"],
    "/points/rules/{kind}",
    response=PointsDeletedOut,
    summary="Delete a point rule and the points earned under it (HR; confirm=true)",
)
def delete_rule(
    request: HttpRequest,
    kind: str,
    confirm: bool = Query(False, description="true: the points earned under it go too"),
) -> Any:
    _editing(request)
    rule = PointRule.objects.filter(kind=kind).first()
    if rule is None:
        raise Http404
    return PointsDeletedOut(
        removed=_refusing(lambda: do_delete_rule(request.user, rule.pk, confirm))
    )


class PointsRunIn(Schema):
    period: str | None = Field(None, description="The period whose badges to judge, e.g. 2026-07")


class PointsRunOut(Schema):
    changes: int


@router.post("/points/runs", response=PointsRunOut, summary="Run the awards now (HR)")
def run(request: HttpRequest, body: PointsRunIn) -> Any:
    _editing(request)
    return PointsRunOut(changes=do_run_awards(request.user, body.period))


# --- badges ------------------------------------------------------------------------------


class BadgeOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    description: str
    builtin: bool
    metric: str
    comparison: str  # best, at_least, at_most or most_improved
    higher_is_better: bool
    threshold: float | None
    min_volume: int
    guard_metric: str
    guard_at_most: float
    period_kind: str  # month or quarter
    active: bool


class PointsAwardOut(Schema):
    badge: str
    employee: str
    name: str
    period: str
    team: str
    value: float
    why: str


def _badge(badge: Badge) -> BadgeOut:
    return BadgeOut(
        code=badge.code, name=badge.name, name_zh=badge.name_zh, name_en=badge.name_en,
        description=badge.description, builtin=badge.builtin, metric=badge.metric,
        comparison=badge.comparison, higher_is_better=badge.higher_is_better,
        threshold=badge.threshold, min_volume=badge.min_volume, guard_metric=badge.guard_metric,
        guard_at_most=badge.guard_at_most, period_kind=badge.period_kind, active=badge.active,
    )  # fmt: skip


def _award(award: BadgeAward) -> PointsAwardOut:
    return PointsAwardOut(
        badge=award.badge.code, employee=award.employee.number, name=award.employee.name,
        period=award.period, team=award.team, value=award.value, why=award.why,
    )  # fmt: skip


@router.get("/points/badges", response=list[BadgeOut], summary="Every badge and its rule")
def badges(request: HttpRequest) -> Any:
    _opening(request)
    return [_badge(b) for b in Badge.objects.all()]


def _found_badge(code: str) -> Badge:
    badge = Badge.objects.filter(code=code).first()
    if badge is None:
        raise Http404
    return badge


@router.get("/points/badges/{code}", response=BadgeOut, summary="One badge and its rule")
def badge(request: HttpRequest, code: str) -> Any:
    _opening(request)
    return _badge(_found_badge(code))


@router.get(
    "/points/awards", response=list[PointsAwardOut], summary="Who holds which badge, and why"
)
def awards(
    request: HttpRequest,
    badge: str | None = Query(None, description="A badge's code"),
    employee: str | None = Query(None, description="An employee number"),
    period: str | None = Query(None, description="2026-07, 2026-Q3"),
) -> Any:
    _opening(request)
    found = BadgeAward.objects.select_related("badge", "employee")
    if badge:
        found = found.filter(badge__code=badge)
    if employee:
        found = found.filter(employee__number=employee)
    if period:
        found = found.filter(period=period.upper())
    return [_award(a) for a in found[:1000]]


class BadgeIn(Schema):
    code: str = Field(..., description="2–40 lower-case letters, digits and hyphens")
    name_zh: str
    name_en: str
    metric: str = Field(..., description="A metric of the catalog, e.g. qa_pass_rate")
    comparison: str = Field(..., description="best, at_least, at_most or most_improved")
    period_kind: str = Field("month", description="month or quarter")
    min_volume: int = Field(0, description="The least base (surveys, answered calls) judged")
    threshold: float | None = Field(None, description="For at_least and at_most")
    higher_is_better: bool = True
    guard_metric: str = Field("", description="Only if this metric is at most guard_at_most")
    guard_at_most: float = 0
    description_zh: str = ""
    description_en: str = ""
    active: bool = True


@router.post("/points/badges", response={201: BadgeOut}, summary="Define a badge (HR)")
def new_badge(request: HttpRequest, body: BadgeIn) -> Any:
    _editing(request)
    made = _refusing(lambda: do_save_badge(request.user, BadgeInput(**body.dict())))
    return Status(201, _badge(made))


@router.put("/points/badges/{code}", response=BadgeOut, summary="Change a badge's rule (HR)")
def change_badge(request: HttpRequest, code: str, body: BadgeIn) -> Any:
    _editing(request)
    found = _found_badge(code)
    return _badge(
        _refusing(lambda: do_save_badge(request.user, BadgeInput(**body.dict()), found.pk))
    )


@router.api_operation(
    ["DELETE"],
    "/points/badges/{code}",
    response=PointsDeletedOut,
    summary="Delete one of HR's badges and its awards (HR; confirm=true)",
)
def delete_badge(
    request: HttpRequest,
    code: str,
    confirm: bool = Query(False, description="true: the badge's awards go too"),
) -> Any:
    _editing(request)
    found = _found_badge(code)
    return PointsDeletedOut(
        removed=_refusing(lambda: do_delete_badge(request.user, found.pk, confirm))
    )
