"""The workflow's steps: one ``do_*`` per action of the workflow table, each in one
transaction.

Each step checks that the user may see the appraisal and take the action, that the
appraisal is in the state the action starts from, and what the action needs (a reason,
ratings, an interview record); then it moves the appraisal, writes the history row and the
audit row (before and after), and notifies whoever the appraisal now waits on. A refused
step changes nothing. ``take`` runs a step by name for pages, bulk actions and the API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.core import InputError, InputKind
from kaohe.i18n import current_lang, listed
from kaohe.names import person_name
from kaohe.org.policy import access_for

from .. import policy
from ..inputs import freeze
from ..models import Appeal, Appraisal, Interview, Result, Transition
from ..notify import notify_next
from ..scoring import score_appraisal, trace_of
from ..signals import result_locked
from ..workflow import ACTIONS, STATE_LABELS, Action, State, target_of

MAX_ADJUSTMENT = Decimal(20)


class WorkflowError(Exception):
    """A step refused for a reason the user can act on; worded for them."""


@dataclass
class Change:
    """What a step changed besides the state, for the audit row."""

    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


Apply = Callable[[Appraisal, Any], Change | None]


def _step(actor: Any, appraisal_id: int, name: str, apply: Apply, reason: str = "") -> Appraisal:
    action = ACTIONS[name]
    reason = reason.strip()
    with transaction.atomic(durable=True):
        appraisal = (
            Appraisal.objects.select_for_update(of=("self",))  # PostgreSQL locks no outer join
            .select_related("employee", "employee__department", "cycle", "rater", "version")
            .filter(pk=appraisal_id)
            .first()
        )
        access = access_for(actor)
        if appraisal is None or not policy.can_view_appraisal(access, appraisal):
            raise PermissionDenied
        if not policy.may_take(access, appraisal, action):
            raise PermissionDenied
        _carry_out(actor, appraisal, action, apply, reason)
    return appraisal


def _carry_out(actor: Any, appraisal: Appraisal, action: Action, apply: Apply, reason: str) -> None:
    """The step on a locked appraisal whose actor has been allowed to take it."""
    name = action.name
    if appraisal.current_state is not action.source:
        raise WorkflowError(
            _("This appraisal is at “%(state)s”; “%(action)s” is not possible now.")
            % {"state": STATE_LABELS[appraisal.current_state], "action": action.label}
        )
    if action.reason_required and not reason:
        raise WorkflowError(_("%(what)s: please give a reason.") % {"what": action.label})
    source = appraisal.current_state
    change = apply(appraisal, actor) or Change()
    target = target_of(action, appraisal.version.scheme().stages)
    appraisal.state = target
    appraisal.save()
    Transition.objects.create(
        appraisal=appraisal, action=name, source=source, target=target,
        actor=actor, actor_name=person_name(actor), reason=reason,
    )  # fmt: skip
    record(
        actor, f"appraisal.{name}", appraisal,
        before={"state": str(source), **change.before},
        after={"state": str(target), **change.after},
        note=reason,
    )  # fmt: skip
    notify_next(appraisal, action, actor)


# --- the steps ---------------------------------------------------------------------------


def do_send_for_confirmation(
    actor: Any, appraisal_id: int, targets: Mapping[str, str] | None = None
) -> Appraisal:
    """Agree the targets (indicator id → text) and send them to the employee."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        known = {indicator.id for indicator in appraisal.version.scheme().indicators()}
        agreed = dict(appraisal.targets or {})
        for indicator_id, text in (targets or {}).items():
            if indicator_id not in known:
                continue
            if text.strip():
                agreed[indicator_id] = text.strip()[:500]
            else:
                agreed.pop(indicator_id, None)
        change = Change({"targets": appraisal.targets or {}}, {"targets": agreed})
        appraisal.targets = agreed
        return change

    return _step(actor, appraisal_id, "send_for_confirmation", apply)


def do_confirm(actor: Any, appraisal_id: int) -> Appraisal:
    return _step(actor, appraisal_id, "confirm", _nothing)


def do_ask_for_change(actor: Any, appraisal_id: int, reason: str) -> Appraisal:
    return _step(actor, appraisal_id, "ask_for_change", _nothing, reason)


