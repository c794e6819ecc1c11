"""Template filters rounding figures for people: ``{{ result.total|total }}``."""

from django import template

from kaohe import display

register = template.Library()

for _name in ("points", "total", "money", "coefficient", "count", "figure"):
    register.filter(_name, getattr(display, _name))
