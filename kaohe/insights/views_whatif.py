"""The what-if pages: the saved runs and a new one (a cycle, then the scheme to change),
the editor (the scheme form's fields, or the YAML), the result (figures first, then the
people, paged and filtered with htmx), saving, deleting and exporting a run.

A run that is not saved is carried by the text the browser posts back; a saved one by its
record. Views look up, ask the policy, call the simulator or an action, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from kaohe.appraisals.models import Cycle
from kaohe.i18n import current_lang
from kaohe.org.policy import access_for, requires
from kaohe.schemes.models import SchemeVersion

from . import policy
from .actions import SaveWhatIf, do_delete_whatif, do_export_whatif, do_save_whatif
from .models import SavedWhatIf, WhatIfRun
from .whatif import (
    MOVEMENTS,
    SORTS,
    WhatIfRefused,
    chosen_rows,
    is_kept,
    jobs,
    read_change,
    run_whatif,
    schemes_of,
    summarise,
)
from .whatif.editor import Editing, editing, form_context
from .whatif.figures import distribution_chart, steps_listed

PAGE = 50


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = policy.whatif_cycles(access_for(request)).filter(pk=pk).first()
    if cycle is None:
        raise Http404
    return cycle


def _replaced(request: HttpRequest, cycle: Cycle, pk: int) -> SchemeVersion:
    found = [c.version for c in schemes_of(access_for(request), cycle) if c.version.pk == pk]
    if not found:
        raise Http404
    return found[0]


def _saved(request: HttpRequest, pk: int) -> SavedWhatIf:
    saved = (
        policy.saved_whatifs_in_view(access_for(request))
        .select_related("cycle", "replaced")
        .filter(pk=pk)
        .first()
    )
    if saved is None:
        raise Http404
    return saved


@requires(policy.can_simulate)
def whatif_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    saved = policy.saved_whatifs_in_view(access).select_related("cycle", "replaced")
    context = {
        "saved": [(run, _saved_figures(run.summary)) for run in saved[:100]],
        "cycles": policy.whatif_cycles(access).order_by("-created_at", "-pk"),
    }
    return render(request, "insights/whatif/list.html", context)


def _saved_figures(summary: dict[str, Any]) -> dict[str, Any]:
    """What the list shows of a saved run's figures, as they were when it was saved."""
    total = summary.get("total") or {}
    try:
        change = float(total.get("new", 0)) - float(total.get("old", 0))
    except (TypeError, ValueError):
        change = None
    return {"up": summary.get("up"), "down": summary.get("down"), "pay_change": change,
            "changed": summary.get("changed")}  # fmt: skip


@requires(policy.can_simulate)
def whatif_new(request: HttpRequest) -> HttpResponse:
    """A cycle chosen: its schemes to choose from; both chosen: on to the editor."""
    access = access_for(request)
    cycles = policy.whatif_cycles(access).order_by("-created_at", "-pk")
    raw = request.GET.get("cycle", "")
    cycle = cycles.filter(pk=int(raw)).first() if raw.isdigit() else None
    choices = schemes_of(access, cycle) if cycle is not None else []
    scheme = request.GET.get("scheme", "")
    if cycle is not None and scheme.isdigit() and any(c.version.pk == int(scheme) for c in choices):
        return redirect("whatif-edit", cycle=cycle.pk, version=int(scheme))
    context = {"cycles": cycles, "cycle": cycle, "choices": choices}
    if request.htmx:
        return render(request, "insights/whatif/_choose.html#schemes", context)
    return render(request, "insights/whatif/new.html", context)


@requires(policy.can_simulate)
def whatif_edit(request: HttpRequest, cycle: int, version: int) -> HttpResponse:
    """The editor: from the cycle's scheme (GET), or from what was posted (a tab switched,
    back from a result)."""
    found = _cycle(request, cycle)
    replaced = _replaced(request, found, version)
    edit = editing(replaced, request.POST if request.method == "POST" else QueryDict())
    tab = request.POST.get("tab") or request.GET.get("tab") or edit.tab
    return render(request, "insights/whatif/edit.html", _editor(found, replaced, edit, tab))


