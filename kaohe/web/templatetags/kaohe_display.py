"""Template filters rounding figures for people: ``{{ result.total|total }}``."""

from django import template

from kaohe import display
from kaohe.i18n import current_lang, listed
from kaohe.names import person_name

register = template.Library()

for _name in ("points", "total", "money", "coefficient", "count", "figure"):
    register.filter(_name, getattr(display, _name))


@register.filter
def colon(label: object) -> str:
    """A label followed by the colon of the reader's language: 目标： / Target: ."""
    return f"{label}：" if current_lang() == "zh" else f"{label}: "


@register.filter
def named(user: object) -> str:
    """An account's holder by name (their employee name), as every page names people."""
    return person_name(user) if user is not None else display.NOTHING


register.filter("listed", listed)
