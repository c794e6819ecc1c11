"""The scheme form: the same version as the YAML tab, edited as fields and tables, with the
linter's findings and a sample person's score following every change (htmx).

Each request carries the text the form was drawn from (``text``) and the fields; the edit
is the fields applied to that text's data, written back into the text by ``edit_yaml``
so that only what changed is rewritten. Saving goes through ``do_save_scheme``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.core import Scheme, Severity, Tiers, edit_yaml, lint
from kaohe.i18n import current_lang
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import SchemeRefused, do_save_scheme
from .findings import check_text
from .form.build import Form, build_form, rule_kind_names
from .form.fields import FieldError, apply_fields, field_name
from .form.ops import apply_op
from .form.preview import posted_samples, preview
from .models import SchemeVersion
from .views import _version


@dataclass
class Edited:
    """The form's edit of one text: the text it makes, its data, and what went wrong."""

    text: str
    data: dict[str, Any] | None
    errors: list[str] = field(default_factory=list)
    unreadable: str = ""  # why the form cannot show this text, if it cannot


def edited(base: str, posted: Any, op: str = "") -> Edited:
    """``base`` with the posted fields (and the button pressed) applied."""
    try:
        # Anchors and aliases can make a small text a huge tree, and the form could not
        # keep them anyway: such a text is edited as YAML.
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(base)):
            return Edited(base, None, unreadable=_(
                "The scheme's text uses YAML aliases (*), which the form cannot keep. Edit "
                "it in the YAML tab."))  # fmt: skip
        data = yaml.safe_load(base)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        return Edited(base, None, unreadable=_(
            "The scheme's text is not valid YAML, so the form cannot show it. Correct it in "
            "the YAML tab."))  # fmt: skip
    if "extends" in data:
        return Edited(base, data)
    new = copy.deepcopy(data)
    problems: list[FieldError | str] = [*apply_fields(new, build_form(data).all_fields, posted)]
    if op and (refused := apply_op(new, op, posted)):
        problems.append(refused)
    return Edited(edit_yaml(base, new), new, [str(p) for p in problems])


def _checks(text: str, posted: Any, version: SchemeVersion) -> dict[str, Any]:
    """Findings, the per-table tier checks and the sample person's score for the text."""
    scheme, findings = check_text(text, str(version))
    context: dict[str, Any] = {
        "findings": findings,
        "has_errors": any(f["severity"] == "error" for f in findings),
    }
    if scheme is not None:
        context["findings"] = _named(scheme)
        context["preview"] = preview(scheme, posted_samples(scheme, posted))
        context["tier_checks"] = _tier_checks(scheme)
    return context


def _named(scheme: Scheme) -> list[dict[str, Any]]:
    """The linter's findings placed by the names the form shows, not the codes."""
    lang = current_lang()
    dimension_of = {i.id: d for d in scheme.dimensions for i in d.indicators}
    dimensions = {d.id: d for d in scheme.dimensions}
    named = []
    for finding in lint(scheme):
        if finding.indicator in dimension_of:
            where = f"{dimension_of[finding.indicator].name(lang)} › "
            where += scheme.indicator(finding.indicator).name(lang)
        elif finding.dimension in dimensions:
            where = _("Dimension %(name)s") % {"name": dimensions[finding.dimension].name(lang)}
        else:
            where = _("Scheme")
        severity = "error" if finding.severity is Severity.ERROR else "warning"
        named.append({"severity": severity, "where": where, "message": finding.message(lang)})
    return named


def _tier_checks(scheme: Scheme) -> list[dict[str, Any]]:
    """For each tiers table: the intervals as the core reads them, and its gaps and overlaps."""
    lang = current_lang()
    found = lint(scheme)
    checks = []
    for indicator in scheme.indicators():
        if isinstance(indicator.rule, Tiers):
            own = [f for f in found if f.indicator == indicator.id and f.code.startswith("tier")]
            checks.append(
                {
                    "id": indicator.id,
                    "tiers": [(t.interval.text()(lang), t.points) for t in indicator.rule.tiers],
                    "findings": [(f.severity is Severity.ERROR, f.message(lang)) for f in own],
                }
            )
    return checks


def _context(version: SchemeVersion, request: HttpRequest, edit: Edited) -> dict[str, Any]:
    can_edit = policy.can_edit(access_for(request), version)
    form: Form | None = None
    if edit.data is not None and "extends" not in edit.data:
        form = build_form(edit.data)
    context = {
        "version": version,
        "text": edit.text,
        "form": form,
        "extends": (edit.data or {}).get("extends"),
        "unreadable": edit.unreadable,
        "can_edit": can_edit,
        "field_errors": edit.errors,
        "rule_kinds": rule_kind_names(),
        "changed": edit.text != version.text,
    }
    context.update(_checks(edit.text, request.POST, version))
    by_indicator = {check["id"]: check for check in context.get("tier_checks", [])}
    pressed = request.POST.get("op", "").partition(":")[2]
    for dimension in form.dimensions if form else []:
        for indicator in dimension.indicators:
            indicator.check = by_indicator.get(indicator.id)
            indicator.open = pressed.startswith(field_name(indicator.path))
    return context


@requires(policy.can_open_library)
def scheme_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The form tab; a POST saves it."""
    version = _version(request, pk)
    if request.method != "POST":
        return render(
            request,
            "schemes/form.html",
            _context(version, request, edited(version.text, {})),
        )
    if not policy.can_edit(access_for(request), version):
        raise PermissionDenied
    edit = edited(_posted_text(request, version), request.POST)
    if edit.errors:
        for problem in edit.errors:
            messages.error(request, problem)
    elif edit.text == version.text:
        messages.info(request, _("Nothing changed, so nothing was saved."))
        return redirect("scheme-form", pk=version.pk)
    else:
        try:
            saved = do_save_scheme(request.user, version, edit.text)
        except SchemeRefused as refused:
            messages.error(request, str(refused))
        else:
            if saved.pk != version.pk:
                messages.success(
                    request,
                    _(
                        "%(old)s is a built-in template or used by a cycle, so this was saved as "
                        "%(new)s."
                    )
                    % {"old": version, "new": saved},
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("scheme-form", pk=saved.pk)
    return render(request, "schemes/form.html", _context(version, request, edit))


def _posted_text(request: HttpRequest, version: SchemeVersion) -> str:
    """The text the form was drawn from. A browser posts a text area's line breaks as CRLF;
    they are put back as the stored text has them."""
    text = request.POST.get("text", version.text)
    return text if "\r" in version.text else text.replace("\r\n", "\n")


@require_POST
@requires(policy.can_open_library)
def scheme_form_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A button pressed (add a tier, change a rule's kind…): the form drawn again."""
    version = _version(request, pk)
    edit = edited(_posted_text(request, version), request.POST, request.POST.get("op", ""))
    template = "schemes/form_body.html" if request.htmx else "schemes/form.html"
    return render(request, template, _context(version, request, edit))


@require_POST
@requires(policy.can_open_library)
def scheme_form_check(request: HttpRequest, pk: int) -> HttpResponse:
    """While typing: the findings and the preview for the form as it stands."""
    version = _version(request, pk)
    edit = edited(_posted_text(request, version), request.POST)
    context = _checks(edit.text, request.POST, version)
    context.update({"field_errors": edit.errors, "oob": True, "changed": edit.text != version.text})
    return render(request, "schemes/form_checks.html", context)