def do_open_assessment(actor: Any, appraisal_id: int) -> Appraisal:
    return _step(actor, appraisal_id, "open_assessment", _nothing)


def do_submit_self_assessment(
    actor: Any, appraisal_id: int, ratings: Mapping[str, str], comment: str = ""
) -> Appraisal:
    """The employee's own view: levels of the anchored items, shown beside the rater's and
    never scored. Facts that data or other people give (counts, peer scores, rates) are not
    asked of the employee."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        given = _checked_ratings(appraisal, ratings, required=False, names=self_inputs(appraisal))
        appraisal.self_ratings = given
        appraisal.self_comment = comment.strip()
        return Change(after={"self_ratings": given, "comment": appraisal.self_comment})

    return _step(actor, appraisal_id, "submit_self_assessment", apply)


def do_submit_review(
    actor: Any, appraisal_id: int, ratings: Mapping[str, str], comment: str = ""
) -> Appraisal:
    """The rater's ratings of every manual input; the data cut-off: the metric values
    are frozen into the appraisal now."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        given = _checked_ratings(appraisal, ratings, required=True)
        appraisal.ratings = given
        appraisal.review_comment = comment.strip()
        appraisal.frozen_inputs = freeze(appraisal, appraisal.version.scheme())
        appraisal.data_cutoff = timezone.now()
        return Change(
            after={
                "ratings": given,
                "comment": appraisal.review_comment,
                "data_cutoff": appraisal.data_cutoff.isoformat(),
                "values": _values_of(appraisal.frozen_inputs),
            }
        )

    return _step(actor, appraisal_id, "submit_review", apply)


def do_calibrate(
    actor: Any, appraisal_id: int, adjustment: Decimal = Decimal(0), reason: str = ""
) -> Appraisal:
    """Confirm the score, or move the total by up to ±20 points with a reason."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        points = _checked_adjustment(adjustment)
        if points and not reason.strip():
            raise WorkflowError(_("A calibration that changes the score needs a reason."))
        before = _outcome_summary(appraisal)
        change = Change({"calibration": str(appraisal.calibration), **before})
        appraisal.calibration = points
        change.after = {"calibration": str(points), **_outcome_summary(appraisal)}
        return change

    return _step(actor, appraisal_id, "calibrate", apply, reason)


# --- inside a calibration session ---------------------------------------------------------
# A calibration session (kaohe.calibration) decides by its own policy who may move whom:
# its participants need not be HR. These carry out the appraisal's side of its actions on
# appraisals it has locked, inside the session's transaction.


def lock_for_calibration(appraisal_ids: Iterable[int]) -> dict[int, Appraisal]:
    found = (
        Appraisal.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__department", "cycle", "rater", "version")
        .filter(pk__in=list(appraisal_ids))
        .order_by("pk")
    )
    return {appraisal.pk: appraisal for appraisal in found}


def check_at_calibration(appraisal: Appraisal) -> None:
    if appraisal.current_state is not State.CALIBRATION:
        raise WorkflowError(
            _("%(name)s is at “%(state)s”: only an appraisal at calibration can be moved.")
            % {"name": appraisal.employee.name, "state": STATE_LABELS[appraisal.current_state]}
        )


def move_in_calibration(
    actor: Any, appraisal: Appraisal, adjustment: Decimal, reason: str
) -> Change:
    """Set the appraisal's calibration to ``adjustment`` points: a history row and an audit
    row, the stage unchanged."""
    reason = reason.strip()
    check_at_calibration(appraisal)
    if not reason:
        raise WorkflowError(_("A calibration that changes the score needs a reason."))
    points = _checked_adjustment(adjustment)
    change = Change({"calibration": str(appraisal.calibration), **_outcome_summary(appraisal)})
    appraisal.calibration = points
    change.after = {"calibration": str(points), **_outcome_summary(appraisal)}
    appraisal.save(update_fields=["calibration", "updated_at"])
    Transition.objects.create(
        appraisal=appraisal, action="calibration_move", source=appraisal.state,
        target=appraisal.state, actor=actor, actor_name=person_name(actor), reason=reason,
    )  # fmt: skip
    record(
        actor, "appraisal.calibration_move", appraisal,
        before=change.before, after=change.after, note=reason,
    )  # fmt: skip
    return change


def confirm_in_calibration(actor: Any, appraisal: Appraisal, reason: str) -> None:
    """Move the appraisal on from calibration with the score as calibrated."""
    _carry_out(actor, appraisal, ACTIONS["calibrate"], _nothing, reason.strip())


@dataclass(frozen=True)
class InterviewRecord:
    strengths: str
    improvements: str
    actions: str
    root_cause: str = ""
    causes: Mapping[str, str] = field(default_factory=dict)  # weak indicator → root cause


def do_record_interview(actor: Any, appraisal_id: int, interview: InterviewRecord) -> Appraisal:
    def apply(appraisal: Appraisal, actor: Any) -> Change:
        fields = {
            "strengths": interview.strengths.strip(),
            "improvements": interview.improvements.strip(),
            "actions": interview.actions.strip(),
            "root_cause": interview.root_cause.strip(),
        }
        if not (fields["strengths"] and fields["improvements"] and fields["actions"]):
            raise WorkflowError(
                _("Record the strengths, the areas to improve and the agreed actions.")
            )
        if fields["root_cause"] not in Interview.RootCause.values:
            raise WorkflowError(_("Choose a root cause from the list."))
        causes = _checked_causes(appraisal, interview.causes)
        Interview.objects.update_or_create(
            appraisal=appraisal, defaults={**fields, "causes": causes, "recorded_by": actor}
        )
        return Change(after={**fields, **({"causes": causes} if causes else {})})

    return _step(actor, appraisal_id, "record_interview", apply)


def _checked_causes(appraisal: Appraisal, given: Mapping[str, str]) -> dict[str, str]:
    """The root causes per indicator, each of the scheme's indicators and from the list;
    an empty choice is left out."""
    known = {indicator.id for indicator in appraisal.version.scheme().indicators()}
    causes = {}
    for indicator, cause in given.items():
        cause = (cause or "").strip()
        if not cause:
            continue
        if indicator not in known or cause not in Interview.RootCause.values:
            raise WorkflowError(_("Choose a root cause from the list."))
        causes[indicator] = cause
    return causes


def do_acknowledge(actor: Any, appraisal_id: int, comment: str = "") -> Appraisal:
    """The employee has seen the result; it moves on to HR to finalise."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        appraisal.acknowledged_at = timezone.now()
        appraisal.acknowledgement_comment = comment.strip()
        return Change(after={"comment": appraisal.acknowledgement_comment})

    return _step(actor, appraisal_id, "acknowledge", apply)


