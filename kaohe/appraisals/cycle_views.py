"""HR's cycle pages: create, set schemes and pay per position, launch, watch, remind."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.i18n import listed
from kaohe.org.policy import access_for, requires
from kaohe.schemes import policy as scheme_policy
from kaohe.schemes.models import SchemeVersion
from kaohe.uploads import UploadRefused, remove_upload, save_upload

from . import policy
from .actions import (
    CycleRefused,
    PositionSetting,
    do_create_cycle,
    do_import_base_pay,
    do_launch_cycle,
    do_remind_overdue,
    do_save_cycle_settings,
    launch_problems,
    overdue,
)
from .forms import CycleForm
from .models import Appraisal, Cycle
from .workflow import STATE_LABELS, State

SHOWN_PROBLEMS = 50
LEFT_OUT = "left-out"


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=pk).first()
    if cycle is None or not policy.can_manage_cycle(access_for(request), cycle):
        raise Http404
    return cycle


@requires(policy.can_manage_cycles)
def cycle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "appraisals/cycles.html", {"cycles": policy.cycles_in_scope(access_for(request))}
    )


@requires(policy.can_manage_cycles)
def cycle_new(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None, access=access_for(request))
    if request.method == "POST" and form.is_valid():
        try:
            cycle = do_create_cycle(request.user, form.cycle_data())
        except CycleRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Cycle created. Check the schemes, then launch it."))
            return redirect("cycle", pk=cycle.pk)
    return render(request, "appraisals/cycle_new.html", {"form": form})


@requires(policy.can_manage_cycles)
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    if request.method == "POST":
        _save_settings(request, cycle)
        return redirect("cycle", pk=cycle.pk)
    access = access_for(request)
    counts = Counter(Appraisal.objects.filter(cycle=cycle).values_list("state", flat=True))
    settings = list(cycle.schemes.select_related("position", "version").order_by("position__name"))
    context = {
        "cycle": cycle,
        "settings": settings,
        "versions": [
            v
            for v in SchemeVersion.objects.order_by("code", "-number")
            if scheme_policy.can_use(access, v)
        ],
        "counts": [
            (label, counts.get(str(state), 0), state) for state, label in STATE_LABELS.items()
        ],
        "total": sum(counts.values()),
        "overdue": overdue(cycle)[:50],
        "base_pays": cycle.base_pays.count(),
        "deadlines": [(STATE_LABELS[State(s)], d) for s, d in cycle.deadlines.items()],
        "launch_problems": launch_problems(cycle) if cycle.status == Cycle.Status.DRAFT else [],
        "left_out": LEFT_OUT,
    }
    response = render(request, "appraisals/cycle.html", context)
    response["Cache-Control"] = "no-store"  # base pay
    return response


def _save_settings(request: HttpRequest, cycle: Cycle) -> None:
    wanted, problems = [], []
    for setting in cycle.schemes.select_related("position"):
        choice = request.POST.get(f"version_{setting.pk}", "")
        pay_text = (request.POST.get(f"pay_{setting.pk}") or "").strip().replace(",", "")
        try:
            pay = Decimal(pay_text) if pay_text else None
        except InvalidOperation:
            problems.append(_("%(position)s: base pay must be a number.")
                            % {"position": setting.position.name})  # fmt: skip
            continue
        wanted.append(
            PositionSetting(
                setting.pk,
                int(choice) if choice.isdigit() else None,
                left_out=choice == LEFT_OUT,
                base_pay=pay,
            )
        )
    if not problems:
        try:
            changed = do_save_cycle_settings(request.user, cycle, wanted)
        except CycleRefused as refused:
            problems = refused.problems
        else:
            messages.success(request, _("Saved: %(count)d positions changed.") % {"count": changed})
    for problem in problems:
        messages.error(request, problem)


@require_POST
@requires(policy.can_manage_cycles)
def cycle_base_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Each person's base pay from an uploaded CSV or XLSX, before launch."""
    cycle = _cycle(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file first."))
        return redirect("cycle", pk=cycle.pk)
    try:
        saved = save_upload(upload)
    except UploadRefused as refused:
        messages.error(request, str(refused))
        return redirect("cycle", pk=cycle.pk)
    name = saved.name
    try:
        count, problems = do_import_base_pay(request.user, cycle, saved.path, name)
    except CycleRefused as refused:
        count, problems = 0, []
        for message in refused.problems:
            messages.error(request, message)
    finally:
        remove_upload(saved.token)
    for problem in problems[:SHOWN_PROBLEMS]:
        where = _("line %(line)s") % {"line": problem.line} if problem.line else name
        messages.error(request, f"{name}, {where}, {problem.field}: {problem.reason}")
    if len(problems) > SHOWN_PROBLEMS:
        messages.error(request, _("… and %(count)d more; nothing was imported.")
                       % {"count": len(problems) - SHOWN_PROBLEMS})  # fmt: skip
    if count:
        messages.success(request, _("Base pay set for %(count)d people.") % {"count": count})
    return redirect("cycle", pk=cycle.pk)


@require_POST
@requires(policy.can_manage_cycles)
def cycle_launch(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    try:
        do_launch_cycle(request.user, cycle)
    except CycleRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    return redirect("cycle", pk=cycle.pk)


@requires(policy.can_manage_cycles)
def cycle_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    response = render(request, "appraisals/cycle_progress.html", {"cycle": cycle})
    if cycle.status != Cycle.Status.LAUNCHING:
        response["HX-Refresh"] = "true"  # done: show the dashboard
    return response


@require_POST
@requires(policy.can_manage_cycles)
def cycle_remind(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    report = do_remind_overdue(request.user, cycle)
    if report.sent:
        told = listed(
            _("%(name)s (%(count)d at “%(stage)s”)")
            % {"name": n, "count": c, "stage": STATE_LABELS[State(s)]}
            for n, s, c in report.sent
        )
        messages.success(
            request,
            _("%(count)d reminders sent: %(told)s.") % {"count": report.count, "told": told},
        )
    if report.already_today:
        messages.info(
            request,
            _("Already reminded today, so not again: %(names)s.")
            % {"names": listed(sorted(set(report.already_today)))},
        )
    if report.nobody_to_tell:
        messages.warning(
            request,
            _("No account to remind for: %(names)s.") % {"names": listed(report.nobody_to_tell)},
        )
    if not (report.sent or report.already_today or report.nobody_to_tell):
        messages.info(request, _("Nothing is overdue; no reminders were sent."))
    return redirect("cycle", pk=cycle.pk)
