"""The form's fields: each names one place in the scheme's data by its path, shows the value
written there, and puts a typed value back only when the person changed what it showed.

That last rule is what makes the form round-trip: a field left alone posts back exactly
the text it showed, nothing is set, and ``edit_yaml`` gives the stored text back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

MISSING = object()
# Optional groups that disappear with their last field (a description, SMART facts…).
PRUNABLE = frozenset({"description", "smart", "unit", "falloff", "stages"})

Path = tuple[str | int, ...]


def field_name(path: Path) -> str:
    return "f/" + "/".join(str(part) for part in path)


def shown(value: Any) -> str:
    """How the form shows a value; posting the same string back changes nothing."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def get(data: Any, path: Path) -> Any:
    for part in path:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_dict or in_list:
            data = data[part]
        else:
            return MISSING
    return data


def put(data: Any, path: Path, value: Any) -> None:
    """Set the value, making the optional groups on the way (``smart``, ``unit``…)."""
    for part in path[:-1]:
        if isinstance(data, dict) and not isinstance(data.get(part), dict | list):
            data[part] = {}
        data = data[part]
    data[path[-1]] = value


def remove(data: Any, path: Path) -> None:
    parent = get(data, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
    elif isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
        del parent[path[-1]]
    if len(path) > 1 and path[-2] in PRUNABLE and parent == {}:
        remove(data, path[:-1])


def number(raw: str) -> int | float:
    """A number as YAML writes it: whole numbers stay integers."""
    text = raw.strip()
    value = Decimal(text)  # InvalidOperation for anything else, "1,5" and "1 000" included
    if not value.is_finite():
        raise InvalidOperation
    if value == value.to_integral_value() and "." not in text and "e" not in text.lower():
        return int(value)
    return float(text)


@dataclass
class Field:
    """One input of the form."""

    path: Path
    label: str
    where: str  # the dimension, indicator, input… it belongs to, for error messages
    kind: str = "text"  # text, number, choice, bool
    optional: bool = False
    value: Any = MISSING
    choices: list[tuple[str, str]] = field(default_factory=list)
    default: str = ""  # what the field shows when the key is absent
    # Changing it redraws the form with this op (a rule's kind, an input's metric).
    redraw: str = ""
    wide: bool = False

    @property
    def name(self) -> str:
        return field_name(self.path)

    @property
    def display(self) -> str:
        return self.default if self.value is MISSING else shown(self.value)

    def is_blank(self) -> bool:
        return self.value is MISSING or self.value == ""


@dataclass
class FieldError:
    field: Field
    message: str

    def __str__(self) -> str:
        return _("%(where)s · %(field)s: %(problem)s") % {
            "where": self.field.where,
            "field": self.field.label,
            "problem": self.message,
        }


def apply_fields(data: Any, fields: list[Field], posted: Any) -> list[FieldError]:
    """Put each posted value the person changed into ``data``; the problems, worded for them."""
    errors: list[FieldError] = []
    for form_field in fields:
        if form_field.name not in posted:
            continue
        raw = posted[form_field.name]
        if raw == form_field.display:
            continue
        try:
            _apply(data, form_field, raw)
        except (InvalidOperation, ValueError):
            errors.append(
                FieldError(form_field, _("“%(value)s” is not a number.") % {"value": raw})
            )
        except _Required:
            errors.append(FieldError(form_field, _("fill this in; it may not be empty.")))
    return errors


class _Required(Exception):
    pass


def _apply(data: Any, form_field: Field, raw: str) -> None:
    blank = not raw.strip()
    if blank and form_field.optional:
        remove(data, form_field.path)
        return
    if blank:
        raise _Required
    if form_field.kind == "number":
        put(data, form_field.path, number(raw))
    elif form_field.kind == "bool":
        put(data, form_field.path, raw == "true")
    else:
        put(data, form_field.path, raw.strip())
