"""Reading what the incident and 1:1 forms post into the typed inputs the actions take,
and the choices those forms offer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from kaohe.core import INCIDENT_KINDS
from kaohe.i18n import current_lang

from .actions import IncidentInput, OneOnOneInput
from .evidence import Target


def day(text: str) -> date | None:
    """A posted date, or None for nothing or something that is not one (the action then
    says what to give)."""
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def incident_input(posted: Mapping[str, Any]) -> IncidentInput:
    """``evidences`` is ``dimension`` or ``dimension/indicator``, as ``Target.value``."""
    dimension, _sep, indicator = str(posted.get("evidences", "")).partition("/")
    return IncidentInput(
        occurred_on=day(str(posted.get("occurred_on", ""))),
        polarity=str(posted.get("polarity", "")),
        what=str(posted.get("what", "")),
        kind=str(posted.get("kind", "")),
        indicator=indicator.strip(),
        dimension=dimension.strip(),
    )


def one_on_one_input(posted: Any) -> OneOnOneInput:
    incident_ids = [int(v) for v in posted.getlist("incidents") if str(v).isdigit()]
    goals = [g.strip() for g in str(posted.get("goals", "")).replace("，", ",").split(",")]
    return OneOnOneInput(
        month=str(posted.get("month", "")),
        went_well=str(posted.get("went_well", "")),
        to_improve=str(posted.get("to_improve", "")),
        actions=str(posted.get("actions", "")),
        incident_ids=incident_ids,
        goal_ids=[g for g in goals if g],
    )


def kind_choices() -> list[tuple[str, str]]:
    lang = current_lang()
    return [(code, text(lang)) for code, text in INCIDENT_KINDS.items()]


def grouped_targets(found: list[Target]) -> list[dict[str, Any]]:
    """The scheme's dimensions, each with its own choice and its indicators', for a
    select with one group per dimension."""
    groups: list[dict[str, Any]] = []
    for target in found:
        if not target.indicator:
            groups.append({"label": target.label, "value": target.value, "indicators": []})
        else:
            groups[-1]["indicators"].append(target)
    return groups