def do_finalise(actor: Any, appraisal_id: int) -> Appraisal:
    """Lock score, grade, coefficient and pay as result v1; the appeal window opens."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        scored = score_appraisal(appraisal)
        outcome = scored.outcome
        if outcome is None:
            why = scored.problem(current_lang()) if scored.problem else _missing(scored)
            raise WorkflowError(_("The score is not complete: %(why)s") % {"why": why})
        result = Result.objects.create(
            appraisal=appraisal, number=1, total=outcome.total, grade=outcome.grade.grade,
            coefficient=outcome.coefficient, pay=outcome.pay,
            trace=trace_of(scored, appraisal), created_by=actor,
        )  # fmt: skip
        appraisal.appeal_until = timezone.now() + timedelta(days=appraisal.cycle.appeal_days)
        result_locked.send(Result, result=result, actor=actor)
        return Change(after={**_result_summary(result), "appeal_until": _iso(appraisal)})

    return _step(actor, appraisal_id, "finalise", apply)


def do_appeal(actor: Any, appraisal_id: int, reason: str) -> Appraisal:
    def apply(appraisal: Appraisal, actor: Any) -> Change:
        if appraisal.appeal_until is not None and timezone.now() > appraisal.appeal_until:
            raise WorkflowError(
                _("The appeal window closed on %(day)s.") % {"day": _local(appraisal.appeal_until)}
            )
        Appeal.objects.create(appraisal=appraisal, reason=reason.strip())
        return Change(after={"appeal": reason.strip()})

    return _step(actor, appraisal_id, "appeal", apply, reason)


def do_uphold(actor: Any, appraisal_id: int, reason: str) -> Appraisal:
    """Decide an appeal by keeping the result as it is."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        _decide(appraisal, actor, Appeal.Decision.UPHELD, reason)
        return Change(after={"decision": str(Appeal.Decision.UPHELD)})

    return _step(actor, appraisal_id, "uphold", apply, reason)


