"""The calibration app's writes: guidelines, sessions, moves, potential, closing.

Every ``do_*`` takes the actor and typed inputs, asks the policy, writes the audit row and
commits in one transaction. A move writes the appraisal's side (its calibration, a history
row) through the appraisals app and keeps a calibration record of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.analytics import DEFAULT_MINIMUM_POPULATION, Guideline, GuidelineError
from kaohe.appraisals.actions import (
    WorkflowError,
    check_at_calibration,
    confirm_in_calibration,
    lock_for_calibration,
    move_in_calibration,
)
from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.appraisals.scoring import grade_scale, grades_of
from kaohe.appraisals.workflow import ORDER, State
from kaohe.audit.models import record
from kaohe.i18n import current_lang, listed
from kaohe.names import person_name
from kaohe.org.models import Department, Position, subtree_ids
from kaohe.org.policy import access_for

from . import policy
from .board import board, figures_of
from .models import CycleGuideline, Member, Move, Session

# Appraisals a session holds: those not yet past calibration.
BEFORE_OR_AT_CALIBRATION = [str(s) for s in ORDER[: ORDER.index(State.CALIBRATION) + 1]]
POTENTIALS = (1, 2, 3)


class CalibrationRefused(Exception):
    """A calibration action refused for a reason the user can act on; worded for them."""


@dataclass(frozen=True)
class GuidelineInput:
    """Per grade a share or ``[low, high]`` (``shares``), or the same written out
    (``text``: ``A 10-20, B 20-30, …``)."""

    text: str = ""
    shares: dict[str, Any] | None = None
    enforced: bool = False
    minimum_population: int = DEFAULT_MINIMUM_POPULATION

    def read(self, grades: Sequence[str]) -> Guideline:
        try:
            if self.shares is not None:
                return Guideline.from_mapping(
                    self.shares, grades, enforced=self.enforced,
                    minimum_population=self.minimum_population,
                )  # fmt: skip
            return Guideline.from_text(
                self.text, grades, enforced=self.enforced,
                minimum_population=self.minimum_population,
            )  # fmt: skip
        except GuidelineError as error:
            raise CalibrationRefused(error.message(current_lang())) from None


@dataclass(frozen=True)
class SessionData:
    cycle_id: int
    name: str
    department_ids: tuple[int, ...] = ()
    position_ids: tuple[int, ...] = ()
    facilitator_id: int | None = None  # an account; the one who opens it when not given
    participant_ids: tuple[int, ...] = ()
    guideline: GuidelineInput | None = None  # None: the cycle's guideline


@dataclass(frozen=True)
class MoveInput:
    """Move people by ``points`` from where they stand, or to ``grade``, for ``reason``."""

    appraisal_ids: tuple[int, ...]
    reason: str
    points: Decimal | None = None
    grade: str = ""


@dataclass(frozen=True)
class Closed:
    moved_on: int
    left: list[str] = field(default_factory=list)  # people not at calibration


# --- guidelines --------------------------------------------------------------------------


def do_set_cycle_guideline(
    actor: Any, cycle_id: int, given: GuidelineInput | None
) -> CycleGuideline | None:
    """The guideline every new session of the cycle starts from; None removes it."""
    with transaction.atomic(durable=True):
        cycle = Cycle.objects.select_for_update().filter(pk=cycle_id).first()
        if cycle is None or not policy.can_set_cycle_guideline(access_for(actor), cycle):
            raise PermissionDenied
        existing = CycleGuideline.objects.filter(cycle=cycle).first()
        before = _guideline_data(existing)
        if given is None:
            if existing is not None:
                existing.delete()
            record(actor, "calibration.guideline", cycle, before=before, after={})
            return None
        guideline = given.read(grades_of(cycle))
        stored, _made = CycleGuideline.objects.update_or_create(
            cycle=cycle, defaults=_guideline_fields(guideline)
        )
        record(actor, "calibration.guideline", cycle, before=before, after=_guideline_data(stored))
        return stored


def do_set_session_guideline(actor: Any, session_id: int, given: GuidelineInput | None) -> Session:
    with transaction.atomic(durable=True):
        session = _locked_session(actor, session_id, run=True)
        before = _guideline_data(session)
        if given is None:
            session.shares, session.enforced = {}, False
        else:
            guideline = given.read(grades_of(session.cycle))
            for name, value in _guideline_fields(guideline).items():
                setattr(session, name, value)
        session.save()
        record(
            actor, "calibration.guideline", session,
            before=before, after=_guideline_data(session),
        )  # fmt: skip
        return session


def _guideline_fields(guideline: Guideline) -> dict[str, Any]:
    return {
        "shares": {s.grade: [str(s.low), str(s.high)] for s in guideline.shares},
        "enforced": guideline.enforced,
        "minimum_population": guideline.minimum_population,
    }


def _guideline_data(holder: CycleGuideline | Session | None) -> dict[str, Any]:
    if holder is None or not holder.shares:
        return {}
    return {
        "shares": holder.shares,
        "enforced": holder.enforced,
        "minimum_population": holder.minimum_population,
    }


# --- sessions ----------------------------------------------------------------------------


def population(data: SessionData, cycle: Cycle, opener: Any) -> list[Appraisal]:
    """The appraisals a session over these departments and positions would hold: not yet
    past calibration, in no other open session, and not the opener's own."""
    found = Appraisal.objects.filter(cycle=cycle, state__in=BEFORE_OR_AT_CALIBRATION)
    found = found.exclude(employee__user=opener)
    if data.department_ids:
        found = found.filter(employee__department_id__in=subtree_ids(data.department_ids))
    if data.position_ids:
        found = found.filter(employee__position_id__in=data.position_ids)
    taken = Member.objects.filter(session__status=Session.Status.OPEN)
    found = found.exclude(pk__in=taken.values("appraisal_id"))
    return list(found.select_related("employee", "employee__user"))


