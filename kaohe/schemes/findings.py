"""What is wrong with a scheme's text, worded for a person: the pages and the API show the
same findings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kaohe.core import Scheme, SchemeError, Severity, lint, load_text
from kaohe.i18n import current_lang


def check_text(text: str, display: str) -> tuple[Scheme | None, list[dict[str, Any]]]:
    """The scheme the text makes, and what is wrong with it, worded for the page."""
    lang = current_lang()
    try:
        scheme = load_text(text, display=display)
    except SchemeError as error:
        line = getattr(error, "line", None)
        problem = getattr(error, "problem", None) or error.message
        where = _("line %(line)s") % {"line": line} if line else ""
        return None, [{"severity": "error", "where": where, "message": problem(lang)}]
    findings = [
        {
            "severity": "error" if f.severity is Severity.ERROR else "warning",
            "where": f.where()(lang),
            "message": f.message(lang),
        }
        for f in lint(scheme)
    ]
    return scheme, findings
