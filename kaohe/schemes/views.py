"""HR's scheme library: versions, clone, edit with the linter's findings shown live, and the
default scheme of each position.

A scheme is edited as its YAML text (the format of docs/schemes.md); the page checks it on
every pause in typing and shows the dimensions, weights and points it would score with.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.core import Scheme
from kaohe.i18n import current_lang
from kaohe.org.models import Position
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import SchemeRefused, do_clone_scheme, do_save_scheme, do_set_default_schemes
from .findings import check_text
from .library import default_codes, latest_versions
from .models import SchemeVersion


@requires(policy.can_open_library)
def scheme_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    counts = dict(
        SchemeVersion.objects.values_list("code").annotate(n=Count("id")).values_list("code", "n")
    )
    latest = latest_versions()
    usable = [v for v in latest.values() if policy.can_use(access, v)]
    defaults = default_codes()
    positions = [
        {
            "position": position,
            "code": defaults.get(position.pk),
            "can_set": policy.can_set_default(access, position),
        }
        for position in Position.objects.order_by("name")
    ]
    context = {
        "schemes": [
            {"version": v, "count": counts[v.code], "can_edit": policy.can_edit(access, v)}
            for v in usable
        ],
        "positions": positions,
        "codes": sorted(v.code for v in usable),
        "can_set_any_default": any(p["can_set"] for p in positions),
    }
    return render(request, "schemes/library.html", context)


@require_POST
@requires(policy.can_open_library)
def scheme_defaults(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    choices: dict[Position, str | None] = {}
    for position in Position.objects.all():
        field = f"position_{position.pk}"
        if field in request.POST and policy.can_set_default(access, position):
            choices[position] = request.POST[field] or None
    try:
        changed = do_set_default_schemes(request.user, choices)
    except SchemeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Saved: %(count)d defaults changed.") % {"count": changed})
    return redirect("schemes")


def _version(request: HttpRequest, pk: int, *, for_editing: bool = False) -> SchemeVersion:
    """The version if HR may use it (404 otherwise); 403 when they may only read it."""
    version = SchemeVersion.objects.filter(pk=pk).first()
    access = access_for(request)
    if version is None or not policy.can_use(access, version):
        raise Http404
    if for_editing and not policy.can_edit(access, version):
        raise PermissionDenied
    return version


def _summary(scheme: Scheme | None) -> list[dict[str, Any]]:
    if scheme is None:
        return []
    lang = current_lang()
    return [
        {
            "name": dimension.name(lang),
            "weight": dimension.weight,
            "indicators": [(i.name(lang), i.max_points, i.rule.kind) for i in dimension.indicators],
        }
        for dimension in scheme.dimensions
    ]


def _findings_context(scheme: Scheme | None, findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "findings": findings,
        "summary": _summary(scheme),
        "has_errors": any(f["severity"] == "error" for f in findings),
    }


@requires(policy.can_open_library)
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    can_edit = policy.can_edit(access_for(request), version)
    text = version.text
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        text = request.POST.get("text", version.text)
        try:
            saved = do_save_scheme(request.user, version, text)
        except SchemeRefused as refused:
            messages.error(request, str(refused))
        else:
            if saved.pk != version.pk:
                messages.success(
                    request,
                    _("%(old)s is a built-in template or used by a cycle, so this was saved as "
                      "%(new)s.") % {"old": version, "new": saved},
                )  # fmt: skip
            else:
                messages.success(request, _("Saved."))
            return redirect("scheme-edit", pk=saved.pk)
    scheme, findings = check_text(text, str(version))
    context = {"version": version, "text": text, "can_edit": can_edit}
    context.update(_findings_context(scheme, findings))
    return render(request, "schemes/edit.html", context)


@require_POST
@requires(policy.can_open_library)
def scheme_check(request: HttpRequest) -> HttpResponse:
    """The findings and summary for the text being typed (htmx, on each pause)."""
    scheme, findings = check_text(request.POST.get("text", ""), _("this scheme"))
    return render(request, "schemes/findings.html", _findings_context(scheme, findings))


@require_POST
@requires(policy.can_open_library)
def scheme_clone(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        clone = do_clone_scheme(request.user, version, request.POST.get("code") or "")
    except SchemeRefused as refused:
        messages.error(request, str(refused))
        return redirect("schemes")
    messages.success(request, _("Cloned as %(code)s. Edit it below.") % {"code": clone.code})
    return redirect("scheme-edit", pk=clone.pk)
