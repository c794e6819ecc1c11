"""The weight advice's writes: looking for signals (from the page, the API or the scheduled
task), a stage's weights proposed, a proposal accepted (as it is or edited) or rejected,
and HR's launch flags.

Every ``do_*`` takes the actor (None: the scheduled task), asks the policy, writes the
audit row and commits in one transaction. Accepting saves the scheme through the schemes
app's own ``do_save_scheme``, which makes a new version of a version a cycle uses (or of a
built-in template): a running cycle keeps scoring by the version it started with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.analytics import Proposed, Signal
from kaohe.audit.models import record
from kaohe.org.policy import access_for
from kaohe.schemes.actions import SchemeRefused, do_save_scheme
from kaohe.schemes.library import latest_version
from kaohe.schemes.models import SchemeVersion

from . import policy
from .advice_data import Found, figures_data, look
from .advice_proposals import (
    STAGES,
    drafts_for,
    indicator_choices,
    last_finished_cycle,
    stage_proposed,
)
from .models import AdviceRun, AdviceSignal, LaunchFlag, Proposal

NAME_LIMIT, NOTE_LIMIT, REASON_LIMIT = 100, 1000, 2000


class AdviceRefused(Exception):
    """Refused for a reason the user can act on, worded for them; ``field`` names the input
    at fault, if one is."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Only HR for the whole organisation changes the weight advice."))


# --- looking for signals -------------------------------------------------------------------


@dataclass
class LookReport:
    run: AdviceRun
    signals: int = 0
    made: list[Proposal] = field(default_factory=list)
    unchanged: int = 0  # schemes whose pending proposal stands as it was
    superseded: int = 0


def do_look_for_signals(actor: Any, *, now: datetime | None = None) -> LookReport:
    """Judge the figures, keep the signals found and propose a new version of every scheme
    in use they would change. A pending proposal of a scheme gives way to the new one (it
    is *superseded*), unless the new one is the same."""
    if actor is not None:
        _check(policy.can_look_for_signals(access_for(actor)))
    now = now or timezone.now()
    found = look(now, timezone.localdate(now))  # reads the lake: before the transaction
    drafts = list(drafts_for(found.signals, found.departments))
    with transaction.atomic(durable=True):
        run = AdviceRun.objects.create(by=_user(actor), quarters=found.quarters)
        stored = [_store_signal(run, found, index) for index in range(len(found.signals))]
        report = LookReport(run, signals=len(stored))
        for draft in drafts:
            pending = Proposal.objects.filter(
                code=draft.version.code, kind=Proposal.Kind.SIGNALS, status=Proposal.Status.PENDING
            )
            if pending.filter(base_version=draft.version, text=draft.proposed.text).exists():
                report.unchanged += 1
                continue
            report.superseded += pending.update(status=Proposal.Status.SUPERSEDED)
            made = _proposal(actor, draft.version, draft.proposed, Proposal.Kind.SIGNALS, run=run)
            made.signals.set([stored[index] for index in draft.signals])
            report.made.append(made)
        run.proposals_made = len(report.made)
        run.save(update_fields=["proposals_made"])
        record(actor, "advice.look", run, after={
            "quarters": found.quarters, "signals": report.signals,
            "proposals": [str(p) for p in report.made], "superseded": report.superseded,
        })  # fmt: skip
    return report


def _store_signal(run: AdviceRun, found: Found, index: int) -> AdviceSignal:
    signal: Signal = found.signals[index]
    return AdviceSignal.objects.create(
        run=run, kind=signal.kind, subject=signal.subject.key,
        department_id=found.departments.get(signal.subject.key),
        subject_name=signal.subject.name.zh, strength=signal.strength, weight=signal.weight,
        figures=figures_data(signal), sentence_zh=signal.sentence.zh,
        sentence_en=signal.sentence.en, flag=found.flags.get(index),
        indicators=list(signal.indicators),
    )  # fmt: skip


def _proposal(
    actor: Any, version: SchemeVersion, proposed: Proposed, kind: str, *,
    stage: str = "", run: AdviceRun | None = None,
) -> Proposal:  # fmt: skip
    cycle, used = last_finished_cycle(version.code)
    return Proposal.objects.create(
        kind=kind, stage=stage, run=run, code=version.code, base_version=version,
        base_text=version.text, text=proposed.text, changes=_changes_data(proposed),
        skipped=[{"indicator": s.indicator, "reason_zh": s.reason.zh, "reason_en": s.reason.en}
                 for s in proposed.skipped],
        compare_cycle=cycle, compare_version=used, created_by=_user(actor),
    )  # fmt: skip


