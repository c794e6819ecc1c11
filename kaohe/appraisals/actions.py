"""Carrying out a workflow action: one function, one transaction.

``act`` checks that the user may see the appraisal and take the action, that the appraisal
is in the state the action starts from, and what the action needs (a reason, ratings, an
interview record); then it moves the appraisal, writes the history row and notifies whoever
the appraisal now waits on. A refused action changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kaohe.access import access_for
from kaohe.core import InputError, parse_values

from .models import Appeal, Appraisal, Interview, Result, Transition
from .notify import notify_next
from .scoring import score_appraisal, trace_of
from .workflow import ACTIONS, STATE_LABELS, Action, target_of

MAX_CALIBRATION = Decimal(20)


class WorkflowError(Exception):
    """An action refused for a reason the user can act on; worded for them."""


Form = Mapping[str, str]


@transaction.atomic
def act(user: Any, appraisal_id: int, name: str, form: Form | None = None) -> Appraisal:
    form = form or {}
    action = ACTIONS.get(name)
    if action is None:
        raise WorkflowError(_("Unknown action."))
    appraisal = (
        Appraisal.objects.select_for_update(of=("self",))  # PostgreSQL locks no outer join
        .select_related("employee", "employee__department", "cycle", "rater", "version")
        .get(pk=appraisal_id)
    )
    access = access_for(user)
    if not access.can_view_appraisal(appraisal) or not access.may_take(appraisal, action):
        raise PermissionDenied
    if appraisal.current_state is not action.source:
        raise WorkflowError(
            _("This appraisal is at “%(state)s”; “%(action)s” is not possible now.")
            % {"state": STATE_LABELS[appraisal.current_state], "action": action.label}
        )
    reason = (form.get("reason") or "").strip()
    if action.reason_required and not reason:
        raise WorkflowError(_("%(what)s: please give a reason.") % {"what": action.label})
    source = appraisal.current_state
    HANDLERS.get(action.name, _nothing)(appraisal, user, form, reason)
    target = target_of(action, appraisal.version.scheme().stages)
    appraisal.state = target
    appraisal.save()
    Transition.objects.create(
        appraisal=appraisal,
        action=action.name,
        source=source,
        target=target,
        actor=user,
        actor_name=user.get_username(),
        reason=reason,
    )
    notify_next(appraisal, action, user)
    return appraisal


def _nothing(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    return None


def _targets(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    scheme = appraisal.version.scheme()
    targets = dict(appraisal.targets or {})
    for indicator in scheme.indicators():
        key = f"target_{indicator.id}"
        if key in form:
            text = form[key].strip()
            if text:
                targets[indicator.id] = text[:500]
            else:
                targets.pop(indicator.id, None)
    appraisal.targets = targets


def manual_inputs(appraisal: Appraisal) -> list[str]:
    """Inputs no metric feeds: the rater gives them in the review."""
    return [name for name, spec in appraisal.version.scheme().inputs.items() if not spec.metric]


def _ratings(appraisal: Appraisal, form: Form, *, required: bool) -> dict[str, str]:
    given, missing = {}, []
    for name in manual_inputs(appraisal):
        value = (form.get(f"input_{name}") or "").strip()
        if value:
            given[name] = value
        elif required:
            missing.append(input_label(appraisal, name))
    if missing:
        raise WorkflowError(_("Please rate every item: %(items)s.") % {"items": ", ".join(missing)})
    for name, text in given.items():
        _check_bounds(appraisal, name, text)
    try:
        parse_values(appraisal.version.scheme().inputs, given)
    except InputError as error:
        raise WorkflowError(str(error)) from None
    return given


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


def input_label(appraisal: Appraisal, name: str) -> str:
    label = appraisal.version.scheme().inputs[name].label
    return label.zh if (get_language() or "").startswith("zh") else label.en


def _self_assessment(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    appraisal.self_ratings = _ratings(appraisal, form, required=False)
    appraisal.self_comment = (form.get("comment") or "").strip()


def _review(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    appraisal.ratings = _ratings(appraisal, form, required=True)
    appraisal.review_comment = (form.get("comment") or "").strip()


def _calibrate(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    adjustment = _points(form.get("adjustment") or "0")
    if adjustment and not reason:
        raise WorkflowError(_("A calibration that changes the score needs a reason."))
    appraisal.calibration = adjustment


def _points(text: str) -> Decimal:
    try:
        points = Decimal(text.strip() or "0")
    except InvalidOperation:
        raise WorkflowError(_("The adjustment must be a number of points, e.g. -2.5.")) from None
    if not points.is_finite() or abs(points) > MAX_CALIBRATION:
        raise WorkflowError(
            _("The adjustment must be between -%(most)s and %(most)s points.")
            % {"most": MAX_CALIBRATION}
        )
    return points.quantize(Decimal("0.01"))


def _interview(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    fields = {
        name: (form.get(name) or "").strip()
        for name in ("strengths", "improvements", "actions", "root_cause")
    }
    if not (fields["strengths"] and fields["improvements"] and fields["actions"]):
        raise WorkflowError(_("Record the strengths, the areas to improve and the agreed actions."))
    if fields["root_cause"] not in Interview.RootCause.values:
        raise WorkflowError(_("Choose a root cause from the list."))
    Interview.objects.update_or_create(
        appraisal=appraisal, defaults={**fields, "recorded_by": user}
    )


def _acknowledge(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    if appraisal.acknowledged_at is not None:
        raise WorkflowError(_("You have already acknowledged this result."))
    appraisal.acknowledged_at = timezone.now()
    appraisal.acknowledgement_comment = (form.get("comment") or "").strip()


def _finalise(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    if appraisal.acknowledged_at is None:
        raise WorkflowError(_("The employee has not acknowledged the result yet."))
    scored = score_appraisal(appraisal)
    if scored.total is None or scored.grade is None:
        raise WorkflowError(
            _("The score is not complete: %(why)s")
            % {"why": scored.problem or _("a value the scheme requires is missing.")}
        )
    Result.objects.create(
        appraisal=appraisal,
        number=1,
        total=scored.total,
        grade=scored.grade.grade,
        coefficient=scored.grade.coefficient,
        pay=scored.pay,
        trace=trace_of(scored),
        reason=reason,
        created_by=user,
    )
    appraisal.appeal_until = timezone.now() + timedelta(days=appraisal.cycle.appeal_days)


def _appeal(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    if appraisal.appeal_until is not None and timezone.now() > appraisal.appeal_until:
        raise WorkflowError(
            _("The appeal window closed on %(day)s.")
            % {"day": timezone.localtime(appraisal.appeal_until).strftime("%Y-%m-%d %H:%M")}
        )
    Appeal.objects.create(appraisal=appraisal, reason=reason)


def _decide(decision: str) -> Callable[[Appraisal, Any, Form, str], None]:
    def decide(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
        appeal = appraisal.appeals.filter(decision=Appeal.Decision.PENDING).last()
        if appeal is None:
            raise WorkflowError(_("There is no open appeal."))
        if decision == Appeal.Decision.ADJUSTED:
            _new_result(appraisal, user, form, reason)
        appeal.decision = decision
        appeal.decision_reason = reason
        appeal.decided_by = user
        appeal.decided_at = timezone.now()
        appeal.save()

    return decide


def _new_result(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    """An adjustment is a new result version with its reason; the old one stays."""
    previous = appraisal.latest_result()
    assert previous is not None
    adjustment = _points(form.get("adjustment") or "0")
    if not adjustment:
        raise WorkflowError(_("An adjustment changes the score; give the points to add or take."))
    scheme = appraisal.version.scheme()
    total = min(max(previous.total + adjustment, Decimal(0)), Decimal(100))
    grade = scheme.grades.grade_for(total)
    pay = None if appraisal.base_pay is None else scheme.grades.pay(grade, appraisal.base_pay)
    Result.objects.create(
        appraisal=appraisal,
        number=previous.number + 1,
        total=total,
        grade=grade.grade,
        coefficient=grade.coefficient,
        pay=pay,
        reason=reason,
        created_by=user,
        trace={
            **previous.trace,
            "adjusted_from": str(previous.total),
            "adjustment": str(adjustment),
        },
    )


def _close(appraisal: Appraisal, user: Any, form: Form, reason: str) -> None:
    if appraisal.appeal_until is not None and timezone.now() < appraisal.appeal_until:
        raise WorkflowError(
            _("The appeal window is open until %(day)s.")
            % {"day": timezone.localtime(appraisal.appeal_until).strftime("%Y-%m-%d %H:%M")}
        )


HANDLERS: dict[str, Callable[[Appraisal, Any, Form, str], None]] = {
    "send_for_confirmation": _targets,
    "submit_self_assessment": _self_assessment,
    "submit_review": _review,
    "calibrate": _calibrate,
    "record_interview": _interview,
    "acknowledge": _acknowledge,
    "finalise": _finalise,
    "appeal": _appeal,
    "uphold": _decide(Appeal.Decision.UPHELD),
    "adjust": _decide(Appeal.Decision.ADJUSTED),
    "close": _close,
}


def available(user_or_request: Any, appraisal: Appraisal) -> list[Action]:
    """The actions this user may take on this appraisal now."""
    access = access_for(user_or_request)
    state = appraisal.current_state
    found = []
    for action in ACTIONS.values():
        if action.source is not state or not access.may_take(appraisal, action):
            continue
        if action.name == "acknowledge" and appraisal.acknowledged_at is not None:
            continue
        if action.name == "finalise" and appraisal.acknowledged_at is None:
            continue
        found.append(action)
    return found
