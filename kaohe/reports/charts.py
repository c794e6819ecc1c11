"""Charts drawn on the server as SVG: no script, no CDN, nothing to load after the page.

Each chart comes with what a reader without the picture needs: a sentence with the figures
in words (the SVG's <title>/<desc> and ``summary``) and a table of the same figures
(``table``), which the template shows beside it (``reports/_chart.html``). The SVG scales
down to its box (a viewBox; the stylesheet's max-width), so it fits a 375-pixel phone; colours are
presentation attributes, which the site's content-security policy lets through where inline
styles are not.

- ``trend``: a line per month with the target as a dashed line;
- ``sparkline``: the same, small, without axes;
- ``bars``: a bar per category, with an allowed range shaded behind it where one is given
  (the grade distribution against the guideline);
- ``heatmap``: a grid of shares 0–1 coloured from red through amber to green.

Values arrive already rounded for people by the caller's ``shown`` (``kaohe/display.py``):
the charts never word a number themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ACCENT, TARGET, GRID, INK, MUTED, BAND, BAD = (
    "#1f5fae", "#1e7a46", "#dde3ea", "#1d2430", "#5f6b7a", "#dbe7f5", "#b42318",
)  # fmt: skip
_ids = count(1)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    summary: str  # the figures in words
    table: Table | None = field(default=None)


def _svg(width: int, height: int, title: str, summary: str, body: list[str]) -> SafeString:
    ident = f"chart-{next(_ids)}"
    head = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        width, height, width, height, ident, ident, ident, title, ident, summary,
    )  # fmt: skip
    return mark_safe(head + "".join(body) + "</svg>")


def _scale(values: Sequence[float], low: float, high: float) -> Callable[[float], float]:
    least, most = min(values), max(values)
    if most == least:
        least, most = least - 1, most + 1
    return lambda v: high - (v - least) * (high - low) / (most - least)


# --- a trend with its target -------------------------------------------------------------


def trend(
    title: str,
    points: Sequence[tuple[str, float | None]],
    shown: Callable[[float], str],
    target: float | None = None,
) -> Chart:
    """A line over periods (label, value; None where a month has no value) and the target."""
    width, height, left, right, top, bottom = 360, 170, 44, 350, 14, 140
    known = [v for _label, v in points if v is not None]
    if not known:
        return Chart(mark_safe(""), _("No values yet."), None)
    y = _scale([*known, *([target] if target is not None else [])], top, bottom)
    step = (right - left) / max(len(points) - 1, 1)
    xs = [left + i * step for i in range(len(points))]
    body = [_line(left, bottom, right, bottom, GRID)]
    lows, highs = min(known + ([target] if target is not None else [])), max(known)
    if target is not None:
        highs = max(highs, target)
    for value in {lows, highs}:
        body.append(_text(left - 6, y(value) + 4, shown(value), "end", MUTED))
    if target is not None:
        body.append(_line(left, y(target), right, y(target), TARGET, dashed=True))
    segment: list[str] = []
    for x, (_label, value) in zip(xs, points, strict=True):
        if value is None:
            body.append(_polyline(segment))
            segment = []
            continue
        segment.append(f"{x:.1f},{y(value):.1f}")
        body.append(
            format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', _n(x), _n(y(value)), ACCENT)
        )
    body.append(_polyline(segment))
    last = len(points) - 1
    for index in sorted({0, last // 2, last}):
        anchor = "start" if index == 0 else "end" if index == last else "middle"
        body.append(_text(xs[index], bottom + 18, points[index][0], anchor, MUTED))
    summary = _trend_words(title, points, shown, target)
    table = Table(
        [_("Period"), _("Value")],
        [[label, "—" if value is None else shown(value)] for label, value in points],
    )
    return Chart(_svg(width, height, title, summary, body), summary, table)


def _trend_words(
    title: str,
    points: Sequence[tuple[str, float | None]],
    shown: Callable[[float], str],
    target: float | None,
) -> str:
    figures = _("; ").join(
        f"{label} {'—' if value is None else shown(value)}" for label, value in points
    )
    if target is None:
        return _("%(title)s by period: %(figures)s.") % {"title": title, "figures": figures}
    return _("%(title)s by period: %(figures)s. Target %(target)s.") % {
        "title": title, "figures": figures, "target": shown(target),
    }  # fmt: skip


def sparkline(
    title: str,
    points: Sequence[tuple[str, float | None]],
    shown: Callable[[float], str],
    target: float | None = None,
) -> Chart:
    """A small line for a figure's row: the last months, the target as a dashed line."""
    width, height = 100, 28
    known = [v for _label, v in points if v is not None]
    if len(known) < 2:
        return Chart(mark_safe(""), _trend_words(title, points, shown, target), None)
    y = _scale([*known, *([target] if target is not None else [])], 3, height - 3)
    step = (width - 6) / max(len(points) - 1, 1)
    body = []
    if target is not None:
        body.append(_line(3, y(target), width - 3, y(target), TARGET, dashed=True))
    line = [f"{3 + i * step:.1f},{y(v):.1f}" for i, (_l, v) in enumerate(points) if v is not None]
    body.append(_polyline(line))
    summary = _trend_words(title, points, shown, target)
    svg = _svg(width, height, title, summary, body)
    return Chart(mark_safe(svg.replace('class="chart"', 'class="chart sparkline"', 1)), summary)


