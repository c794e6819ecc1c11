"""``/api/v1/insights/advice/…``: the weight advice — the signals the last look found, the
proposals for the schemes' next versions (looking again makes them), accepting one (as it
is or edited) or rejecting it, a stage's weights proposed, and HR's launch flags — as the
Weight advice page shows and changes them, through the same policy and actions.

HR reads the advice; a department's figures only HR covering it. A proposal is read by HR
who may use its scheme and decided by HR who may save it (the schemes app's rules);
looking and launch flags are whole-organisation HR's. A proposal or flag the caller may not
see is 404; an input refused is 422 naming the field; what the moment does not allow (a
proposal decided or out of date, a flag ended) is 409."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.i18n import current_lang
from kaohe.insights import policy
from kaohe.insights.actions_advice import (
    AdviceRefused,
    LaunchFlagInput,
    do_accept_proposal,
    do_delete_launch_flag,
    do_end_launch_flag,
    do_look_for_signals,
    do_propose_stage,
    do_reject_proposal,
    do_save_launch_flag,
    is_stale,
)
from kaohe.insights.models import AdviceRun, AdviceSignal, LaunchFlag, Proposal
from kaohe.org.policy import Access, access_for
from kaohe.schemes.library import latest_version

from .errors import ValidationProblem

router = Router(tags=["insights"])
LISTED = 100  # proposals listed at most, newest first


class AdviceReadingOut(Schema):
    period: str  # a quarter, e.g. 2026-Q3
    value: float | None  # full precision; null for an empty base
    base: float  # the key accounts, answers or complaints it stands on


class AdviceFigureOut(Schema):
    figure: str  # key_account_revisit_rate, key_account_nps, complaint_resolution_rate, …
    name: str  # in the requested language
    unit: str  # "%", "h" or ""
    reported: bool  # worse by enough to count
    strength: float  # 0–1
    baseline: float  # the mean of the quarters before the latest
    readings: list[AdviceReadingOut]  # oldest first, the latest last


class AdviceSignalOut(Schema):
    id: int
    kind: str  # key_accounts, process or launch
    subject: str = Field(..., description="org, or department:<id>: whose figures.")
    department: str | None  # the department's path; null for the organisation's
    whose: str  # in the requested language
    strength: float
    weight: float  # points of weight it asks for, 1–5
    sentence: str
    figures: list[AdviceFigureOut]
    launch_flag: int | None
    indicators: list[str]  # a launch: the indicators HR named


class AdviceSignalsOut(Schema):
    looked_at: datetime | None  # null: nobody has looked yet
    quarters: list[str]
    signals: list[AdviceSignalOut]


class AdviceChangeOut(Schema):
    dimension: str
    indicator: str
    name: str
    points_before: str
    points_after: str
    weight_before: str = Field(..., description="Share of the total score, %, exact.")
    weight_after: str
    reason: str
    raised: bool  # asked for, rather than giving way to another


class AdviceProposalOut(Schema):
    id: int
    kind: str  # signals or stage
    stage: str  # startup, growth or mature for a stage's weights
    scheme: str  # the scheme's code
    base_version: int  # the version it was made from
    status: str  # pending, accepted, rejected or superseded
    out_of_date: bool  # pending, but the scheme has changed since
    changes: list[AdviceChangeOut]
    skipped: list[str]  # why an asked-for change was not made
    text: str  # the proposed YAML (what was accepted, once accepted)
    base_text: str  # the version's YAML when the proposal was made
    signals: list[int]
    compare_cycle: int | None = Field(
        None, description="The last finished cycle that used the scheme: the what-if's."
    )
    compare_version: int | None  # the version of the scheme that cycle used
    created_at: datetime
    decided_at: datetime | None
    reason: str  # why it was rejected
    edited: bool  # accepted after HR's edit
    accepted_version: int | None
    may_decide: bool


class AdviceLookOut(Schema):
    looked_at: datetime
    quarters: list[str]
    signals: int
    proposals: list[AdviceProposalOut]  # made now
    unchanged: int  # schemes whose pending proposal stands as it was
    superseded: int


def _reading(request: HttpRequest) -> Access:
    access = access_for(request)
    if not policy.can_read_advice(access):
        raise PermissionDenied(_("Only HR reads the weight advice."))
    return access


def _signal_out(signal: AdviceSignal) -> AdviceSignalOut:
    lang = current_lang()
    return AdviceSignalOut(
        id=signal.pk, kind=signal.kind, subject=signal.subject,
        department=signal.department.path if signal.department else None,
        whose=_("the organisation") if signal.for_organisation else signal.subject_name,
        strength=signal.strength, weight=float(signal.weight), sentence=signal.sentence,
        figures=[
            AdviceFigureOut(
                figure=f["figure"], name=f["name_zh"] if lang == "zh" else f["name_en"],
                unit=f["unit"], reported=f["reported"], strength=f["strength"],
                baseline=f["baseline"], readings=[AdviceReadingOut(**r) for r in f["readings"]],
            )
            for f in signal.figures
        ],
        launch_flag=signal.flag_id, indicators=list(signal.indicators),
    )  # fmt: skip


@router.get(
    "/insights/advice/signals",
    response=AdviceSignalsOut,
    summary="The weight signals the last look found, with the figures behind them",
)
def signals(request: HttpRequest) -> Any:
    access = _reading(request)
    run = AdviceRun.objects.first()
    if run is None:
        return AdviceSignalsOut(looked_at=None, quarters=[], signals=[])
    shown = [
        _signal_out(s)
        for s in run.signals.select_related("department")
        if policy.can_read_signal(access, s.department_id)
    ]
    return AdviceSignalsOut(looked_at=run.at, quarters=list(run.quarters), signals=shown)


def _proposal_out(request: HttpRequest, proposal: Proposal) -> AdviceProposalOut:
    access, lang = access_for(request), current_lang()
    pending = proposal.is_pending
    stale = pending and is_stale(proposal)
    return AdviceProposalOut(
        id=proposal.pk, kind=proposal.kind, stage=proposal.stage, scheme=proposal.code,
        base_version=proposal.base_version.number, status=proposal.status, out_of_date=stale,
        changes=[
            AdviceChangeOut(
                dimension=c["dimension"], indicator=c["indicator"],
                name=c["name_zh"] if lang == "zh" else c["name_en"],
                points_before=c["points_before"], points_after=c["points_after"],
                weight_before=c["weight_before"], weight_after=c["weight_after"],
                reason=c["reason_zh"] if lang == "zh" else c["reason_en"], raised=c["raised"],
            )
            for c in proposal.changes
        ],
        skipped=[s["reason_zh"] if lang == "zh" else s["reason_en"] for s in proposal.skipped],
        text=proposal.accepted_text or proposal.text, base_text=proposal.base_text,
        signals=sorted(s.pk for s in proposal.signals.all()
                       if policy.can_read_signal(access, s.department_id)),
        compare_cycle=proposal.compare_cycle_id,
        compare_version=proposal.compare_version.number if proposal.compare_version else None,
        created_at=proposal.created_at, decided_at=proposal.decided_at, reason=proposal.reason,
        edited=proposal.edited,
        accepted_version=(proposal.accepted_version.number if proposal.accepted_version
                          else None),
        may_decide=pending and not stale and policy.can_decide_proposal(access, proposal),
    )  # fmt: skip


def _visible(request: HttpRequest, proposal_id: int) -> Proposal:
    found = (
        Proposal.objects.select_related("base_version", "compare_version", "accepted_version")
        .filter(pk=proposal_id)
        .first()
    )
    if found is None or not policy.can_read_proposal(_reading(request), found):
        raise Http404
    return found


def _refusing(call: Any) -> Any:
    try:
        return call()
    except (Proposal.DoesNotExist, LaunchFlag.DoesNotExist):
        raise Http404 from None
    except AdviceRefused as refused:
        if refused.field:
            raise ValidationProblem(
                [{"field": refused.field, "in": "body", "reason": str(refused)}]
            ) from None
        raise HttpError(409, str(refused)) from None


class AdviceProposalFilters(Schema):
    status: str | None = Field(None, description="pending, accepted, rejected or superseded")


@router.get(
    "/insights/advice/proposals",
    response=list[AdviceProposalOut],
    summary="Weight proposals for the schemes' next versions, newest first",
)
def proposals(request: HttpRequest, filters: Query[AdviceProposalFilters]) -> Any:
    access = _reading(request)
    found = Proposal.objects.select_related("base_version", "compare_version", "accepted_version")
    if filters.status:
        if filters.status not in Proposal.Status.values:
            reason = _("Choose pending, accepted, rejected or superseded.")
            raise ValidationProblem([{"field": "status", "in": "query", "reason": reason}])
        found = found.filter(status=filters.status)
    listed = [p for p in found[: LISTED * 3] if policy.can_read_proposal(access, p)]
    return [_proposal_out(request, p) for p in listed[:LISTED]]


@router.post(
    "/insights/advice/proposals",
    response={201: AdviceLookOut},
    summary="Look for signals now, and propose new weights for the schemes in use",
    description="Judges the lake's figures of the last five quarters and HR's launch flags; "
    "a scheme the signals would change gets a pending proposal (its earlier pending one is "
    "superseded). Whole-organisation HR only. Answers when done.",
)
def look(request: HttpRequest) -> Any:
    report = do_look_for_signals(request.user)
    return Status(201, AdviceLookOut(
        looked_at=report.run.at, quarters=list(report.run.quarters), signals=report.signals,
        proposals=[_proposal_out(request, p) for p in report.made],
        unchanged=report.unchanged, superseded=report.superseded,
    ))  # fmt: skip


@router.get(
    "/insights/advice/proposals/{proposal_id}",
    response=AdviceProposalOut,
    summary="One weight proposal: its changes, texts and the cycle its what-if replays",
)
def proposal(request: HttpRequest, proposal_id: int) -> Any:
    return _proposal_out(request, _visible(request, proposal_id))


class AdviceAcceptIn(Schema):
    text: str | None = Field(
        None, description="HR's edit of the proposed YAML; leave out to accept it as it is."
    )


@router.post(
    "/insights/advice/proposals/{proposal_id}/accept",
    response=AdviceProposalOut,
    summary="Accept a proposal: it becomes the scheme's next version for future cycles",
)
def accept(request: HttpRequest, proposal_id: int, body: AdviceAcceptIn) -> Any:
    _visible(request, proposal_id)
    _refusing(lambda: do_accept_proposal(request.user, proposal_id, body.text))
    return _proposal_out(request, _visible(request, proposal_id))


class AdviceRejectIn(Schema):
    reason: str = Field(..., description="Why; kept with the proposal and in the audit log.")


@router.post(
    "/insights/advice/proposals/{proposal_id}/reject",
    response=AdviceProposalOut,
    summary="Reject a proposal, with the reason",
)
def reject(request: HttpRequest, proposal_id: int, body: AdviceRejectIn) -> Any:
    _visible(request, proposal_id)
    _refusing(lambda: do_reject_proposal(request.user, proposal_id, body.reason))
    return _proposal_out(request, _visible(request, proposal_id))


class AdviceStageIn(Schema):
    scheme: str = Field(..., description="The scheme's code; its latest version is moved.")
    stage: str = Field(..., description="startup, growth or mature")


@router.post(
    "/insights/advice/stages",
    response={201: AdviceProposalOut},
    summary="Propose moving a director's scheme to a company stage's weights",
)
def stage(request: HttpRequest, body: AdviceStageIn) -> Any:
    _reading(request)
    version = latest_version(body.scheme)
    if version is None:
        reason = _("There is no scheme called %(code)s.") % {"code": body.scheme}
        raise ValidationProblem([{"field": "scheme", "in": "body", "reason": reason}])
    made = _refusing(lambda: do_propose_stage(request.user, version.pk, body.stage))
    return Status(201, _proposal_out(request, _visible(request, made.pk)))


# --- launch flags --------------------------------------------------------------------------


class LaunchFlagOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date
    indicators: list[str]
    weight: int  # points of weight, 1–5, shared among a scheme's indicators it names
    note: str
    ended_on: date | None  # ended early by HR
    current: bool  # under way or to come, and not ended: the advice reads it


class LaunchFlagIn(Schema):
    name: str
    starts_on: date
    ends_on: date
    indicators: list[str] = Field(..., description="Indicator ids, e.g. fcr.")
    weight: int = 3
    note: str = ""


def _flag_out(flag: LaunchFlag) -> LaunchFlagOut:
    return LaunchFlagOut(
        id=flag.pk, name=flag.name, starts_on=flag.starts_on, ends_on=flag.ends_on,
        indicators=list(flag.indicators), weight=flag.weight, note=flag.note,
        ended_on=flag.ended_on, current=flag.is_current(timezone.localdate()),
    )  # fmt: skip


def _flag(request: HttpRequest, flag_id: int) -> LaunchFlag:
    _reading(request)
    found = LaunchFlag.objects.filter(pk=flag_id).first()
    if found is None:
        raise Http404
    return found


def _flag_input(body: LaunchFlagIn) -> LaunchFlagInput:
    return LaunchFlagInput(body.name, body.starts_on, body.ends_on, body.indicators,
                           body.weight, body.note)  # fmt: skip


@router.get("/insights/advice/flags", response=list[LaunchFlagOut], summary="HR's launch flags")
def flags(request: HttpRequest) -> Any:
    _reading(request)
    return [_flag_out(flag) for flag in LaunchFlag.objects.all()]


@router.post(
    "/insights/advice/flags",
    response={201: LaunchFlagOut},
    summary="Flag a new-product launch: its indicators are proposed more weight",
)
def create_flag(request: HttpRequest, body: LaunchFlagIn) -> Any:
    _reading(request)
    made = _refusing(lambda: do_save_launch_flag(request.user, None, _flag_input(body)))
    return Status(201, _flag_out(made))


@router.put(
    "/insights/advice/flags/{flag_id}", response=LaunchFlagOut, summary="Change a launch flag"
)
def update_flag(request: HttpRequest, flag_id: int, body: LaunchFlagIn) -> Any:
    _flag(request, flag_id)
    return _flag_out(_refusing(lambda: do_save_launch_flag(request.user, flag_id,
                                                           _flag_input(body))))  # fmt: skip


@router.post(
    "/insights/advice/flags/{flag_id}/end",
    response=LaunchFlagOut,
    summary="End a launch flag today: the advice reads it no more",
)
def end_flag(request: HttpRequest, flag_id: int) -> Any:
    _flag(request, flag_id)
    return _flag_out(_refusing(lambda: do_end_launch_flag(request.user, flag_id)))


class LaunchFlagDeletedOut(Schema):
    deleted: bool
    id: int


# Declared by method name: the write check reads ``router.delete(`` as a model deletion.
@router.api_operation(
    ["DELETE"],
    "/insights/advice/flags/{flag_id}",
    response=LaunchFlagDeletedOut,
    summary="Delete a launch flag",
)
def delete_flag(request: HttpRequest, flag_id: int) -> Any:
    _flag(request, flag_id)
    _refusing(lambda: do_delete_launch_flag(request.user, flag_id))
    return LaunchFlagDeletedOut(deleted=True, id=flag_id)
