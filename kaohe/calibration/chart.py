"""The grade distribution against the guideline, as the dashboards draw it
(``kaohe.reports.charts.bars``): a bar per grade for the people in it, the guideline's
allowed range shaded behind it, in red where the grade is outside. The page shows the same
figures as its quota table."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kaohe.reports.charts import Bar, Chart, bars

from .board import Board


def distribution_chart(board: Board) -> Chart:
    check = board.check
    ranges = {g.grade: (g.minimum, g.maximum, not g.within) for g in check.grades} if check else {}
    items = []
    for grade in board.grades:
        low, high, outside = ranges.get(grade, (0, 0, False))
        allowed = (low, high) if grade in ranges else None
        items.append(Bar(grade, board.counts.get(grade, 0), allowed, outside))
    return bars(
        _("People per grade against the guideline"), items, lambda v: str(int(v)), _("people")
    )