def do_open_session(actor: Any, data: SessionData) -> Session:
    access = access_for(actor)
    if not policy.can_open_sessions(access):
        raise PermissionDenied
    name = data.name.strip()
    with transaction.atomic(durable=True):
        cycle = Cycle.objects.filter(pk=data.cycle_id, status=Cycle.Status.OPEN).first()
        if cycle is None:
            raise CalibrationRefused(_("Choose an open cycle."))
        if not name:
            raise CalibrationRefused(_("Give the session a name."))
        people = population(data, cycle, actor)
        if not people:
            raise CalibrationRefused(
                _("Nobody in this population is waiting for calibration (or everyone is "
                  "already in another open session).")
            )  # fmt: skip
        if not policy.may_open_over(access, cycle, {a.employee_id for a in people}):
            raise CalibrationRefused(
                _("You may open a session only over people in your scope: HR over the "
                  "cycles it manages, a manager over the people below them.")
            )  # fmt: skip
        facilitator, participants = _session_people(actor, data)
        _refuse_people_in_population(people, [facilitator, *participants])
        guideline = data.guideline.read(grades_of(cycle)) if data.guideline else None
        if guideline is None:
            held = CycleGuideline.objects.filter(cycle=cycle).first()
            fields = _guideline_data(held)
        else:
            fields = _guideline_fields(guideline)
        session = Session.objects.create(
            cycle=cycle, name=name[:200], facilitator=facilitator, created_by=actor, **fields
        )
        session.departments.set(Department.objects.filter(pk__in=data.department_ids))
        session.positions.set(Position.objects.filter(pk__in=data.position_ids))
        session.participants.set(participants)
        Member.objects.bulk_create([Member(session=session, appraisal=a) for a in people])
        record(
            actor, "calibration.open", session,
            after={
                "cycle": cycle.name, "people": len(people),
                "facilitator": person_name(facilitator),
                "participants": [person_name(p) for p in participants],
                **fields,
            },
        )  # fmt: skip
        return session


def _session_people(actor: Any, data: SessionData) -> tuple[Any, list[Any]]:
    accounts = get_user_model().objects.filter(is_active=True)
    facilitator = actor
    if data.facilitator_id is not None:
        facilitator = accounts.filter(pk=data.facilitator_id).first()
        if facilitator is None:
            raise CalibrationRefused(_("The facilitator must be an active account."))
    wanted = set(data.participant_ids) - {facilitator.pk}
    participants = list(accounts.filter(pk__in=wanted))
    if len(participants) != len(wanted):
        raise CalibrationRefused(_("Every participant must be an active account."))
    return facilitator, participants


def _refuse_people_in_population(people: Sequence[Appraisal], accounts: Sequence[Any]) -> None:
    """Nobody calibrates a session they are calibrated in."""
    in_it = {a.employee.user_id: a.employee.name for a in people if a.employee.user_id}
    clash = [in_it[account.pk] for account in accounts if account.pk in in_it]
    if clash:
        raise CalibrationRefused(
            _("%(names)s cannot run or take part in a session that calibrates them.")
            % {"names": listed(clash)}
        )


def _locked_session(actor: Any, session_id: int, *, run: bool = False) -> Session:
    session = (
        Session.objects.select_for_update().select_related("cycle").filter(pk=session_id).first()
    )
    access = access_for(actor)
    if session is None or not policy.can_view_session(access, session):
        raise PermissionDenied
    if run and not policy.may_run(access, session):
        raise PermissionDenied
    if not session.is_open:
        raise CalibrationRefused(_("This session is closed."))
    return session


def _members(session: Session, appraisal_ids: Sequence[int]) -> dict[int, Appraisal]:
    held = set(session.members.values_list("appraisal_id", flat=True))
    if not appraisal_ids or not set(appraisal_ids) <= held:
        raise PermissionDenied
    return lock_for_calibration(appraisal_ids)


