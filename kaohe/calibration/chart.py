"""The grade distribution against the guideline, drawn as SVG on the server (no script, no
CDN): a bar per grade for the people in it, and the guideline's allowed range as a band
behind it. The page shows the same figures as a table, which is the chart's text view."""

from __future__ import annotations

from dataclasses import dataclass

from .board import Board

WIDTH, HEIGHT, BASE, TOP = 480, 220, 190, 20
SLOT = 80


@dataclass(frozen=True)
class Bar:
    grade: str
    count: int
    x: int
    y: float
    height: float
    band_y: float | None  # the allowed range, when there is a guideline
    band_height: float
    outside: bool


def distribution_chart(board: Board) -> list[Bar]:
    check = board.check
    ranges = {g.grade: (g.minimum, g.maximum, not g.within) for g in check.grades} if check else {}
    tallest = max([*board.counts.values(), *(high for _l, high, _o in ranges.values()), 1])
    scale = (BASE - TOP) / tallest
    bars = []
    for i, grade in enumerate(board.grades):
        count = board.counts.get(grade, 0)
        low, high, outside = ranges.get(grade, (0, 0, False))
        bars.append(
            Bar(
                grade=grade,
                count=count,
                x=40 + i * SLOT,
                y=BASE - count * scale,
                height=count * scale,
                band_y=BASE - high * scale if grade in ranges else None,
                band_height=max((high - low) * scale, 2),
                outside=outside,
            )
        )
    return bars
