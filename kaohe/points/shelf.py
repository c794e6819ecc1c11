"""A person's badges, for a profile shelf: ``badge_shelf(employee)`` with the template
``points/_shelf.html`` (``{% include "points/_shelf.html" with shelf=shelf %}``).

Badges are recognition, shown to everyone who may open the person's page; the page that
embeds the shelf has already decided who may open it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.org.models import Employee

from .models import Badge, BadgeAward


@dataclass
class ShelfItem:
    badge: Badge
    times: int
    latest: BadgeAward  # the most recent award, whose period and why the shelf shows


def badge_shelf(employee: Employee, limit: int = 12) -> list[ShelfItem]:
    """Each badge the person holds, most recently earned first, with how many times."""
    awards = BadgeAward.objects.filter(employee=employee).select_related("badge")
    found: dict[int, ShelfItem] = {}
    for award in awards.order_by("-period", "-awarded_at"):
        item = found.get(award.badge_id)
        if item is None:
            found[award.badge_id] = ShelfItem(award.badge, 1, award)
        else:
            item.times += 1
    return list(found.values())[:limit]
