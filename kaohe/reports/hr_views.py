"""The HR dashboard page: every running and recent cycle's progress and bottlenecks, who is
late, data freshness, calibration sessions and open appeals. Charts are drawn here as SVG
geometry (bars), each with the table that holds the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.org.policy import access_for, requires

from . import policy
from .hr import HrDashboard, hr_dashboard

BAR_AREA = 170  # SVG units the longest bar spans: the chart fits a phone unscaled
LABEL_WIDTH = 110
ROW_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # the figure as written beside the bar
    y: int
    width: int
    warn: bool = False

    @property
    def text_x(self) -> int:
        return LABEL_WIDTH + self.width + 6

    @property
    def text_y(self) -> int:
        return self.y + 16


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    summary: str  # the text alternative

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_AREA + 40

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH


def bar_chart(rows: list[tuple[str, int, bool]], summary: str) -> Chart:
    """Horizontal bars of (label, value, warn), scaled to the largest value."""
    largest = max((value for _label, value, _warn in rows), default=0) or 1
    bars = [
        Bar(label, value, str(value), index * ROW_HEIGHT + 2,
            round(BAR_AREA * value / largest), warn)
        for index, (label, value, warn) in enumerate(rows)
    ]  # fmt: skip
    return Chart(bars, summary)


def _stage_charts(dashboard: HrDashboard) -> dict[int, Chart]:
    charts = {}
    for cycle in dashboard.cycles:
        rows = [(s.label, s.count, s.days_late is not None) for s in cycle.stages if s.count]
        summary = "; ".join(f"{label} {value}" for label, value, _warn in rows)
        charts[cycle.id] = bar_chart(rows, summary)
    return charts


def _freshness_chart(dashboard: HrDashboard) -> Chart:
    rows = [
        (s.label, s.days_since, s.status == "stale")
        for s in dashboard.sources
        if s.days_since is not None
    ]
    return bar_chart(rows, "; ".join(f"{label} {days}" for label, days, _warn in rows))


@requires(policy.can_open_hr_dashboard)
def hr_dashboard_page(request: HttpRequest) -> HttpResponse:
    dashboard = hr_dashboard(access_for(request))
    charts = _stage_charts(dashboard)
    cycles = [(cycle, charts[cycle.id]) for cycle in dashboard.cycles]
    context = {
        "dashboard": dashboard,
        "cycles": cycles,
        "freshness_chart": _freshness_chart(dashboard),
        "scope": policy.scope_in_words(access_for(request)),
    }
    return render(request, "reports/hr.html", context)