def do_move(actor: Any, session_id: int, move: MoveInput) -> list[Move]:
    """Move one person or many, by points or to a grade; all or none."""
    if (move.points is None) == (not move.grade):
        raise CalibrationRefused(_("Move by a number of points or to a grade."))
    if not move.reason.strip():
        raise CalibrationRefused(_("Say why: every calibration move needs a reason."))
    access = access_for(actor)
    with transaction.atomic(durable=True):
        session = _locked_session(actor, session_id)
        if len(move.appraisal_ids) > 1 and not policy.may_run(access, session):
            raise PermissionDenied
        scale = grade_scale(session.cycle)
        if move.grade and move.grade not in [band.grade for band in scale.bands]:
            raise CalibrationRefused(_("Choose a grade from the scale."))
        made = []
        for appraisal in _members(session, move.appraisal_ids).values():
            if not policy.may_move(access, session, appraisal):
                raise PermissionDenied
            made.append(_move_one(actor, session, appraisal, move))
        return made


def _move_one(actor: Any, session: Session, appraisal: Appraisal, move: MoveInput) -> Move:
    try:
        check_at_calibration(appraisal)
    except WorkflowError as refused:
        raise CalibrationRefused(str(refused)) from None
    before = figures_of(appraisal)
    if before.total is None:
        raise CalibrationRefused(
            _("%(name)s has no complete score yet.") % {"name": appraisal.employee.name}
        )
    raw = before.total - appraisal.calibration  # the score before any calibration
    if move.grade:
        adjustment = appraisal.version.scheme().grades.adjustment_into(
            move.grade, raw, appraisal.calibration
        )
    else:
        assert move.points is not None
        adjustment = appraisal.calibration + move.points
    try:
        move_in_calibration(actor, appraisal, adjustment, move.reason)
    except WorkflowError as refused:
        raise CalibrationRefused(f"{appraisal.employee.name}: {refused}") from None
    after = figures_of(appraisal)
    made = Move.objects.create(
        session=session, appraisal=appraisal, actor=actor, actor_name=person_name(actor),
        from_total=before.total, from_grade=before.grade, to_total=after.total,
        to_grade=after.grade, adjustment=appraisal.calibration, reason=move.reason.strip(),
    )  # fmt: skip
    record(
        actor, "calibration.move", session,
        before={"person": appraisal.employee.number, "total": str(before.total),
                "grade": before.grade},
        after={"person": appraisal.employee.number, "total": str(after.total),
               "grade": after.grade, "calibration": str(appraisal.calibration)},
        note=move.reason.strip(),
    )  # fmt: skip
    return made


def do_rate_potential(actor: Any, session_id: int, ratings: Mapping[int, int | None]) -> int:
    """Potential 1 (low) to 3 (high) per appraisal, kept with the appraisal for the 9-box
    (None clears it); the number changed."""
    if any(p is not None and p not in POTENTIALS for p in ratings.values()):
        raise CalibrationRefused(_("Potential is 1 (low), 2 (medium) or 3 (high)."))
    access = access_for(actor)
    with transaction.atomic(durable=True):
        session = _locked_session(actor, session_id)
        changed = 0
        for appraisal in _members(session, list(ratings)).values():
            wanted = ratings[appraisal.pk]
            if wanted == appraisal.potential:
                continue
            if not policy.may_move(access, session, appraisal):
                raise PermissionDenied
            record(
                actor, "calibration.potential", session,
                before={"person": appraisal.employee.number, "potential": appraisal.potential},
                after={"person": appraisal.employee.number, "potential": wanted},
            )  # fmt: skip
            appraisal.potential = wanted
            appraisal.save(update_fields=["potential", "updated_at"])
            changed += 1
        return changed


def do_close_session(actor: Any, session_id: int) -> Closed:
    """Apply the session's outcome: every appraisal at calibration moves on with its
    calibrated score; an enforced guideline must be met first."""
    with transaction.atomic(durable=True):
        session = _locked_session(actor, session_id, run=True)
        shown = board(session)
        if shown.check is not None and shown.check.blocks_closing:
            off = [
                f"{g.grade} {g.count} ({g.minimum}–{g.maximum})"
                for g in shown.check.grades
                if not g.within
            ]
            raise CalibrationRefused(
                _("The enforced guideline is not met, so the session cannot close: %(grades)s.")
                % {"grades": listed(off)}
            )
        appraisals = lock_for_calibration(row.appraisal_id for row in shown.rows)
        moved_on, left = 0, []
        note = _("Calibration session “%(name)s” closed.") % {"name": session.name}
        for appraisal in appraisals.values():
            if appraisal.current_state is State.CALIBRATION:
                confirm_in_calibration(actor, appraisal, note)
                moved_on += 1
            else:
                left.append(appraisal.employee.name)
        session.status = Session.Status.CLOSED
        session.closed_at = timezone.now()
        session.save()
        record(
            actor, "calibration.close", session,
            before={"status": "open"},
            after={"status": "closed", "moved_on": moved_on, "left": len(left)},
        )  # fmt: skip
        return Closed(moved_on, left)
