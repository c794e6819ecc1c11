"""The development app's writes: proposals from locked results and HR's decisions on them,
plans (IDP and PIP) with their items, the employee's agreement, check-ins and outcomes.

Every ``do_*`` takes the actor and typed inputs, asks the policy, writes the audit row and
commits in one transaction. ``propose_for`` runs inside the step that locks a result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.weakest import weakest
from kaohe.audit.models import record
from kaohe.i18n import current_lang
from kaohe.org.policy import access_for

from . import policy
from .library import action_for
from .models import BY_PLACE, CheckIn, Item, Kind, Plan, Proposal


class DevelopmentRefused(Exception):
    """Refused for a reason the user can act on; worded for them."""


def propose_for(result: Result, actor: Any) -> Proposal:
    """The development the grade of a newly locked result proposes; a proposal of an
    earlier version still open is superseded by it."""
    appraisal = result.appraisal
    scale = appraisal.version.scheme().grades
    places = [band.grade for band in scale.bands]
    place = places.index(result.grade) if result.grade in places else len(places) - 1
    band = scale.bands[place]
    kind = BY_PLACE[min(place, len(BY_PLACE) - 1)]
    open_ones = Proposal.objects.filter(appraisal=appraisal, status=Proposal.Status.PROPOSED)
    open_ones.update(status=Proposal.Status.SUPERSEDED)
    made = Proposal.objects.create(
        appraisal=appraisal, result_number=result.number, grade=result.grade, kind=kind,
        proposed_kind=kind, action_zh=band.actions.zh, action_en=band.actions.en,
    )  # fmt: skip
    record(
        actor, "development.propose", made,
        after={"person": appraisal.employee.number, "grade": result.grade, "kind": kind},
    )  # fmt: skip
    return made


DECISIONS = ("accept", "change", "dismiss")


def do_decide_proposal(
    actor: Any, proposal_id: int, decision: str, reason: str = "", kind: str = ""
) -> Proposal:
    """HR accepts a proposal, changes it to another kind, or dismisses it; a change or a
    dismissal needs a reason."""
    reason = reason.strip()
    if decision not in DECISIONS:
        raise DevelopmentRefused(_("Accept, change or dismiss the proposal."))
    if decision != "accept" and not reason:
        raise DevelopmentRefused(_("Say why the proposal is changed or dismissed."))
    if decision == "change" and kind not in Kind.values:
        raise DevelopmentRefused(_("Choose what the proposal becomes."))
    with transaction.atomic(durable=True):
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("appraisal__employee")
            .filter(pk=proposal_id)
            .first()
        )
        if proposal is None or not policy.may_decide(access_for(actor), proposal):
            raise PermissionDenied
        if proposal.status != Proposal.Status.PROPOSED:
            raise DevelopmentRefused(_("This proposal has been decided already."))
        before = {"status": proposal.status, "kind": proposal.kind}
        proposal.status = {
            "accept": Proposal.Status.ACCEPTED,
            "change": Proposal.Status.CHANGED,
            "dismiss": Proposal.Status.DISMISSED,
        }[decision]
        if decision == "change":
            proposal.kind = kind
        proposal.reason = reason
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.save()
        record(
            actor, "development.decide", proposal, before=before,
            after={"status": proposal.status, "kind": proposal.kind}, note=reason,
        )  # fmt: skip
        return proposal


# --- plans -------------------------------------------------------------------------------


def do_start_plan(actor: Any, appraisal_id: int, plan_type: str) -> Plan:
    """A draft IDP or PIP for a locked result, its items proposed from the weakest
    indicators, each with the library's action."""
    if plan_type not in Plan.Type.values:
        raise DevelopmentRefused(_("Choose a development plan or an improvement plan."))
    with transaction.atomic(durable=True):
        appraisal = (
            Appraisal.objects.select_related("employee", "employee__department")
            .filter(pk=appraisal_id)
            .first()
        )
        if appraisal is None or not policy.may_start_plan(access_for(actor), appraisal):
            raise PermissionDenied
        result = appraisal.latest_result()
        if result is None:
            raise DevelopmentRefused(_("A plan follows a locked result: finalise it first."))
        if Plan.objects.filter(appraisal=appraisal, type=plan_type).exists():
            raise DevelopmentRefused(_("This appraisal has such a plan already."))
        plan = Plan.objects.create(
            appraisal=appraisal, employee=appraisal.employee, type=plan_type, created_by=actor
        )
        lang, lang_names = current_lang(), []
        for weak in weakest(result.trace):
            label = weak.name.get(lang) or weak.indicator
            Item.objects.create(
                plan=plan, indicator=weak.indicator, label=label,
                action=action_for(weak.indicator, weak.dimension)(lang),
            )  # fmt: skip
            lang_names.append(label)
        record(
            actor, "development.plan", plan,
            after={"person": appraisal.employee.number, "type": plan_type,
                   "items": lang_names},
        )  # fmt: skip
        return plan


