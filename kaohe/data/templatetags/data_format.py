"""Numbers on the Data page as people read them: thousands grouped, shares in percent."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: object) -> str:
    """12345678 → 12,345,678; anything not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@register.filter
def percent(share: object) -> str:
    """0.4213 → 42 %; nothing for an unknown share."""
    if not isinstance(share, (int, float)):
        return ""
    return f"{share:.0%}"


@register.filter
def percent_number(share: object) -> int:
    """0.4213 → 42, for a <progress max="100">."""
    return round(100 * share) if isinstance(share, (int, float)) else 0


@register.filter
def source_label(name: str) -> str:
    """A source's name in words, in the reader's language: calls → 话务记录."""
    from kaohe.i18n import current_lang
    from kaohe.metrics import SOURCES

    source = SOURCES.get(name)
    return source.label(current_lang()) if source is not None else name
