"""Editing the changed scheme the way HR edits any scheme: the scheme form's fields and
buttons (``kaohe.schemes.views_form.edited``, the same parsing and the same ``edit_yaml``
round trip), or its YAML.

Each request carries the text the form was drawn from (``text``) and says how to read what
came with it (``mode``): ``form`` applies the fields to that text, ``yaml`` takes the text
as typed. Nothing is saved; the text is the run's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kaohe.schemes.findings import check_text
from kaohe.schemes.form.build import Form, build_form, rule_kind_names
from kaohe.schemes.models import SchemeVersion
from kaohe.schemes.views_form import edited


@dataclass
class Editing:
    text: str
    form: Form | None
    errors: list[str] = field(default_factory=list)  # fields that could not be read
    unreadable: str = ""  # why the form cannot show the text
    findings: list[dict[str, Any]] = field(default_factory=list)
    changed: bool = False  # differs from the cycle's scheme

    @property
    def tab(self) -> str:
        return "form" if self.form is not None else "yaml"

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(f["severity"] == "error" for f in self.findings)


def editing(replaced: SchemeVersion, posted: Any, op: str = "") -> Editing:
    """The change as posted (the cycle's scheme when nothing was)."""
    if "text" not in posted:
        return _read(replaced, edited(replaced.text, {}))
    text = posted.get("text", "")
    if "\r" not in replaced.text:
        text = text.replace("\r\n", "\n")  # a browser posts a text area's breaks as CRLF
    if posted.get("mode") == "yaml":
        return _read(replaced, edited(text, {}))
    return _read(replaced, edited(text, posted, op))


def _read(replaced: SchemeVersion, edit: Any) -> Editing:
    form = None
    if edit.data is not None and "extends" not in edit.data:
        form = build_form(edit.data)
    unreadable = edit.unreadable
    if edit.data is not None and "extends" in edit.data:
        unreadable = _(
            "This scheme extends a template and lists only what it changes, so the form cannot "
            "show it whole: change it as YAML."
        )
    _scheme, findings = check_text(edit.text, str(replaced))
    return Editing(
        text=edit.text,
        form=form,
        errors=list(edit.errors),
        unreadable=unreadable,
        findings=findings,
        changed=edit.text != replaced.text,
    )


def form_context(edit: Editing, redraw_url: str) -> dict[str, Any]:
    return {
        "text": edit.text,
        "form": edit.form,
        "field_errors": edit.errors,
        "unreadable": edit.unreadable,
        "findings": edit.findings,
        "has_errors": edit.has_errors,
        "changed": edit.changed,
        "redraw_url": redraw_url,
        "rule_kinds": rule_kind_names(),
    }
