"""Template filters rounding figures for people: ``{{ result.total|total }}``."""

from django import template

from kaohe import display
from kaohe.i18n import current_lang

register = template.Library()

for _name in ("points", "total", "money", "coefficient", "count", "figure"):
    register.filter(_name, getattr(display, _name))


@register.filter
def colon(label: object) -> str:
    """A label followed by the colon of the reader's language: 目标： / Target: ."""
    return f"{label}：" if current_lang() == "zh" else f"{label}: "