def do_adjust(actor: Any, appraisal_id: int, adjustment: Decimal, reason: str) -> Appraisal:
    """Decide an appeal with a new result version, moved by ``adjustment`` points; the old
    version stays as it was."""

    def apply(appraisal: Appraisal, actor: Any) -> Change:
        points = _checked_adjustment(adjustment)
        if not points:
            raise WorkflowError(
                _("An adjustment changes the score; give the points to add or take.")
            )
        previous = appraisal.latest_result()
        assert previous is not None
        _decide(appraisal, actor, Appeal.Decision.ADJUSTED, reason)
        outcome = appraisal.version.scheme().grades.outcome(
            previous.total, appraisal.base_pay, points
        )
        result = Result.objects.create(
            appraisal=appraisal, number=previous.number + 1, total=outcome.total,
            grade=outcome.grade.grade, coefficient=outcome.coefficient, pay=outcome.pay,
            reason=reason.strip(), created_by=actor,
            trace={**previous.trace, "adjusted_from": str(previous.total),
                   "adjustment": str(points)},
        )  # fmt: skip
        result_locked.send(Result, result=result, actor=actor)
        return Change(_result_summary(previous), _result_summary(result))

    return _step(actor, appraisal_id, "adjust", apply, reason)


def do_close(actor: Any, appraisal_id: int) -> Appraisal:
    def apply(appraisal: Appraisal, actor: Any) -> None:
        if appraisal.appeal_until is not None and timezone.now() < appraisal.appeal_until:
            raise WorkflowError(
                _("The appeal window is open until %(day)s.")
                % {"day": _local(appraisal.appeal_until)}
            )

    return _step(actor, appraisal_id, "close", apply)


# --- by name -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StepInputs:
    """Everything a step may be given; each step reads the fields it needs."""

    targets: Mapping[str, str] = field(default_factory=dict)
    ratings: Mapping[str, str] = field(default_factory=dict)
    comment: str = ""
    reason: str = ""
    adjustment: Decimal = Decimal(0)
    interview: InterviewRecord | None = None


def take(actor: Any, appraisal_id: int, name: str, given: StepInputs | None = None) -> Appraisal:
    """Run the step called ``name`` with what it needs from ``given``."""
    given = given or StepInputs()
    steps: dict[str, Callable[[], Appraisal]] = {
        "send_for_confirmation": lambda: do_send_for_confirmation(
            actor, appraisal_id, given.targets
        ),
        "confirm": lambda: do_confirm(actor, appraisal_id),
        "ask_for_change": lambda: do_ask_for_change(actor, appraisal_id, given.reason),
        "open_assessment": lambda: do_open_assessment(actor, appraisal_id),
        "submit_self_assessment": lambda: do_submit_self_assessment(
            actor, appraisal_id, given.ratings, given.comment
        ),
        "submit_review": lambda: do_submit_review(
            actor, appraisal_id, given.ratings, given.comment
        ),
        "calibrate": lambda: do_calibrate(actor, appraisal_id, given.adjustment, given.reason),
        "record_interview": lambda: do_record_interview(
            actor, appraisal_id, given.interview or InterviewRecord("", "", "")
        ),
        "acknowledge": lambda: do_acknowledge(actor, appraisal_id, given.comment),
        "finalise": lambda: do_finalise(actor, appraisal_id),
        "appeal": lambda: do_appeal(actor, appraisal_id, given.reason),
        "uphold": lambda: do_uphold(actor, appraisal_id, given.reason),
        "adjust": lambda: do_adjust(actor, appraisal_id, given.adjustment, given.reason),
        "close": lambda: do_close(actor, appraisal_id),
    }
    step = steps.get(name)
    if step is None:
        raise WorkflowError(_("Unknown action."))
    return step()


# --- checks and helpers ------------------------------------------------------------------


def _nothing(appraisal: Appraisal, actor: Any) -> None:
    return None


def manual_inputs(appraisal: Appraisal) -> list[str]:
    """Inputs nothing feeds (no metric, no 360, incident log or goal): the rater gives them
    in the review."""
    return [name for name, spec in appraisal.version.scheme().inputs.items() if spec.manual]


