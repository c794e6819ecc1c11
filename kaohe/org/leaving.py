"""When and why someone left: the words an import file may use for the reason, and the
checks a leaving date must pass, shared by the deactivation form and the import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from .models import LeavingReason

# A leaving date this far ahead is a typing mistake: people are deactivated as they go.
LEAVING_DATE_TOLERANCE = timedelta(days=31)

# How a file may spell each reason, besides its code.
LEAVING_WORDS: dict[str, LeavingReason] = {
    **{r.value: r for r in LeavingReason},
    "主动离职": LeavingReason.RESIGNED,
    "辞职": LeavingReason.RESIGNED,
    "辞退": LeavingReason.DISMISSED,
    "解雇": LeavingReason.DISMISSED,
    "合同到期": LeavingReason.CONTRACT_ENDED,
    "退休": LeavingReason.RETIRED,
    "内部调动": LeavingReason.TRANSFERRED,
    "调动": LeavingReason.TRANSFERRED,
    "其他": LeavingReason.OTHER,
}


@dataclass
class ReadLeaving:
    on: date | None
    reason: str  # a LeavingReason value, or ""
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, why)


def date_problem(day: date, hired: date | None, today: date) -> str | None:
    """Why a leaving date cannot be right, or None: before the hire date, or far ahead."""
    if hired is not None and day < hired:
        return _("%(day)s is before the hire date, %(hired)s.") % {
            "day": day.isoformat(),
            "hired": hired.isoformat(),
        }
    if day > today + LEAVING_DATE_TOLERANCE:
        return _("%(day)s is too far in the future for a leaving date.") % {"day": day.isoformat()}
    return None


def read_leaving(
    day: date | None, word: str, *, active: bool, hired: date | None, today: date
) -> ReadLeaving:
    """A row's leaving date and reason word, checked: only someone not active has them,
    a reason needs its date, and the date passes ``date_problem``."""
    found = ReadLeaving(day, "")
    if word:
        reason = LEAVING_WORDS.get(word.strip().lower())
        if reason is None:
            choices = "主动离职, 辞退, 合同到期, 退休, 内部调动, 其他"
            found.problems.append(("leaving_reason",
                _("unknown leaving reason %(value)r (use one of: %(choices)s)")
                % {"value": word, "choices": choices}))  # fmt: skip
        else:
            found.reason = reason.value
    if active and (day or word):
        found.problems.append((
            "leaving_date" if day else "leaving_reason",
            _("an active person has no leaving date or reason"),
        ))  # fmt: skip
    elif found.reason and day is None:
        found.problems.append(("leaving_date", _("required with a leaving reason")))
    if day is not None:
        problem = date_problem(day, hired, today)
        if problem:
            found.problems.append(("leaving_date", problem))
    return found
