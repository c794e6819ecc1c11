"""``/api/v1/calibration/…`` and a cycle's guideline: calibration sessions as their pages
show and run them — the people side by side, the distribution with its quotas, the rater
flags, moves, potential, the guideline and closing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.analytics import DEFAULT_MINIMUM_POPULATION
from kaohe.calibration import policy
from kaohe.calibration.actions import (
    CalibrationRefused,
    GuidelineInput,
    MoveInput,
    SessionData,
    do_close_session,
    do_move,
    do_open_session,
    do_rate_potential,
    do_set_cycle_guideline,
    do_set_session_guideline,
)
from kaohe.calibration.board import Board, board
from kaohe.calibration.models import Session
from kaohe.names import person_name
from kaohe.org.models import Department, Position
from kaohe.org.policy import access_for

router = Router(tags=["calibration"])


class SessionOut(Schema):
    id: int
    name: str
    cycle: int
    cycle_name: str
    status: str  # open or closed
    facilitator: str
    participants: list[str]
    people: int
    created_at: datetime
    closed_at: datetime | None


class QuotaOut(Schema):
    grade: str
    people: int
    minimum: int  # the fewest the guideline allows
    maximum: int  # the most it allows: "A: 4 of 5 allowed"
    if_met: int  # the places if the guideline were met exactly
    share: str  # as the guideline says it: "10–20 %"
    within: bool


class DistributionOut(Schema):
    counts: dict[str, int]  # grade → people with a complete score
    counted: int
    guideline: list[QuotaOut] | None
    enforced: bool
    enforceable: bool  # enforced and the population at least the minimum
    minimum_population: int
    broken: bool
    blocks_closing: bool


class FlagOut(Schema):
    kind: str  # lenient, severe, central, halo or self_gap
    rater: str
    text: str  # one sentence, in the requested language


class PersonOut(Schema):
    appraisal: int
    number: str
    name: str
    department: str
    manager: str | None
    state: str
    total: Decimal | None  # calibrated, provisional until the result is locked
    grade: str | None
    calibration: Decimal  # the points the total is moved by
    dimensions: dict[str, Decimal | None]  # dimension id → score
    self_gap: float | None  # self levels − the manager's, mean over items both rated
    potential: int | None  # 1 low … 3 high
    movable: bool  # at calibration: may be moved now
    flags: list[str]  # the kinds of flag on the person's rater


class SessionDetailOut(SessionOut):
    distribution: DistributionOut
    flags: list[FlagOut]
    members: list[PersonOut]


def session_out(session: Session) -> SessionOut:
    return SessionOut(
        id=session.pk,
        name=session.name,
        cycle=session.cycle_id,
        cycle_name=session.cycle.name,
        status=session.status,
        facilitator=person_name(session.facilitator),
        participants=[person_name(p) for p in session.participants.all()],
        people=session.members.count(),
        created_at=session.created_at,
        closed_at=session.closed_at,
    )


def _distribution(shown: Board) -> DistributionOut:
    check = shown.check
    return DistributionOut(
        counts=shown.counts,
        counted=shown.graded,
        guideline=None
        if check is None
        else [
            QuotaOut(
                grade=g.grade,
                people=g.count,
                minimum=g.minimum,
                maximum=g.maximum,
                if_met=g.expected,
                share=g.share.written(),
                within=g.within,
            )
            for g in check.grades
        ],
        enforced=bool(check and check.enforced),
        enforceable=bool(check and check.enforceable),
        minimum_population=check.minimum_population if check else DEFAULT_MINIMUM_POPULATION,
        broken=bool(check and check.broken),
        blocks_closing=bool(check and check.blocks_closing),
    )


def _person(row: Any) -> PersonOut:
    return PersonOut(
        appraisal=row.appraisal_id,
        number=row.number,
        name=row.name,
        department=row.department,
        manager=row.manager or None,
        state=row.state,
        total=row.total,
        grade=row.grade or None,
        calibration=row.calibration,
        dimensions=row.dimensions,
        self_gap=row.gap,
        potential=row.potential,
        movable=row.movable,
        flags=[str(kind) for kind in row.flags],
    )


def _detail(session: Session) -> SessionDetailOut:
    session.refresh_from_db()
    shown = board(session)
    return SessionDetailOut(
        **session_out(session).model_dump(),
        distribution=_distribution(shown),
        flags=[
            FlagOut(kind=str(kind), rater=rater, text=text)
            for kind, rater, text in shown.flag_texts
        ],
        members=[_person(row) for row in shown.rows],
    )


def _session(request: HttpRequest, session_id: int) -> Session:
    found = Session.objects.select_related("cycle", "facilitator").filter(pk=session_id).first()
    if found is None or not policy.can_view_session(access_for(request), found):
        raise Http404
    return found


def _refused(refused: CalibrationRefused) -> HttpError:
    return HttpError(409, str(refused))


@router.get(
    "/calibration/sessions",
    response=list[SessionOut],
    summary="The calibration sessions the caller runs, takes part in or oversees as HR",
)
def sessions(request: HttpRequest) -> Any:
    access = access_for(request)
    found = list(policy.sessions_in_view(access))
    if not found and not policy.can_open_sessions(access):
        raise PermissionDenied  # as the page: nothing here for them, and nothing to open
    return [session_out(s) for s in found]


@router.get(
    "/calibration/sessions/{session_id}",
    response=SessionDetailOut,
    summary="One session: its people side by side, the distribution and the rater flags",
    description="Only for the session's facilitator, participants and HR over its people. "
    "Rater flags are prompts for discussion; they are never shown to the employees.",
)
def session_detail(request: HttpRequest, session_id: int) -> Any:
    return _detail(_session(request, session_id))


class GuidelineIn(Schema):
    shares: dict[str, Decimal | list[Decimal]] = Field(
        ..., description="Per grade a target share (20) or a range ([10, 20]), in per cent."
    )
    enforced: bool = False
    minimum_population: int = Field(DEFAULT_MINIMUM_POPULATION, ge=1)

    def given(self) -> GuidelineInput:
        shares = {g: [str(v) for v in s] if isinstance(s, list) else str(s)
                  for g, s in self.shares.items()}  # fmt: skip
        return GuidelineInput(
            shares=shares, enforced=self.enforced, minimum_population=self.minimum_population
        )


class SessionIn(Schema):
    cycle: int
    name: str
    departments: list[str] = Field(default_factory=list, description="Paths; none: all.")
    positions: list[str] = Field(default_factory=list, description="Names; none: all.")
    facilitator: str | None = Field(None, description="A username; none: the caller.")
    participants: list[str] = Field(default_factory=list, description="Usernames.")
    guideline: GuidelineIn | None = None


def _ids(model: Any, field: str, wanted: list[str], what: str) -> tuple[int, ...]:
    found = dict(model.objects.filter(**{f"{field}__in": wanted}).values_list(field, "pk"))
    missing = [name for name in wanted if name not in found]
    if missing:
        names = ", ".join(missing)
        raise HttpError(422, _("Unknown %(what)s: %(names)s.") % {"what": what, "names": names})
    return tuple(found[name] for name in wanted)


@router.post(
    "/calibration/sessions",
    response={201: SessionDetailOut},
    summary="Open a calibration session (HR, or a manager over people below them)",
)
def open_session(request: HttpRequest, body: SessionIn) -> Any:
    accounts = get_user_model()
    data = SessionData(
        cycle_id=body.cycle,
        name=body.name,
        department_ids=_ids(Department, "path", body.departments, _("departments")),
        position_ids=_ids(Position, "name", body.positions, _("positions")),
        facilitator_id=_ids(accounts, "username", [body.facilitator], _("accounts"))[0]
        if body.facilitator
        else None,
        participant_ids=_ids(accounts, "username", body.participants, _("accounts")),
        guideline=body.guideline.given() if body.guideline else None,
    )
    try:
        made = do_open_session(request.user, data)
    except CalibrationRefused as refused:
        raise _refused(refused) from None
    return Status(201, _detail(made))


class MoveIn(Schema):
    appraisals: list[int] = Field(..., min_length=1, description="Appraisal ids in the session.")
    reason: str
    points: Decimal | None = Field(None, description="Move by this many points from now…")
    grade: str | None = Field(None, description="…or to this grade, with the least change.")


class MoveOut(Schema):
    appraisal: int
    from_total: Decimal | None
    from_grade: str
    to_total: Decimal | None
    to_grade: str
    calibration: Decimal
    reason: str
    by: str
    at: datetime


@router.post(
    "/calibration/sessions/{session_id}/moves",
    response=list[MoveOut],
    summary="Move people by points or to a grade, with a reason (all or none)",
    description="One person: any of the session's people; several at once: the "
    "facilitator or HR. A move refused for the person's stage or its size is 409.",
)
def move(request: HttpRequest, session_id: int, body: MoveIn) -> Any:
    session = _session(request, session_id)
    given = MoveInput(tuple(body.appraisals), body.reason, points=body.points,
                      grade=body.grade or "")  # fmt: skip
    try:
        made = do_move(request.user, session.pk, given)
    except CalibrationRefused as refused:
        raise _refused(refused) from None
    return [
        MoveOut(
            appraisal=m.appraisal_id,
            from_total=m.from_total,
            from_grade=m.from_grade,
            to_total=m.to_total,
            to_grade=m.to_grade,
            calibration=m.adjustment,
            reason=m.reason,
            by=m.actor_name,
            at=m.at,
        )
        for m in made
    ]


class PotentialIn(Schema):
    potential: dict[int, int | None] = Field(..., description="Appraisal id → 1, 2, 3 or null.")


class ChangedOut(Schema):
    changed: int


@router.post(
    "/calibration/sessions/{session_id}/potential",
    response=ChangedOut,
    summary="Rate people's potential (1 low, 2 medium, 3 high) for the 9-box",
)
def potential(request: HttpRequest, session_id: int, body: PotentialIn) -> Any:
    session = _session(request, session_id)
    try:
        changed = do_rate_potential(request.user, session.pk, body.potential)
    except CalibrationRefused as refused:
        raise _refused(refused) from None
    return ChangedOut(changed=changed)


@router.put(
    "/calibration/sessions/{session_id}/guideline",
    response=SessionDetailOut,
    summary="Set the session's distribution guideline (the facilitator or HR)",
)
def session_guideline(request: HttpRequest, session_id: int, body: GuidelineIn) -> Any:
    session = _session(request, session_id)
    try:
        do_set_session_guideline(request.user, session.pk, body.given())
    except CalibrationRefused as refused:
        raise _refused(refused) from None
    return _detail(session)


class ClosedOut(Schema):
    moved_on: int  # appraisals moved on to their next stage
    left: list[str]  # people not at calibration, left where they are


@router.post(
    "/calibration/sessions/{session_id}/close",
    response=ClosedOut,
    summary="Close the session: everyone at calibration moves on (cannot be undone)",
    description="The facilitator or HR. Refused (409) while an enforced guideline is broken.",
)
def close(request: HttpRequest, session_id: int) -> Any:
    session = _session(request, session_id)
    try:
        closed = do_close_session(request.user, session.pk)
    except CalibrationRefused as refused:
        raise _refused(refused) from None
    return ClosedOut(moved_on=closed.moved_on, left=closed.left)


class CycleGuidelineOut(Schema):
    cycle: int
    shares: dict[str, list[Decimal]] | None  # grade → [low, high] per cent
    enforced: bool
    minimum_population: int


@router.put(
    "/cycles/{cycle_id}/guideline",
    response=CycleGuidelineOut,
    summary="Set the cycle's distribution guideline, where its sessions start (HR)",
)
def cycle_guideline(request: HttpRequest, cycle_id: int, body: GuidelineIn) -> Any:
    try:
        held = do_set_cycle_guideline(request.user, cycle_id, body.given())
    except PermissionDenied:
        raise Http404 from None
    except CalibrationRefused as refused:
        raise HttpError(422, str(refused)) from None
    assert held is not None
    return CycleGuidelineOut(
        cycle=cycle_id,
        shares={g: [Decimal(v) for v in pair] for g, pair in held.shares.items()},
        enforced=held.enforced,
        minimum_population=held.minimum_population,
    )
