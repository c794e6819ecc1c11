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

_ROLES = {"客服组长": "lead", "采购专员": "buyer"}


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
    actor: Any, period: str = "2026-Q3", scale: float = 1.0, say: Callable[[str], None] = print
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
    )
    for source, path in sources_in_order(files):
        do_import_data(actor, source, path, path.name)
        say(f"  {source}: {getattr(counts, source):,} records")
    return counts
