"""Operational data for the demo organisation, generated and imported like real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from kaohe.metrics import Counts, Staff, generate, parse_period, sources_in_order
from kaohe.org.models import Employee, RoleFamily

from . import services
from .actions import do_import_data
from .models import DataBatch, MetricRun

_ROLES = {"客服组长": "lead", "采购专员": "buyer"}
# The demo's quarter, its months, and its volume: half of a full 40 calls per agent a day.
DEMO_PERIOD, DEMO_MONTHS, DEMO_SCALE = "2026-Q3", ("2026-07", "2026-08", "2026-09"), 0.5
# The quarter before, for the finalised history the development pages read.
HISTORY_PERIOD = "2026-Q2"
# The three before that, with it a year of finalised quarters for the dashboards' trends,
# history across cycles and the badges' month-on-month improvement; loaded by ``kaohe demo``.
EARLIER_PERIODS = ("2025-Q3", "2025-Q4", "2026-Q1")
# In the demo's quarter fewer key accounts were visited than in the year before (60 % rather
# than 97 %): the weight advice's key-account signal, and its proposal for the director.
DEMO_KEY_VISITS = 0.6


def demo_staff() -> list[Staff]:
    staff = []
    for employee in Employee.objects.active().select_related("position", "department"):
        role = _ROLES.get(employee.position.name)
        if role is None:
            role = {
                RoleFamily.CUSTOMER_SERVICE: "agent",
                RoleFamily.DIRECTOR: "director",
                RoleFamily.ADMINISTRATION: "admin",
                RoleFamily.TECHNICAL_SUPPORT: "tech",
            }.get(employee.position.family)  # type: ignore[call-overload]
        if role is not None:
            staff.append(Staff(employee.number, role, employee.department.name))
    return staff


def load_demo_data(
    actor: Any,
    period: str = "2026-Q3",
    scale: float = 1.0,
    say: Callable[[str], None] = print,
    key_visits: float = 0.97,
) -> Counts:
    """Generate a period of records for the active staff and import them as ``actor``."""
    span = parse_period(period)
    folder = Path(settings.HOME) / "demo-data" / span.name
    files, counts = generate(
        folder,
        demo_staff(),
        span.first_day,
        span.last_day,
        calls_per_agent_day=40 * scale,
        calendar=services.calendar(),
        key_visits=key_visits,
    )
    for source, path in sources_in_order(files):
        do_import_data(actor, source, path, path.name)
        say(f"  {source}: {getattr(counts, source):,} records")
    return counts


def load_demo_quarter(actor: Any, say: Callable[[str], None] = print) -> bool:
    """The demo's quarter of records (and the quarter before it, for history) imported as
    ``actor``, and the metrics of its months and of both quarters computed, unless the lake
    has batches already; True when loaded."""
    if DataBatch.objects.exists():
        return False
    for quarter in (HISTORY_PERIOD, DEMO_PERIOD):
        say(f"kaohe demo: generating a quarter of call-centre, ticket and survey data ({quarter})")
        key_visits = DEMO_KEY_VISITS if quarter == DEMO_PERIOD else 0.97
        load_demo_data(actor, quarter, DEMO_SCALE, say=say, key_visits=key_visits)
    for period in (*DEMO_MONTHS, DEMO_PERIOD, *months_of(HISTORY_PERIOD), HISTORY_PERIOD):
        services.store_metrics(period)
    return True


def load_earlier_quarters(actor: Any, say: Callable[[str], None] = print) -> bool:
    """The three quarters before the history quarter imported as ``actor``, with the
    metrics of their months and of each quarter, unless the lake holds them already;
    True when loaded. Call it after ``load_demo_quarter``: the batches keep time's order."""
    first = parse_period(EARLIER_PERIODS[0])
    if MetricRun.objects.filter(period=first.name).exists():
        return False
    for quarter in EARLIER_PERIODS:
        say(f"kaohe demo: generating a quarter of call-centre, ticket and survey data ({quarter})")
        load_demo_data(actor, quarter, DEMO_SCALE, say=say)
    for quarter in EARLIER_PERIODS:
        for period in (*months_of(quarter), quarter):
            services.store_metrics(period)
    return True


def months_of(quarter: str) -> tuple[str, ...]:
    """The quarter's months by name, e.g. 2026-Q2 → 2026-04, 2026-05, 2026-06."""
    span = parse_period(quarter)
    return tuple(
        f"{span.first_day.year}-{month:02d}"
        for month in range(span.first_day.month, span.last_day.month + 1)
    )