def _editor(cycle: Cycle, replaced: SchemeVersion, edit: Editing, tab: str) -> dict[str, Any]:
    if edit.form is None:
        tab = "yaml"  # a text the form cannot show
    return {
        "cycle": cycle,
        "version": replaced,
        "tab": tab if tab in ("form", "yaml") else "form",
        **form_context(edit, reverse("whatif-redraw", args=[cycle.pk, replaced.pk])),
    }


@require_POST
@requires(policy.can_simulate)
def whatif_redraw(request: HttpRequest, cycle: int, version: int) -> HttpResponse:
    """A button of the form pressed (add a tier, change a rule's kind…): the form again."""
    found = _cycle(request, cycle)
    replaced = _replaced(request, found, version)
    edit = editing(replaced, request.POST, request.POST.get("op", ""))
    context = _editor(found, replaced, edit, "form")
    template = "insights/whatif/edit.html#editor" if request.htmx else "insights/whatif/edit.html"
    return render(request, template, context)


@require_POST
@requires(policy.can_simulate)
def whatif_run(request: HttpRequest, cycle: int, version: int) -> HttpResponse:
    """The result of the posted change; from the table's controls, its people only."""
    found = _cycle(request, cycle)
    replaced = _replaced(request, found, version)
    edit = editing(replaced, request.POST)
    try:
        changed = read_change(edit.text, replaced) if not edit.errors else None
    except WhatIfRefused as refused:
        edit.errors.append(str(refused))
        changed = None
    if changed is None or not changed.usable:
        if changed is not None:
            edit.findings = changed.findings
        messages.error(request, _("The changed scheme has errors; correct them to run it."))
        context = _editor(found, replaced, edit, request.POST.get("mode", "form"))
        return render(request, "insights/whatif/edit.html", context, status=422)
    access = access_for(request)
    if not is_kept(access, found, replaced, changed) and jobs.is_long(access, found, replaced):
        return redirect("whatif-job", pk=jobs.start(request.user, found, replaced, edit.text).pk)
    run = run_whatif(access, found, replaced, changed)
    context = _result(request, found, replaced, run, request.POST, text=changed.text)
    return _respond(request, context)


