"""The tab bar of the Recognition section: the wall, and the leaderboards and badges of the
points app once their pages exist (each tab only when its address resolves)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

TABS = [
    ("recognition-wall", _("Team wall")),
    ("leaderboards", _("Leaderboards")),
    ("badges", _("Badges")),
]


def tabs(current: str) -> list[dict[str, Any]]:
    found = []
    for name, label in TABS:
        try:
            url = reverse(name)
        except NoReverseMatch:  # the page is not built (or not wired) on this installation
            continue
        found.append({"name": name, "url": url, "label": label, "current": name == current})
    return found


@register.inclusion_tag("recognition/tabs.html")
def recognition_tabs(current: str = "") -> dict[str, Any]:
    return {"tabs": tabs(current)}