def self_inputs(appraisal: Appraisal) -> list[str]:
    """What the self-assessment asks: the anchored levels among the manual inputs."""
    scheme = appraisal.version.scheme()
    return [n for n in manual_inputs(appraisal) if scheme.inputs[n].kind is InputKind.LEVEL]


def input_label(appraisal: Appraisal, name: str) -> str:
    return appraisal.version.scheme().inputs[name].label(current_lang())


def _checked_ratings(
    appraisal: Appraisal,
    ratings: Mapping[str, str],
    *,
    required: bool,
    names: Iterable[str] | None = None,
) -> dict[str, str]:
    scheme = appraisal.version.scheme()
    given, missing = {}, []
    for name in manual_inputs(appraisal) if names is None else names:
        value = str(ratings.get(name) or "").strip()
        if value:
            given[name] = value
        elif required:
            missing.append(input_label(appraisal, name))
    if missing:
        raise WorkflowError(_("Please rate every item: %(items)s.") % {"items": listed(missing)})
    for name, text in given.items():
        _check_bounds(appraisal, name, text)
        try:
            scheme.inputs[name].parse(text)
        except InputError as error:
            raise WorkflowError(_rating_problem(appraisal, name, error)) from None
    return given


def _rating_problem(appraisal: Appraisal, name: str, error: InputError) -> str:
    """The core's reason, named by the item's label rather than the input's id."""
    return _("%(item)s: %(problem)s") % {
        "item": input_label(appraisal, name), "problem": error.problem(current_lang()),
    }  # fmt: skip


def _check_bounds(appraisal: Appraisal, name: str, text: str) -> None:
    spec = appraisal.version.scheme().inputs[name]
    item = input_label(appraisal, name)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise WorkflowError(
            _("%(item)s: “%(value)s” is not a number.") % {"item": item, "value": text}
        ) from None
    low, high = spec.minimum, spec.maximum
    if (
        not value.is_finite()
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        raise WorkflowError(
            _("%(item)s must be between %(low)s and %(high)s.")
            % {
                "item": item,
                "low": "−∞" if low is None else low,
                "high": "∞" if high is None else high,
            }
        )


def parse_points(text: str) -> Decimal:
    """Points typed on a page (``-2.5``), checked; for the views and the API."""
    try:
        points = Decimal(text.strip() or "0")
    except InvalidOperation:
        raise WorkflowError(_("The adjustment must be a number of points, e.g. -2.5.")) from None
    return _checked_adjustment(points)


def _checked_adjustment(points: Decimal) -> Decimal:
    if not points.is_finite() or abs(points) > MAX_ADJUSTMENT:
        raise WorkflowError(
            _("The adjustment must be between -%(most)s and %(most)s points.")
            % {"most": MAX_ADJUSTMENT}
        )
    return points.quantize(Decimal("0.01"))


def _decide(appraisal: Appraisal, actor: Any, decision: str, reason: str) -> None:
    appeal = appraisal.appeals.filter(decision=Appeal.Decision.PENDING).last()
    if appeal is None:
        raise WorkflowError(_("There is no open appeal."))
    appeal.decision = decision
    appeal.decision_reason = reason.strip()
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save()


def _missing(scored: Any) -> str:
    result = scored.result
    if result is None or not result.missing_inputs:
        return _("a value the scheme requires is missing.")
    inputs = result.scheme.inputs
    names = listed(inputs[name].label(current_lang()) for name in result.missing_inputs)
    return _("no value yet for %(inputs)s.") % {"inputs": names}


def _outcome_summary(appraisal: Appraisal) -> dict[str, Any]:
    outcome = score_appraisal(appraisal).outcome
    if outcome is None:
        return {}
    return {"total": str(outcome.total), "grade": outcome.grade.grade}


def _result_summary(result: Result) -> dict[str, Any]:
    return {
        "result": result.number,
        "total": str(result.total),
        "grade": result.grade,
        "coefficient": str(result.coefficient),
        "pay": None if result.pay is None else str(result.pay),
    }


def _values_of(frozen: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    return {name: str(data["value"]) for name, data in frozen.items()}


def _iso(appraisal: Appraisal) -> str | None:
    return appraisal.appeal_until.isoformat() if appraisal.appeal_until else None


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