def _changes_data(proposed: Proposed) -> list[dict[str, Any]]:
    return [
        {
            "dimension": c.dimension, "indicator": c.indicator,
            "name_zh": c.name.zh, "name_en": c.name.en,
            "points_before": _plain(c.points_before),
            "points_after": _plain(c.points_after),
            "weight_before": str(c.weight_before), "weight_after": str(c.weight_after),
            "reason_zh": c.reason.zh, "reason_en": c.reason.en, "raised": c.raised,
        }
        for c in proposed.changes
    ]  # fmt: skip


def _plain(number: Decimal) -> str:
    """10, 9.5, 4.75: as the scheme writes points."""
    return format(number.normalize(), "f")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- stages --------------------------------------------------------------------------------


def do_propose_stage(actor: Any, version_id: int, stage: str) -> Proposal:
    """A proposal moving the scheme version to a stage's weights (start-up, growth or
    mature); the pending one already made, if the same."""
    version = SchemeVersion.objects.get(pk=version_id)
    if not policy.can_propose_stage(access_for(actor), version):
        raise PermissionDenied(_("Only HR who may save this scheme proposes its weights."))
    if stage not in STAGES:
        raise AdviceRefused(_("Choose the start-up, growth or mature stage."), "stage")
    proposed = stage_proposed(version, stage)
    if not proposed.changes:
        raise AdviceRefused(_(
            "This scheme has none of the indicators the stage changes, or has the stage's "
            "weights already."
        ), "stage")  # fmt: skip
    with transaction.atomic(durable=True):
        same = Proposal.objects.filter(
            base_version=version, kind=Proposal.Kind.STAGE, stage=stage,
            status=Proposal.Status.PENDING, text=proposed.text,
        ).first()  # fmt: skip
        if same is not None:
            return same
        made = _proposal(actor, version, proposed, Proposal.Kind.STAGE, stage=stage)
        record(actor, "advice.stage", made, after={"stage": stage, **made.audit_snapshot()})
    return made


# --- deciding ------------------------------------------------------------------------------


def is_stale(proposal: Proposal) -> bool:
    """The scheme changed since: a newer version, or its draft edited."""
    latest = latest_version(proposal.code)
    return (
        latest is None
        or latest.pk != proposal.base_version_id
        or proposal.base_version.text != proposal.base_text
    )


def _deciding(actor: Any, proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_related("base_version").get(pk=proposal_id)
    if not policy.can_decide_proposal(access_for(actor), proposal):
        raise PermissionDenied(_("Only HR who may save this scheme decides on its proposals."))
    if not proposal.is_pending:
        raise AdviceRefused(
            {
                Proposal.Status.ACCEPTED: _("This proposal has been accepted already."),
                Proposal.Status.REJECTED: _("This proposal has been rejected already."),
            }.get(proposal.status, _("This proposal has given way to a newer one."))
        )
    return proposal


def do_accept_proposal(actor: Any, proposal_id: int, text: str | None = None) -> Proposal:
    """Save the proposed text (or HR's edit of it, ``text``) as the scheme's next version,
    through the schemes app; the scheme's other pending proposals are superseded."""
    proposal = _deciding(actor, proposal_id)
    if is_stale(proposal):
        raise AdviceRefused(_(
            "The scheme has changed since this proposal was made. Look for signals again to "
            "have a proposal on its current version."
        ))  # fmt: skip
    chosen = proposal.text if text is None else text
    if "\r" not in proposal.text:
        chosen = chosen.replace("\r\n", "\n")  # a browser posts a text area's lines so
    if chosen.strip() == proposal.base_text.strip():
        raise AdviceRefused(_(
            "The text is the scheme as it is, so there is nothing to accept. Reject the "
            "proposal instead."
        ), "text")  # fmt: skip
    try:
        saved = do_save_scheme(actor, proposal.base_version, chosen)
    except SchemeRefused as refused:
        raise AdviceRefused(str(refused), "text") from None
    with transaction.atomic(durable=True):
        decided = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
            status=Proposal.Status.ACCEPTED, decided_by=_user(actor), decided_at=timezone.now(),
            accepted_text=chosen, edited=chosen != proposal.text, accepted_version=saved,
        )  # fmt: skip
        if not decided:
            raise AdviceRefused(_("This proposal was decided meanwhile."))
        Proposal.objects.filter(code=proposal.code, status=Proposal.Status.PENDING).update(
            status=Proposal.Status.SUPERSEDED
        )
        proposal.refresh_from_db()
        record(actor, "advice.accept", proposal, before={"status": Proposal.Status.PENDING},
               after={**proposal.audit_snapshot(), "version": str(saved),
                      "edited": proposal.edited})  # fmt: skip
    return proposal


