"""Reading the goal pages' forms into the actions' typed inputs; a value that cannot be
read is refused with a message that says what to write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .actions import CheckInInput, GoalRefused, KeyResultInput, ObjectiveInput
from .models import MOST_KEY_RESULTS, KeyResult

ROWS = range(1, MOST_KEY_RESULTS + 1)  # the form's key-result rows


def number(text: str, what: str) -> Decimal | None:
    text = text.strip().replace(",", "").rstrip("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise GoalRefused(
            _("%(what)s: “%(text)s” is not a number.") % {"what": what, "text": text}
        ) from None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise GoalRefused(_("%(what)s: “%(text)s” is not a number.") % {"what": what, "text": text})
    return value


def day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise GoalRefused(_("“%(text)s” is not a date (YYYY-MM-DD).") % {"text": text}) from None


def key_results(posted: Any) -> list[KeyResultInput]:
    """The rows ``kr<N>_…``: a row with a title is a key result; an existing one left
    without a title, or ticked for removal, is removed."""
    found = []
    for row in ROWS:
        field = f"kr{row}_"
        title = posted.get(field + "title", "").strip()
        pk = posted.get(field + "id", "")
        known = int(pk) if pk.isdigit() else None
        if not title:
            if known is not None:
                found.append(KeyResultInput(title="-", id=known, drop=True))
            continue
        kind = posted.get(field + "kind", KeyResult.Kind.MEASURABLE)
        found.append(
            KeyResultInput(
                title=title,
                kind=kind,
                start=number(posted.get(field + "start", ""), title),
                target=number(posted.get(field + "target", ""), title),
                current=number(posted.get(field + "current", ""), title),
                unit=posted.get(field + "unit", ""),
                done=posted.get(field + "done") == "on",
                metric=posted.get(field + "metric", ""),
                subject=posted.get(field + "subject", ""),
                id=known,
                drop=posted.get(field + "drop") == "on",
            )
        )
    return found


def objective(posted: Any, status: str | None) -> ObjectiveInput:
    parent = posted.get("parent", "")
    return ObjectiveInput(
        title=posted.get("title", ""),
        description=posted.get("description", ""),
        level=posted.get("level") or None,
        owner=posted.get("owner", "").strip() or None,
        department=posted.get("department", "") or None,
        period=posted.get("period", ""),
        cadence=posted.get("cadence") or None,
        parent=int(parent) if parent.isdigit() else None,
        clear_parent=not parent.isdigit(),
        status=status,
        key_results=key_results(posted),
    )


def check_in(posted: Any, today: date) -> CheckInInput:
    kr = posted.get("key_result", "")
    done = posted.get("done", "")
    return CheckInInput(
        on=day(posted.get("on", "")) or today,
        key_result=int(kr) if kr.isdigit() else None,
        value=number(posted.get("value", ""), _("New value")),
        done={"yes": True, "no": False}.get(done),
        confidence=posted.get("confidence", ""),
        note=posted.get("note", ""),
    )
