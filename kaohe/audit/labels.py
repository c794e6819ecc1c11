"""The audit log in words: what each action code and field means, in the reader's language.

The log stores codes (``appraisal.calibrate``, ``active``) so that it stays the same whatever
language it was written in; pages word them here when they show them. Each app names its
own actions, object kinds, fields and coded values on its AppConfig (``audit_actions``,
``audit_kinds``, ``audit_fields``, ``audit_values``), so that the audit app depends on none
of them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.core import fmt
from kaohe.display import money
from kaohe.i18n import listed, with_colon

# The sign-in app's own entry; every other app words its entries on its AppConfig.
_ACTIONS_WORDED: dict[str, Any] = {
    "account.password_change": gettext_lazy("Password changed"),
}

FIELDS_WORDED: dict[str, Any] = {
    "number": gettext_lazy("Employee number"),
    "name": gettext_lazy("Name"),
    "cycle_name": gettext_lazy("Cycle name"),
    "scheme_name": gettext_lazy("Scheme name"),
    "department": gettext_lazy("Department"),
    "departments": gettext_lazy("Departments"),
    "position": gettext_lazy("Position"),
    "manager": gettext_lazy("Manager"),
    "hire_date": gettext_lazy("Hire date"),
    "email": gettext_lazy("Email"),
    "active": gettext_lazy("Active"),
    "username": gettext_lazy("Sign-in name"),
    "state": gettext_lazy("State"),
    "targets": gettext_lazy("Targets"),
    "ratings": gettext_lazy("Ratings"),
    "self_ratings": gettext_lazy("Self-ratings"),
    "comment": gettext_lazy("Comment"),
    "calibration": gettext_lazy("Calibration (points)"),
    "total": gettext_lazy("Total"),
    "grade": gettext_lazy("Grade"),
    "coefficient": gettext_lazy("Coefficient"),
    "pay": gettext_lazy("Performance pay"),
    "result": gettext_lazy("Result version"),
    "appeal": gettext_lazy("Appeal"),
    "appeal_until": gettext_lazy("Appeal window until"),
    "decision": gettext_lazy("Decision"),
    "data_cutoff": gettext_lazy("Data cut-off"),
    "values": gettext_lazy("Frozen values"),
    "strengths": gettext_lazy("Strengths"),
    "improvements": gettext_lazy("Areas to improve"),
    "actions": gettext_lazy("Agreed actions"),
    "root_cause": gettext_lazy("Root cause"),
    "role": gettext_lazy("Role"),
    "scope": gettext_lazy("Scope"),
    "period": gettext_lazy("Period"),
    "appeal_days": gettext_lazy("Appeal window (days)"),
    "deadlines": gettext_lazy("Deadlines"),
    "version": gettext_lazy("Version"),
    "from": gettext_lazy("Copied from"),
    "scheme": gettext_lazy("Scheme"),
    "dimensions": gettext_lazy("Dimensions"),
    "file": gettext_lazy("File"),
    "rows": gettext_lazy("Rows"),
    "created": gettext_lazy("Added"),
    "updated": gettext_lazy("Updated"),
    "unchanged": gettext_lazy("Unchanged"),
    "new": gettext_lazy("New"),
    "replaced": gettext_lazy("Replaced"),
    "rejected": gettext_lazy("Rejected"),
    "new_departments": gettext_lazy("New departments"),
    "new_positions": gettext_lazy("New positions"),
    "unknown_employees": gettext_lazy("Unknown employee numbers"),
    "day": gettext_lazy("Day"),
    "workday": gettext_lazy("Working day"),
    "note": gettext_lazy("Note"),
    "frozen": gettext_lazy("Used by a cycle"),
    "appraisals": gettext_lazy("Appraisals"),
}

# Prefixes of fields named after something else: "value.csat_rate", "scheme.客服专员".
PREFIXES_WORDED: dict[str, Any] = {
    "value": gettext_lazy("Value"),
    "scheme": gettext_lazy("Scheme"),
}

_KINDS_WORDED: dict[str, Any] = {"auth.user": gettext_lazy("Account")}


def _from_apps(attribute: str, own: dict[str, Any]) -> dict[str, Any]:
    found = dict(own)
    for config in apps.get_app_configs():
        found.update(getattr(config, attribute, {}))
    return found


def actions_worded() -> dict[str, Any]:
    return _from_apps("audit_actions", _ACTIONS_WORDED)


def kinds_worded() -> dict[str, Any]:
    return _from_apps("audit_kinds", _KINDS_WORDED)


def action_label(code: str) -> str:
    return str(actions_worded().get(code, code))


def kind_label(code: str) -> str:
    return str(kinds_worded().get(code, code or "—"))


def field_label(name: str) -> str:
    worded = _from_apps("audit_fields", FIELDS_WORDED)
    if name in worded:
        return str(worded[name])
    prefix, _sep, rest = name.partition(".")
    if rest and prefix in PREFIXES_WORDED:
        return f"{PREFIXES_WORDED[prefix]} · {rest}"
    return name


# A moment as the log keeps it (ISO 8601, in UTC): shown in the organisation's time.
_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


def value_text(field: str, value: Any) -> str:
    """A recorded value as a reader reads it: yes/no, states and roles in words, moments
    in the organisation's time, lists and mappings spelled out, nothing for None. A field
    whose codes are worded words them as values and as the keys of a mapping (the
    deadline of each state)."""
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    coded = _from_apps("audit_values", {}).get(field) or {}
    if isinstance(value, str) and value in coded:
        return str(coded[value])
    moment = _moment(value)
    if moment is not None:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dict):
        return "; ".join(
            f"{with_colon(coded[k] if k in coded else field_label(str(k)))}{value_text(str(k), v)}"
            for k, v in value.items()
        )
    if isinstance(value, list):
        return listed(_("whole organisation") if v == "*" else value_text(field, v) for v in value)
    if field in _MONEY:
        return money(value)
    return _rounded(value)


_MONEY = {"pay", "base_pay"}
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _rounded(value: Any) -> str:
    """Numbers as people read them (the log itself keeps them exactly): at most two
    decimals."""
    if isinstance(value, float) or (isinstance(value, str) and _DECIMAL.match(value)):
        return fmt(Decimal(str(value)))
    return str(value)


_NOTHING = (None, "", {}, [])


def worded_changes(entry: Any) -> list[tuple[str, str, str]]:
    """Each field an audit entry changed, worded: (field, before, after). A field that
    went from nothing to nothing (no comment, then an empty one) is left out."""
    return [
        (field_label(name), value_text(name, before), value_text(name, after))
        for name, before, after in entry.changes()
        if not (before in _NOTHING and after in _NOTHING)
    ]


_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _moment(value: Any) -> Any:
    """The aware datetime a recorded value is, if it is one; None for anything else (a
    name or comment that merely starts like a date included)."""
    if not isinstance(value, str) or not _MOMENT.match(value):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None
