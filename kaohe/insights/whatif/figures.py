"""A run's summary worded and drawn for the result page: the moves by number of grades,
and the new grade distribution against the guideline."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kaohe.display import count
from kaohe.reports import charts

from .summary import Summary


def steps_listed(summary: Summary) -> list[tuple[int, int, str]]:
    """(grades moved, people, in words), the biggest rise first."""
    found = []
    for steps, people in summary.steps.items():
        if steps > 0:
            words = ngettext("up %(n)d grade", "up %(n)d grades", steps) % {"n": steps}
        else:
            words = ngettext("down %(n)d grade", "down %(n)d grades", -steps) % {"n": -steps}
        found.append((steps, people, words))
    return found


def distribution_chart(summary: Summary) -> charts.Chart:
    """People per grade under the changed scheme, the guideline's allowed range shaded."""
    items = [
        charts.Bar(
            grade.grade,
            grade.new,
            (grade.minimum, grade.maximum) if grade.maximum is not None else None,
            grade.new_within is False,
        )
        for grade in summary.grades
    ]
    title = _("People per grade under the changed scheme")
    return charts.bars(title, items, lambda v: count(v), _("people"))