@requires(policy.can_simulate)
def whatif_saved(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved run, run again on the cycle's data as it is now."""
    saved = _saved(request, pk)
    access = access_for(request)
    try:
        changed = read_change(saved.text, saved.replaced)
        if not is_kept(access, saved.cycle, saved.replaced, changed) and jobs.is_long(
            access, saved.cycle, saved.replaced
        ):
            made = jobs.start(request.user, saved.cycle, saved.replaced, saved.text, saved)
            return redirect("whatif-job", pk=made.pk)
        run = run_whatif(access, saved.cycle, saved.replaced, changed)
    except WhatIfRefused as refused:
        messages.error(request, str(refused))
        return redirect("whatif")
    context = _result(request, saved.cycle, saved.replaced, run, request.GET, saved=saved)
    return _respond(request, context)


@requires(policy.can_simulate)
def whatif_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A run made in the background: how far it has got, then its result."""
    made = (
        WhatIfRun.objects.select_related("cycle", "replaced", "saved")
        .filter(pk=pk, created_by=request.user)
        .first()
    )
    if made is None or not policy.whatif_cycles(access_for(request)).filter(pk=made.cycle_id):
        raise Http404
    following = request.htmx and request.htmx.target == "whatif-progress"
    if made.status == WhatIfRun.Status.DONE and following:
        return HttpResponseClientRedirect(reverse("whatif-job", args=[made.pk]))
    if not made.finished or made.status == WhatIfRun.Status.FAILED:
        template = "insights/whatif/job.html" + ("#progress" if following else "")
        return render(request, template, {"job": made})
    visible = policy.saved_whatifs_in_view(access_for(request))
    saved = made.saved if made.saved and visible.filter(pk=made.saved.pk).exists() else None
    run = jobs.run_of(made.result or {})
    context = _result(
        request, made.cycle, made.replaced, run, request.GET, text=made.text, saved=saved, job=made
    )
    return _respond(request, context)


def _respond(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    partial = request.htmx and request.htmx.target == "people"
    template = "insights/whatif/result.html" + ("#people" if partial else "")
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"  # pay
    return response


def _result(
    request: HttpRequest, cycle: Cycle, replaced: SchemeVersion, run: Any, given: Any,
    *, text: str = "", saved: SavedWhatIf | None = None, job: WhatIfRun | None = None,
) -> dict[str, Any]:  # fmt: skip
    summary = summarise(run, cycle)
    filters = _filters(given)
    rows = chosen_rows(run.rows, **filters)
    page = Paginator(rows, PAGE).get_page(given.get("page"))
    query = QueryDict(mutable=True)
    query.update({k: str(v) for k, v in filters.items() if v not in ("", False, "number")})
    return {
        "cycle": cycle,
        "version": replaced,
        "summary": summary,
        "steps": steps_listed(summary),
        "chart": distribution_chart(summary),
        "page": page,
        "filters": filters,
        "movements": _movement_names(),
        "sorts": SORTS,
        "query": query.urlencode(),
        "text": text,
        "saved": saved,
        "job": job,
        "people_url": _people_url(cycle, replaced, saved, job),
        "deletes": saved is not None and policy.can_delete_whatif(access_for(request), saved),
    }


def _people_url(
    cycle: Cycle, replaced: SchemeVersion, saved: SavedWhatIf | None, job: WhatIfRun | None
) -> str:
    """Where the table's controls ask for a page of people: a kept run's page (GET), or
    the run itself with the text posted again."""
    if job is not None:
        return reverse("whatif-job", args=[job.pk])
    if saved is not None:
        return reverse("whatif-saved", args=[saved.pk])
    return reverse("whatif-run", args=[cycle.pk, replaced.pk])


def _filters(given: Any) -> dict[str, Any]:
    movement = given.get("movement", "")
    sort = given.get("sort", "number")
    return {
        "movement": movement if movement in MOVEMENTS else "",
        "everyone": given.get("everyone") == "1",
        "search": given.get("q", "")[:100],
        "sort": sort if sort in SORTS else "number",
        "descending": given.get("dir") == "desc",
    }


def _movement_names() -> list[tuple[str, str]]:
    return [
        ("up", _("Up a grade or more")),
        ("down", _("Down a grade or more")),
        ("same", _("Same grade")),
        ("unscored", _("No grade before or after")),
    ]


@require_POST
@requires(policy.can_simulate)
def whatif_save(request: HttpRequest, cycle: int, version: int) -> HttpResponse:
    found = _cycle(request, cycle)
    replaced = _replaced(request, found, version)
    job = request.POST.get("run", "")
    given = SaveWhatIf(
        name=request.POST.get("name", ""), cycle_id=found.pk, replaced_id=replaced.pk,
        text=request.POST.get("text", ""), from_run=int(job) if job.isdigit() else None,
    )  # fmt: skip
    try:
        saved = do_save_whatif(request.user, given)
    except WhatIfRefused as refused:
        messages.error(request, str(refused))
        edit = editing(replaced, request.POST)
        context = _editor(found, replaced, edit, "yaml")
        return render(request, "insights/whatif/edit.html", context, status=422)
    messages.success(request, _("Saved as “%(name)s”.") % {"name": saved.name})
    return redirect("whatif-saved", pk=saved.pk)


@requires(policy.can_simulate)
def whatif_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST deletes."""
    saved = _saved(request, pk)
    if not policy.can_delete_whatif(access_for(request), saved):
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "insights/whatif/delete.html", {"saved": saved})
    do_delete_whatif(request.user, saved.pk)
    messages.success(request, _("“%(name)s” deleted.") % {"name": saved.name})
    return redirect("whatif")


@requires(policy.can_simulate)
def whatif_export(request: HttpRequest, pk: int, format: str) -> HttpResponse:
    saved = _saved(request, pk)
    lang = request.GET.get("lang") or current_lang()
    try:
        exported = do_export_whatif(request.user, saved.pk, format, "en" if lang == "en" else "zh")
    except WhatIfRefused as refused:
        messages.error(request, str(refused))
        return redirect("whatif-saved", pk=saved.pk)
    return exported.response()


@requires(policy.can_simulate)
def whatif_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved run's changed scheme in the editor, to change it further and run it again."""
    saved = _saved(request, pk)
    posted = QueryDict(mutable=True)
    posted.update({"text": saved.text, "mode": "yaml"})
    edit = editing(saved.replaced, posted)
    tab = request.GET.get("tab", "form")
    return render(
        request, "insights/whatif/edit.html", _editor(saved.cycle, saved.replaced, edit, tab)
    )