@dataclass(frozen=True)
class ItemInput:
    """One item as a page posts it; ``id`` None for a new one, ``drop`` to remove it."""

    id: int | None
    action: str
    goal: str = ""
    due: date | None = None
    status: str = Item.Status.OPEN
    label: str = ""
    drop: bool = False


def do_save_plan(
    actor: Any, plan_id: int, items: Sequence[ItemInput], support: str | None = None
) -> Plan:
    """The manager's (or HR's) edit of a plan's items, and of a PIP's support."""
    with transaction.atomic(durable=True):
        plan = _locked_plan(actor, plan_id)
        if not policy.may_edit_plan(access_for(actor), plan):
            raise PermissionDenied
        before = _plan_data(plan)
        held = {item.pk: item for item in plan.items.all()}
        for given in items:
            if given.status not in Item.Status.values:
                raise DevelopmentRefused(_("Choose a status from the list."))
            if given.id is not None and given.id not in held:
                raise PermissionDenied
            if given.drop:
                if given.id is not None:
                    held[given.id].delete()
                continue
            if not given.action.strip():
                raise DevelopmentRefused(_("Every item needs an action."))
            item = held.get(given.id) if given.id is not None else Item(plan=plan)
            assert item is not None
            item.action, item.goal = given.action.strip(), given.goal.strip()
            item.due, item.status = given.due, given.status
            if given.label.strip() or not item.label:
                item.label = (given.label.strip() or _("Other"))[:200]
            item.save()
        if support is not None:
            plan.support = support.strip()
            plan.save(update_fields=["support"])
        record(actor, "development.items", plan, before=before, after=_plan_data(plan))
        return plan


def do_agree_plan(actor: Any, plan_id: int) -> Plan:
    """The employee agrees the plan their manager drafted."""
    with transaction.atomic(durable=True):
        plan = _locked_plan(actor, plan_id)
        if not policy.may_agree(access_for(actor), plan):
            raise PermissionDenied
        if not plan.items.exists():
            raise DevelopmentRefused(_("There is nothing to agree yet: the plan has no items."))
        plan.status, plan.agreed_at = Plan.Status.AGREED, timezone.now()
        plan.save(update_fields=["status", "agreed_at"])
        record(actor, "development.agree", plan, before={"status": "draft"},
               after={"status": "agreed"})  # fmt: skip
        return plan


def do_check_in(actor: Any, plan_id: int, on: date, note: str) -> CheckIn:
    with transaction.atomic(durable=True):
        plan = _locked_plan(actor, plan_id)
        if not policy.may_edit_plan(access_for(actor), plan):
            raise PermissionDenied
        if not note.strip():
            raise DevelopmentRefused(_("Write what the check-in found."))
        made = CheckIn.objects.create(plan=plan, on=on, note=note.strip(), recorded_by=actor)
        record(actor, "development.check_in", plan, after={"on": on.isoformat(),
                                                             "note": made.note})  # fmt: skip
        return made


def do_set_outcome(actor: Any, plan_id: int, outcome: str, reason: str) -> Plan:
    """A PIP's outcome: passed or failed closes it; extended keeps it open."""
    if outcome not in (Plan.Outcome.PASSED, Plan.Outcome.EXTENDED, Plan.Outcome.FAILED):
        raise DevelopmentRefused(_("The outcome is passed, extended or failed."))
    if not reason.strip():
        raise DevelopmentRefused(_("Say why: an improvement plan's outcome needs a reason."))
    with transaction.atomic(durable=True):
        plan = _locked_plan(actor, plan_id)
        if plan.type != Plan.Type.PIP or not policy.may_edit_plan(access_for(actor), plan):
            raise PermissionDenied
        before = {"outcome": plan.outcome, "status": plan.status}
        plan.outcome = outcome
        if outcome != Plan.Outcome.EXTENDED:
            plan.status, plan.closed_at = Plan.Status.CLOSED, timezone.now()
        plan.save(update_fields=["outcome", "status", "closed_at"])
        record(actor, "development.outcome", plan, before=before,
               after={"outcome": outcome, "status": plan.status}, note=reason.strip())  # fmt: skip
        return plan


def _locked_plan(actor: Any, plan_id: int) -> Plan:
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__department")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not policy.can_view_plan(access_for(actor), plan):
        raise PermissionDenied
    return plan


def _plan_data(plan: Plan) -> dict[str, Any]:
    return {
        "support": plan.support,
        "items": [
            {"label": i.label, "action": i.action, "goal": i.goal, "status": i.status,
             "due": i.due.isoformat() if i.due else None}
            for i in plan.items.all()
        ],
    }  # fmt: skip
