"""HR's cycle pages: create, set schemes and pay per position, launch, watch, remind."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.access import Access, access_for, requires
from kaohe.audit.models import record
from kaohe.metrics import MetricsError, parse_period
from kaohe.org.models import Department

from .base_pay import import_base_pay
from .launch import create_cycle, start_launch
from .models import Appraisal, Cycle, CycleScheme, SchemeVersion
from .notify import remind
from .schemes import import_builtin_schemes
from .workflow import STATE_LABELS, WAITS_ON, State

# The stages a deadline can be set for: those that wait on somebody.
DEADLINE_STAGES = [
    state
    for state in STATE_LABELS
    if state in WAITS_ON and state not in (State.FINALISED, State.APPEAL)
]


class CycleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=16,
        help_text=gettext_lazy("e.g. 2026-09, 2026-Q3, 2026-H2 or 2026"),
    )
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Departments in scope (and all below them)"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    appeal_days = forms.IntegerField(
        label=gettext_lazy("Appeal window (days)"), min_value=1, max_value=90, initial=7
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.all()
        if access.hr_scope is not None:
            departments = departments.filter(pk__in=access.hr_scope)
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        for state in DEADLINE_STAGES:
            self.fields[f"deadline_{state}"] = forms.DateField(
                label=STATE_LABELS[state],
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"]).name
        except MetricsError as error:
            raise forms.ValidationError(str(error)) from None

    def deadlines(self) -> dict[str, str]:
        return {
            str(state): self.cleaned_data[f"deadline_{state}"].isoformat()
            for state in DEADLINE_STAGES
            if self.cleaned_data.get(f"deadline_{state}")
        }


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(pk=pk).first()
    access = access_for(request)
    if cycle is None or not access.is_hr:
        raise Http404
    if access.hr_scope is not None and not set(
        cycle.departments.values_list("pk", flat=True)
    ) <= set(access.hr_scope):
        raise Http404
    return cycle


@requires(Access.can_manage_cycles)
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = [c for c in Cycle.objects.prefetch_related("departments") if _in_scope(request, c)]
    return render(request, "appraisals/cycles.html", {"cycles": cycles})


def _in_scope(request: HttpRequest, cycle: Cycle) -> bool:
    scope = access_for(request).hr_scope
    return scope is None or {d.pk for d in cycle.departments.all()} <= set(scope)


@requires(Access.can_manage_cycles)
def cycle_new(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    import_builtin_schemes()
    form = CycleForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        cycle = create_cycle(
            request.user,
            name=form.cleaned_data["name"],
            period=form.cleaned_data["period"],
            departments=list(form.cleaned_data["departments"]),
            appeal_days=form.cleaned_data["appeal_days"],
            deadlines=form.deadlines(),
        )
        record(
            request.user, "cycle.create", cycle, after={"name": cycle.name, "period": cycle.period}
        )
        messages.success(request, _("Cycle created. Check the schemes, then launch it."))
        return redirect("cycle", pk=cycle.pk)
    return render(request, "appraisals/cycle_new.html", {"form": form})


@requires(Access.can_manage_cycles)
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    if request.method == "POST" and cycle.status == Cycle.Status.DRAFT:
        problems = _save_settings(request, cycle)
        for problem in problems:
            messages.error(request, problem)
        if not problems:
            messages.success(request, _("Saved."))
        return redirect("cycle", pk=cycle.pk)
    appraisals = Appraisal.objects.filter(cycle=cycle)
    counts = Counter(appraisals.values_list("state", flat=True))
    context = {
        "cycle": cycle,
        "settings": cycle.schemes.select_related("position", "version").order_by("position__name"),
        "versions": SchemeVersion.objects.order_by("code", "-number"),
        "counts": [
            (label, counts.get(str(state), 0), state) for state, label in STATE_LABELS.items()
        ],
        "total": sum(counts.values()),
        "overdue": _overdue(cycle)[:50],
        "base_pays": cycle.base_pays.count(),
        "deadlines": [(STATE_LABELS[State(s)], d) for s, d in cycle.deadlines.items()],
    }
    return render(request, "appraisals/cycle.html", context)


def _save_settings(request: HttpRequest, cycle: Cycle) -> list[str]:
    problems = []
    with transaction.atomic():
        for setting in cycle.schemes.select_related("position"):
            version_id = request.POST.get(f"version_{setting.pk}")
            version = SchemeVersion.objects.filter(pk=version_id).first()
            if version is not None:
                setting.version = version
            pay_text = (request.POST.get(f"pay_{setting.pk}") or "").strip()
            try:
                setting.base_pay = Decimal(pay_text) if pay_text else None
            except InvalidOperation:
                problems.append(
                    _("%(position)s: base pay must be a number.")
                    % {"position": setting.position.name}
                )
                continue
            if setting.base_pay is not None and setting.base_pay < 0:
                problems.append(
                    _("%(position)s: base pay cannot be negative.")
                    % {"position": setting.position.name}
                )
                continue
            setting.save()
        if problems:
            transaction.set_rollback(True)
    return problems


def _overdue(cycle: Cycle) -> list[Appraisal]:
    today = date.today().isoformat()
    late_states = [s for s, day in cycle.deadlines.items() if day < today]
    return list(
        Appraisal.objects.filter(cycle=cycle, state__in=late_states)
        .select_related("employee", "rater", "cycle")
        .order_by("employee__number")
    )


SHOWN_PROBLEMS = 50


@require_POST
@requires(Access.can_manage_cycles)
def cycle_base_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Each person's base pay from an uploaded CSV or XLSX, before launch."""
    cycle = _cycle(request, pk)
    upload = request.FILES.get("file")
    if cycle.status != Cycle.Status.DRAFT:
        messages.error(request, _("This cycle has already been launched."))
    elif upload is None:
        messages.error(request, _("Choose a CSV or XLSX file first."))
    else:
        name = Path(upload.name or "base-pay.csv").name
        with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as saved:
            for chunk in upload.chunks():
                saved.write(chunk)
            saved.flush()
            count, problems = import_base_pay(cycle, Path(saved.name), name)
        for problem in problems[:SHOWN_PROBLEMS]:
            where = _("line %(line)s") % {"line": problem.line} if problem.line else name
            messages.error(request, f"{name}, {where}, {problem.field}: {problem.reason}")
        if len(problems) > SHOWN_PROBLEMS:
            messages.error(request, _("… and %(count)d more; nothing was imported.")
                           % {"count": len(problems) - SHOWN_PROBLEMS})  # fmt: skip
        if not problems:
            record(request.user, "cycle.base_pay", cycle, after={"file": name, "people": count})
            messages.success(request, _("Base pay set for %(count)d people.") % {"count": count})
    return redirect("cycle", pk=cycle.pk)


@require_POST
@requires(Access.can_manage_cycles)
def cycle_launch(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    if cycle.status != Cycle.Status.DRAFT:
        messages.error(request, _("This cycle has already been launched."))
        return redirect("cycle", pk=cycle.pk)
    if not CycleScheme.objects.filter(cycle=cycle).exists():
        messages.error(request, _("No one in scope has a scheme; nothing to launch."))
        return redirect("cycle", pk=cycle.pk)
    record(request.user, "cycle.launch", cycle)
    start_launch(cycle)
    return redirect("cycle", pk=cycle.pk)


@requires(Access.can_manage_cycles)
def cycle_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    response = render(request, "appraisals/cycle_progress.html", {"cycle": cycle})
    if cycle.status != Cycle.Status.LAUNCHING:
        response["HX-Refresh"] = "true"  # done: show the dashboard
    return response


@require_POST
@requires(Access.can_manage_cycles)
def cycle_remind(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    sent = sum(remind(appraisal, request.user) for appraisal in _overdue(cycle))
    messages.success(request, _("%(count)d reminders sent.") % {"count": sent})
    return redirect("cycle", pk=cycle.pk)
