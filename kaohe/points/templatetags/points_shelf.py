"""``{% load points_shelf %}{% badge_shelf_of person %}``: a person's badges on any page
that shows the person (their profile, the dashboard), without that page's view knowing of
points."""

from __future__ import annotations

from typing import Any

from django import template

from kaohe.points.shelf import badge_shelf

register = template.Library()


@register.inclusion_tag("points/_shelf.html")
def badge_shelf_of(employee: Any) -> dict[str, Any]:
    return {"shelf": badge_shelf(employee) if employee is not None else []}
