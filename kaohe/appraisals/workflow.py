"""The appraisal workflow as a table: states, the actions between them, who takes each.

Seed 000 §四: plan → data collection → rating → feedback interview → result application,
with the employee confirming the indicators first and an appeal channel afterwards. The
table is plain data so that it can be read, tested and drawn; ``actions.py`` carries an
action out (permission, state, history, notification).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class State(StrEnum):
    DRAFT = "draft"  # the manager adjusts targets
    CONFIRMING = "confirming"  # awaiting the employee's confirmation
    IN_PROGRESS = "in_progress"  # metric values flow in; a provisional score is shown
    SELF_ASSESSMENT = "self_assessment"
    MANAGER_REVIEW = "manager_review"
    CALIBRATION = "calibration"
    INTERVIEW = "interview"
    ACKNOWLEDGEMENT = "acknowledgement"  # the employee acknowledges the result
    FINALISING = "finalising"  # acknowledged; HR finalises
    FINALISED = "finalised"  # score, grade, coefficient and pay locked; appeals open
    APPEAL = "appeal"
    CLOSED = "closed"


STATE_LABELS = {
    State.DRAFT: _("Draft"),
    State.CONFIRMING: _("Awaiting confirmation"),
    State.IN_PROGRESS: _("In progress"),
    State.SELF_ASSESSMENT: _("Self-assessment"),
    State.MANAGER_REVIEW: _("Manager review"),
    State.CALIBRATION: _("Calibration"),
    State.INTERVIEW: _("Feedback interview"),
    State.ACKNOWLEDGEMENT: _("Acknowledgement"),
    State.FINALISING: _("Awaiting finalisation"),
    State.FINALISED: _("Finalised"),
    State.APPEAL: _("Appeal"),
    State.CLOSED: _("Closed"),
}

# The order stages come in; a scheme may leave out the optional ones.
ORDER = list(State)
OPTIONAL = {
    State.SELF_ASSESSMENT: "self_assessment",
    State.CALIBRATION: "calibration",
    State.INTERVIEW: "interview",
}


class Role(StrEnum):
    EMPLOYEE = "employee"  # the person appraised
    RATER = "rater"  # the manager named on the appraisal
    HEAD = "head"  # a manager above the rater: reads, acts on nothing
    HR = "hr"  # HR with the employee's department in scope


@dataclass(frozen=True)
class Action:
    name: str
    label: object  # a lazy translation
    source: State
    target: State | None  # None: the next stage the scheme uses after ``source``
    roles: frozenset[Role]
    reason_required: bool = False
    reason_label: object = ""


def _action(
    name: str,
    label: object,
    source: State,
    target: State | None,
    *roles: Role,
    reason_required: bool = False,
    reason_label: object = "",
) -> Action:
    return Action(name, label, source, target, frozenset(roles), reason_required, reason_label)


ACTIONS = {
    action.name: action
    for action in (
        _action(
            "send_for_confirmation",
            _("Send to the employee for confirmation"),
            State.DRAFT,
            State.CONFIRMING,
            Role.RATER,
            Role.HR,
        ),
        _action(
            "confirm",
            _("Confirm the indicators"),
            State.CONFIRMING,
            State.IN_PROGRESS,
            Role.EMPLOYEE,
        ),
        _action(
            "ask_for_change",
            _("Ask for a change"),
            State.CONFIRMING,
            State.DRAFT,
            Role.EMPLOYEE,
            reason_required=True,
            reason_label=_("What should change, and why"),
        ),
        _action(
            "open_assessment",
            _("Open the assessment"),
            State.IN_PROGRESS,
            None,
            Role.RATER,
            Role.HR,
        ),
        _action(
            "submit_self_assessment",
            _("Submit my self-assessment"),
            State.SELF_ASSESSMENT,
            None,
            Role.EMPLOYEE,
        ),
        _action("submit_review", _("Submit the review"), State.MANAGER_REVIEW, None, Role.RATER),
        # Calibration is HR's (and, with calibration sessions, their participants'): a
        # manager above the rater reads the appraisal but never moves its score.
        _action("calibrate", _("Confirm calibration"), State.CALIBRATION, None, Role.HR),
        _action("record_interview", _("Record the interview"), State.INTERVIEW, None, Role.RATER),
        _action(
            "acknowledge",
            _("Acknowledge the result"),
            State.ACKNOWLEDGEMENT,
            State.FINALISING,
            Role.EMPLOYEE,
        ),
        _action("finalise", _("Finalise"), State.FINALISING, State.FINALISED, Role.HR),
        _action(
            "appeal",
            _("Appeal"),
            State.FINALISED,
            State.APPEAL,
            Role.EMPLOYEE,
            reason_required=True,
            reason_label=_("Why you appeal"),
        ),
        _action(
            "uphold",
            _("Uphold the result"),
            State.APPEAL,
            State.CLOSED,
            Role.HR,
            reason_required=True,
            reason_label=_("Reason for the decision"),
        ),
        _action(
            "adjust",
            _("Adjust the result"),
            State.APPEAL,
            State.CLOSED,
            Role.HR,
            reason_required=True,
            reason_label=_("Reason for the adjustment"),
        ),
        _action("close", _("Close"), State.FINALISED, State.CLOSED, Role.HR),
    )
}


def next_stage(after: State, stages: frozenset[str]) -> State:
    """The stage that follows ``after`` for a scheme using ``stages``."""
    for state in ORDER[ORDER.index(after) + 1 :]:
        optional = OPTIONAL.get(state)
        if optional is None or optional in stages:
            return state
    raise ValueError(f"nothing follows {after}")


def target_of(action: Action, stages: frozenset[str]) -> State:
    return action.target if action.target is not None else next_stage(action.source, stages)


def actions_from(state: State) -> list[Action]:
    return [action for action in ACTIONS.values() if action.source is state]


# The states in which HR may take newer data into a frozen appraisal: past the manager's
# review and not yet finalised. Once finalised, only an appeal's new version changes it.
REFRESHABLE = frozenset(
    {State.CALIBRATION, State.INTERVIEW, State.ACKNOWLEDGEMENT, State.FINALISING}
)

# Who the appraisal waits on in each state, for "what waits on me" and reminders.
WAITS_ON = {
    State.DRAFT: Role.RATER,
    State.CONFIRMING: Role.EMPLOYEE,
    State.IN_PROGRESS: Role.RATER,
    State.SELF_ASSESSMENT: Role.EMPLOYEE,
    State.MANAGER_REVIEW: Role.RATER,
    State.CALIBRATION: Role.HR,
    State.INTERVIEW: Role.RATER,
    State.ACKNOWLEDGEMENT: Role.EMPLOYEE,
    State.FINALISING: Role.HR,
    State.FINALISED: Role.HR,
    State.APPEAL: Role.HR,
}
