"""HR's scheme library: versions, clone, edit with the linter's findings shown live, and the
default scheme of each position.

A scheme is edited as its YAML text (the format of docs/schemes.md); the page checks it on
every pause in typing and shows the dimensions, weights and points it would score with.
Saving a version that a cycle uses makes a new version; the old one stays as it was.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.access import Access, requires
from kaohe.audit.models import record
from kaohe.core import Scheme, SchemeError, Severity, has_errors, lint, load_text
from kaohe.org.models import Position, RoleFamily

from .models import DefaultScheme, SchemeVersion
from .schemes import FAMILY_DEFAULTS, import_builtin_schemes

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def _lang() -> str:
    return "zh" if (get_language() or "").startswith("zh") else "en"


@requires(Access.can_manage_cycles)
def scheme_list(request: HttpRequest) -> HttpResponse:
    import_builtin_schemes()
    latest: dict[str, SchemeVersion] = {}
    counts: dict[str, int] = {}
    for version in SchemeVersion.objects.order_by("code", "-number"):
        latest.setdefault(version.code, version)
        counts[version.code] = counts.get(version.code, 0) + 1
    defaults = dict(DefaultScheme.objects.values_list("position_id", "code"))
    positions = [
        (position, defaults.get(position.pk) or FAMILY_DEFAULTS[RoleFamily(position.family)])
        for position in Position.objects.order_by("name")
    ]
    context = {
        "schemes": [(v, counts[v.code]) for v in latest.values()],
        "positions": positions,
        "codes": sorted(latest),
    }
    return render(request, "appraisals/schemes.html", context)


@require_POST
@requires(Access.can_manage_cycles)
def scheme_defaults(request: HttpRequest) -> HttpResponse:
    codes = set(SchemeVersion.objects.values_list("code", flat=True))
    with transaction.atomic():
        for position in Position.objects.all():
            code = request.POST.get(f"position_{position.pk}")
            if code in codes:
                DefaultScheme.objects.update_or_create(position=position, defaults={"code": code})
    record(request.user, "scheme.defaults", None)
    messages.success(request, _("Saved."))
    return redirect("schemes")


def _version(pk: int) -> SchemeVersion:
    version = SchemeVersion.objects.filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def check_text(text: str, display: str) -> tuple[Scheme | None, list[dict[str, Any]]]:
    """The scheme the text makes, and what is wrong with it, worded for the page."""
    lang = _lang()
    try:
        scheme = load_text(text, display=display)
    except SchemeError as error:
        line = getattr(error, "line", None)
        reason = getattr(error, "reason", str(error))
        where = _("line %(line)s") % {"line": line} if line else ""
        return None, [{"severity": "error", "where": where, "message": reason}]
    findings = [
        {
            "severity": "error" if f.severity is Severity.ERROR else "warning",
            "where": getattr(f.where(), lang),
            "message": getattr(f.message, lang),
        }
        for f in lint(scheme)
    ]
    return scheme, findings


def _summary(scheme: Scheme | None) -> list[dict[str, Any]]:
    if scheme is None:
        return []
    lang = _lang()
    return [
        {
            "name": getattr(dimension.name, lang),
            "weight": dimension.weight,
            "indicators": [
                (getattr(i.name, lang), i.max_points, i.rule.kind) for i in dimension.indicators
            ],
        }
        for dimension in scheme.dimensions
    ]


@requires(Access.can_manage_cycles)
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    text = request.POST.get("text", version.text) if request.method == "POST" else version.text
    scheme, findings = check_text(text, str(version))
    if request.method == "POST":
        if scheme is None or has_errors(lint(scheme)):
            messages.error(request, _("Not saved: fix the errors listed first."))
        else:
            saved = _save(request, version, text, scheme)
            if saved.pk != version.pk:
                messages.success(
                    request,
                    _("%(old)s is used by a cycle, so this was saved as %(new)s.")
                    % {"old": version, "new": saved},
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("scheme-edit", pk=saved.pk)
    context = {
        "version": version,
        "text": text,
        "findings": findings,
        "summary": _summary(scheme),
        "has_errors": any(f["severity"] == "error" for f in findings),
    }
    return render(request, "appraisals/scheme_edit.html", context)


def _save(request: HttpRequest, version: SchemeVersion, text: str, scheme: Scheme) -> SchemeVersion:
    with transaction.atomic():
        if version.frozen or version.builtin:
            number = (
                SchemeVersion.objects.filter(code=version.code).aggregate(Max("number"))[
                    "number__max"
                ]
                + 1
            )
            saved = SchemeVersion.objects.create(
                code=version.code, number=number, name_zh=scheme.name.zh, name_en=scheme.name.en,
                text=text, based_on=version, created_by=request.user,
            )  # fmt: skip
        else:
            version.text, version.name_zh, version.name_en = text, scheme.name.zh, scheme.name.en
            version.save()
            saved = version
        record(request.user, "scheme.save", saved, after={"version": str(saved)})
    return saved


@require_POST
@requires(Access.can_manage_cycles)
def scheme_check(request: HttpRequest) -> HttpResponse:
    """The findings and summary for the text being typed (htmx, on each pause)."""
    scheme, findings = check_text(request.POST.get("text", ""), _("this scheme"))
    context = {
        "findings": findings,
        "summary": _summary(scheme),
        "has_errors": any(f["severity"] == "error" for f in findings),
    }
    return render(request, "appraisals/scheme_findings.html", context)


@require_POST
@requires(Access.can_manage_cycles)
def scheme_clone(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    code = (request.POST.get("code") or "").strip().lower()
    if not CODE.match(code):
        messages.error(
            request,
            _("A scheme code is 2–63 lowercase letters, digits and hyphens, e.g. cs-agent-hq."),
        )
        return redirect("schemes")
    if SchemeVersion.objects.filter(code=code).exists():
        messages.error(request, _("There is already a scheme called %(code)s.") % {"code": code})
        return redirect("schemes")
    data = yaml.safe_load(version.text)
    data["id"] = code
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    clone = SchemeVersion.objects.create(
        code=code, number=1, name_zh=version.name_zh, name_en=version.name_en, text=text,
        based_on=version, created_by=request.user,
    )  # fmt: skip
    record(request.user, "scheme.clone", clone, after={"from": str(version)})
    messages.success(request, _("Cloned as %(code)s. Edit it below.") % {"code": code})
    return redirect("scheme-edit", pk=clone.pk)