# --- bars --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    allowed: tuple[float, float] | None = None  # a range to shade behind the bar
    outside: bool = False  # drawn in the warning colour


def bars(title: str, items: Sequence[Bar], shown: Callable[[float], str], unit: str) -> Chart:
    """A bar per item, the allowed range shaded behind each where one is given."""
    slot, left, base, top = 64, 16, 150, 18
    width = left * 2 + slot * max(len(items), 1)
    tallest = max([1.0, *(b.value for b in items), *(b.allowed[1] for b in items if b.allowed)])
    scale = (base - top) / tallest
    body = [_line(left, base, width - left, base, GRID)]
    for index, bar in enumerate(items):
        x = left + index * slot
        if bar.allowed is not None:
            low, high = bar.allowed
            body.append(
                _rect(x + 4, base - high * scale, slot - 8, max((high - low) * scale, 2), BAND)
            )
        height = bar.value * scale
        body.append(_rect(x + 14, base - height, slot - 28, height, BAD if bar.outside else ACCENT))
        body.append(_text(x + slot / 2, base - height - 4, shown(bar.value), "middle", INK))
        body.append(_text(x + slot / 2, base + 18, bar.label, "middle", INK))
    figures = _("; ").join(f"{bar.label} {shown(bar.value)}" for bar in items)
    summary = _("%(title)s: %(figures)s %(unit)s.") % {
        "title": title, "figures": figures, "unit": unit,
    }  # fmt: skip
    headers = [_("Category"), unit]
    if any(bar.allowed for bar in items):
        headers.append(_("Allowed"))
    rows = []
    for bar in items:
        row = [bar.label, shown(bar.value)]
        if len(headers) == 3:
            row.append("—" if bar.allowed is None else _range(bar.allowed, shown))
        rows.append(row)
    return Chart(_svg(width, base + 28, title, summary, body), summary, Table(headers, rows))


def _range(allowed: tuple[float, float], shown: Callable[[float], str]) -> str:
    low, high = allowed
    return shown(low) if low == high else f"{shown(low)}–{shown(high)}"


# --- heatmap -----------------------------------------------------------------------------


def heat_colour(share: float) -> str:
    """Red under 60 %, amber to 80 %, green above: the marks the diagnosis uses."""
    if share < 0.6:
        return "#f4c7c3"
    if share < 0.8:
        return "#fbe3b4"
    return "#c8e6d2"


def heatmap(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: dict[tuple[str, str], float],
    shown: Callable[[float], str],
) -> Chart:
    """Rows × columns of shares (0–1); a cell without a figure stays blank."""
    label_width, cell_w, cell_h, head = 120, 56, 26, 22
    width = label_width + cell_w * max(len(columns), 1)
    height = head + cell_h * max(len(rows), 1)
    body = []
    for c, column in enumerate(columns):
        body.append(
            _text(label_width + c * cell_w + cell_w / 2, 15, _short(column, 6), "middle", MUTED)
        )
    for r, row in enumerate(rows):
        y = head + r * cell_h
        body.append(_text(4, y + 17, _short(row, 9), "start", INK))
        for c, column in enumerate(columns):
            share = cells.get((row, column))
            x = label_width + c * cell_w
            if share is None:
                body.append(_rect(x + 1, y + 1, cell_w - 2, cell_h - 2, "#f4f6f9"))
                continue
            body.append(_rect(x + 1, y + 1, cell_w - 2, cell_h - 2, heat_colour(share)))
            body.append(_text(x + cell_w / 2, y + 17, shown(share), "middle", INK))
    words = [
        f"{row} · {column} {shown(cells[(row, column)])}"
        for row in rows
        for column in columns
        if (row, column) in cells
    ]
    summary = _("%(title)s: %(figures)s.") % {"title": title, "figures": _("; ").join(words)}
    table = Table(
        ["", *columns],
        [[row, *("—" if (row, c) not in cells else shown(cells[(row, c)]) for c in columns)]
         for row in rows],
    )  # fmt: skip
    return Chart(_svg(width, height, title, summary, body), summary, table)


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


# --- drawing ------------------------------------------------------------------------------


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"{}/>',
        _n(x1), _n(y1), _n(x2), _n(y2), colour, mark_safe(dash),
    )  # fmt: skip


def _n(value: float) -> str:
    return f"{value:.1f}"


def _polyline(points: list[str]) -> str:
    if len(points) < 2:
        return ""
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', " ".join(points), ACCENT
    )


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        _n(x), _n(y), _n(width), _n(height), colour,
    )  # fmt: skip


def _text(x: float, y: float, words: str, anchor: str, colour: str) -> str:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" fill="{}" font-size="12">{}</text>',
        _n(x), _n(y), anchor, colour, words,
    )  # fmt: skip
