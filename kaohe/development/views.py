"""Development pages: proposals and promotion candidates for HR, an appraisal's
development, and a plan (IDP or PIP) with its items, agreement, check-ins and outcome.
Views look up, ask the policy, call an action, render."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.appraisals.models import Appraisal
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import (
    DevelopmentRefused,
    ItemInput,
    do_agree_plan,
    do_check_in,
    do_decide_proposal,
    do_save_plan,
    do_set_outcome,
    do_start_plan,
)
from .candidates import DEFAULT_CYCLES, promotion_candidates
from .diagnosis import BY, cycles_with_results, report
from .models import Item, Kind, Plan, Proposal


@requires(policy.can_open_development)
def development(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    context = {
        "proposals": list(
            policy.proposals_in_view(access).filter(status=Proposal.Status.PROPOSED)[:200]
        ),
        "decided": list(
            policy.proposals_in_view(access).exclude(status=Proposal.Status.PROPOSED)[:50]
        ),
        "plans": list(policy.plans_in_view(access)[:200]),
        "to_follow": list(policy.results_to_follow_up(access)[:200]),
        "decides": policy.can_decide_proposals(access),
        "reads_diagnosis": policy.can_read_diagnosis(access),
        "kinds": Kind.choices,
    }
    return render(request, "development/index.html", context)


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        do_decide_proposal(
            request.user, pk, request.POST.get("decision", ""), request.POST.get("reason", ""),
            request.POST.get("kind", ""),
        )  # fmt: skip
    except DevelopmentRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("The proposal is decided."))
    return redirect("development")


@requires(policy.can_see_promotion_candidates)
def candidates(request: HttpRequest) -> HttpResponse:
    cycles = request.GET.get("cycles", "")
    count = int(cycles) if cycles.isdigit() and 1 <= int(cycles) <= 12 else DEFAULT_CYCLES
    found = promotion_candidates(policy.results_for_candidates(access_for(request)), count)
    return render(request, "development/candidates.html", {"candidates": found, "cycles": count})


@requires(policy.can_read_diagnosis)
def diagnosis(request: HttpRequest) -> HttpResponse:
    """Attainment per indicator by department or position, and the indicators where many
    people score low, for one cycle or the last ones together."""
    access = access_for(request)
    cycles = cycles_with_results(access)
    chosen = request.GET.get("cycle", "")
    by = request.GET.get("by") if request.GET.get("by") in BY else "department"
    if chosen == "all":
        picked = cycles[:LAST_CYCLES]
    else:
        picked = [c for c in cycles if str(c.pk) == chosen][:1] or cycles[:1]
    found = report(access, picked, by) if picked else None
    rows = []
    if found is not None:
        groups = found.diagnosis.groups
        for indicator in found.diagnosis.indicators:
            cells = [found.diagnosis.cells.get((indicator, group)) for group in groups]
            rows.append(
                {
                    "name": found.names[indicator],
                    "dimension": found.dimensions.get(indicator, ""),
                    "overall": found.diagnosis.overall[indicator],
                    "cells": [(cell, _heat(cell)) for cell in cells],
                }
            )
    context = {
        "cycles": cycles,
        "picked": picked,
        "chosen": chosen or (str(picked[0].pk) if picked else ""),
        "by": by,
        "report": found,
        "rows": rows,
        "last": LAST_CYCLES,
    }
    return render(request, "development/diagnosis.html", context)


LAST_CYCLES = 4


def _heat(cell: Any) -> int:
    """A cell's shade, 1 (under 60 %) to 5 (90 % and more)."""
    if cell is None:
        return 0
    return 1 + sum(cell.mean >= mark for mark in (Decimal("0.6"), Decimal("0.7"),
                                                   Decimal("0.8"), Decimal("0.9")))  # fmt: skip


def _appraisal(request: HttpRequest, pk: int) -> Appraisal:
    appraisal = (
        Appraisal.objects.select_related("employee", "employee__department", "cycle")
        .filter(pk=pk)
        .first()
    )
    if appraisal is None or not policy.can_view_development_of(access_for(request), appraisal):
        raise Http404
    return appraisal


@login_required
def appraisal_development(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal(request, pk)
    access = access_for(request)
    if request.method == "POST":
        try:
            plan = do_start_plan(request.user, appraisal.pk, request.POST.get("type", ""))
        except DevelopmentRefused as refused:
            messages.error(request, str(refused))
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect("development-plan", pk=plan.pk)
    proposal = appraisal.proposals.first() if policy.can_decide_proposals(access) else None
    context = {
        "appraisal": appraisal,
        "proposal": proposal,
        "plans": list(appraisal.plans.all()),
        "may_start": policy.may_start_plan(access, appraisal) and appraisal.results.exists(),
        "types": Plan.Type.choices,
    }
    return render(request, "development/appraisal.html", context)


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = (
        Plan.objects.select_related("employee", "employee__department", "appraisal__cycle")
        .filter(pk=pk)
        .first()
    )
    if plan is None or not policy.can_view_plan(access_for(request), plan):
        raise Http404
    return plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    access = access_for(request)
    if request.method == "POST":
        return _posted(request, plan)
    context = {
        "plan": plan,
        "items": list(plan.items.all()),
        "check_ins": list(plan.check_ins.all()),
        "may_edit": policy.may_edit_plan(access, plan),
        "may_agree": policy.may_agree(access, plan),
        "statuses": Item.Status.choices,
        "outcomes": [c for c in Plan.Outcome.choices if c[0]],
        "today": timezone.localdate(),
    }
    response = render(request, "development/plan.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _posted(request: HttpRequest, plan: Plan) -> HttpResponse:
    posted = request.POST
    try:
        if "agree" in posted:
            do_agree_plan(request.user, plan.pk)
            messages.success(request, _("You agreed the plan."))
        elif "check_in" in posted:
            do_check_in(request.user, plan.pk, _day(posted.get("on", "")) or timezone.localdate(),
                        posted.get("note", ""))  # fmt: skip
            messages.success(request, _("Check-in recorded."))
        elif "outcome" in posted:
            do_set_outcome(
                request.user, plan.pk, posted.get("outcome", ""), posted.get("reason", "")
            )
            messages.success(request, _("Outcome recorded."))
        else:
            support = posted.get("support") if plan.type == Plan.Type.PIP else None
            do_save_plan(request.user, plan.pk, _items(posted), support)
            messages.success(request, _("Plan saved."))
    except DevelopmentRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        messages.error(request, _("You may not change this plan."))
    return redirect("development-plan", pk=plan.pk)


def _items(posted: Any) -> list[ItemInput]:
    """The rows of the plan's form: ``item_<id>_…`` for the items, ``new_…`` for one more."""
    ids = sorted({key.split("_")[1] for key in posted if key.startswith("item_")})
    items = [
        ItemInput(
            id=int(pk),
            action=posted.get(f"item_{pk}_action", ""),
            goal=posted.get(f"item_{pk}_goal", ""),
            due=_day(posted.get(f"item_{pk}_due", "")),
            status=posted.get(f"item_{pk}_status", Item.Status.OPEN),
            drop=f"item_{pk}_drop" in posted,
        )
        for pk in ids
        if pk.isdigit()
    ]
    if posted.get("new_action", "").strip():
        items.append(
            ItemInput(
                id=None,
                action=posted["new_action"],
                goal=posted.get("new_goal", ""),
                due=_day(posted.get("new_due", "")),
                label=posted.get("new_label", ""),
            )
        )
    return items


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise DevelopmentRefused(
            _("“%(text)s” is not a date (YYYY-MM-DD).") % {"text": text}
        ) from None
