"""Pay pages: the pay list with its budget and exports, and each person's PDF report.
Views look up, ask the policy, call an action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.appraisals.models import Cycle
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import (
    PayRefused,
    do_export_pay_list,
    do_export_report,
    do_set_budget,
    parse_amount,
)
from .models import PayExport
from .paylist import budget, cycle_versions, pay_list, superseded_by

PAGE = 100


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None or cycle not in policy.cycles_for_pay(access_for(request)):
        raise Http404
    return cycle


@requires(policy.can_open_pay_pages)
def pay_cycles(request: HttpRequest) -> HttpResponse:
    cycles = policy.cycles_for_pay(access_for(request))
    return render(request, "pay/cycles.html", {"cycles": cycles})


@requires(policy.can_open_pay_pages)
def pay_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    access = access_for(request)
    paylist = pay_list(access, cycle)
    page = Paginator(paylist.rows, PAGE).get_page(request.GET.get("page"))
    shows_budget = policy.can_see_budget(access)
    departments, total = budget(access, cycle) if shows_budget else ([], None)
    context = {
        "cycle": cycle,
        "paylist": paylist,
        "page": page,
        "departments": departments,
        "total": total,
        "shows_budget": shows_budget,
        "sets_budget": policy.can_set_budgets(access),
        "exports": _exports(request, cycle, shows_budget),
    }
    response = render(request, "pay/cycle.html", context)
    response["Cache-Control"] = "no-store"  # pay
    return response


def _exports(request: HttpRequest, cycle: Cycle, everyone: bool) -> list[dict[str, Any]]:
    """The cycle's exports (HR: all; others: their own), each with what changed since."""
    found = PayExport.objects.filter(cycle=cycle)
    if not everyone:
        found = found.filter(actor=request.user)
    now = cycle_versions(cycle)
    shown = []
    for export in found[:20]:
        changed, added = superseded_by(export.versions, now)
        shown.append({"export": export, "changed": changed, "added": added})
    return shown


@require_POST
@requires(policy.can_open_pay_pages)
def pay_budget(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    changed = 0
    try:
        for key, text in request.POST.items():
            if key.startswith("budget_") and key.removeprefix("budget_").isdigit():
                department = int(key.removeprefix("budget_"))
                before = request.POST.get(f"was_{department}", "")
                if text.strip() == before.strip():
                    continue
                do_set_budget(request.user, cycle.pk, department, parse_amount(text))
                changed += 1
    except PayRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Budgets saved: %(count)s changed.") % {"count": changed})
    return redirect("pay-cycle", pk=cycle.pk)


@require_POST
@requires(policy.can_open_pay_pages)
def pay_export(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    lang = "en" if request.POST.get("lang") == "en" else "zh"
    try:
        exported = do_export_pay_list(request.user, cycle.pk, request.POST.get("format", ""), lang)
    except PayRefused as refused:
        messages.error(request, str(refused))
        return redirect("pay-cycle", pk=cycle.pk)
    return exported.response()


def pay_report(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    try:
        exported = do_export_report(request.user, pk)
    except PermissionDenied:
        raise Http404 from None
    return exported.response()