def do_reject_proposal(actor: Any, proposal_id: int, reason: str) -> Proposal:
    reason = reason.strip()
    if not reason:
        raise AdviceRefused(_("Say why the proposal is rejected."), "reason")
    if len(reason) > REASON_LIMIT:
        raise AdviceRefused(
            _("Keep the reason to %(limit)d characters.") % {"limit": REASON_LIMIT}, "reason"
        )
    proposal = _deciding(actor, proposal_id)
    with transaction.atomic(durable=True):
        decided = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
            status=Proposal.Status.REJECTED, decided_by=_user(actor), decided_at=timezone.now(),
            reason=reason,
        )  # fmt: skip
        if not decided:
            raise AdviceRefused(_("This proposal was decided meanwhile."))
        proposal.refresh_from_db()
        record(actor, "advice.reject", proposal, before={"status": Proposal.Status.PENDING},
               after=proposal.audit_snapshot(), note=reason)  # fmt: skip
    return proposal


# --- launch flags --------------------------------------------------------------------------


@dataclass(frozen=True)
class LaunchFlagInput:
    name: str
    starts_on: date
    ends_on: date
    indicators: Sequence[str]
    weight: int = 3  # points of weight, 1–5, shared among the indicators of a scheme
    note: str = ""


def _checked_flag(data: LaunchFlagInput) -> LaunchFlagInput:
    name, note = " ".join(data.name.split()), data.note.strip()
    if not name:
        raise AdviceRefused(_("Name the launch, e.g. the product's name."), "name")
    if len(name) > NAME_LIMIT:
        raise AdviceRefused(_("Keep the name to %(limit)d characters.") % {"limit": NAME_LIMIT},
                            "name")  # fmt: skip
    if data.ends_on < data.starts_on:
        raise AdviceRefused(_("The launch cannot end before it starts."), "ends_on")
    indicators = list(dict.fromkeys(i.strip() for i in data.indicators if i.strip()))
    if not indicators:
        raise AdviceRefused(_("Choose the indicators the launch concerns."), "indicators")
    unknown = [i for i in indicators if i not in indicator_choices()]
    if unknown:
        raise AdviceRefused(_("No scheme in use has an indicator called %(id)s.")
                            % {"id": unknown[0]}, "indicators")  # fmt: skip
    if not 1 <= data.weight <= 5:
        raise AdviceRefused(_("A launch moves 1 to 5 points of weight."), "weight")
    if len(note) > NOTE_LIMIT:
        raise AdviceRefused(_("Keep the note to %(limit)d characters.") % {"limit": NOTE_LIMIT},
                            "note")  # fmt: skip
    return LaunchFlagInput(name, data.starts_on, data.ends_on, indicators, data.weight, note)


def do_save_launch_flag(actor: Any, flag_id: int | None, data: LaunchFlagInput) -> LaunchFlag:
    """A new launch flag (``flag_id`` None), or one changed."""
    _check(policy.can_set_launch_flags(access_for(actor)))
    given = _checked_flag(data)
    with transaction.atomic(durable=True):
        flag = LaunchFlag(created_by=_user(actor)) if flag_id is None else (
            LaunchFlag.objects.select_for_update().get(pk=flag_id))  # fmt: skip
        before = None if flag_id is None else flag.audit_snapshot()
        flag.name, flag.starts_on, flag.ends_on = given.name, given.starts_on, given.ends_on
        flag.indicators, flag.weight, flag.note = list(given.indicators), given.weight, given.note
        flag.save()
        record(actor, "advice.flag", flag, before=before, after=flag.audit_snapshot())
    return flag


def do_end_launch_flag(actor: Any, flag_id: int, today: date | None = None) -> LaunchFlag:
    """End a launch flag today: the advice reads it no more."""
    _check(policy.can_set_launch_flags(access_for(actor)))
    with transaction.atomic(durable=True):
        flag = LaunchFlag.objects.select_for_update().get(pk=flag_id)
        if flag.ended_on is not None:
            raise AdviceRefused(_("This launch flag has ended already."))
        before = flag.audit_snapshot()
        flag.ended_on = today or timezone.localdate()
        flag.save(update_fields=["ended_on", "updated_at"])
        record(actor, "advice.flag_end", flag, before=before, after=flag.audit_snapshot())
    return flag


def do_delete_launch_flag(actor: Any, flag_id: int) -> None:
    _check(policy.can_set_launch_flags(access_for(actor)))
    with transaction.atomic(durable=True):
        flag = LaunchFlag.objects.select_for_update().get(pk=flag_id)
        record(actor, "advice.flag_delete", flag, before=flag.audit_snapshot())
        flag.delete()
