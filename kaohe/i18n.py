"""The reader's language, as the core and the metric engine name it ("zh" or "en")."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language

from kaohe.core import Lang, Text


def current_lang() -> Lang:
    """The active Django language as a core language: Simplified Chinese or English."""
    return "zh" if (get_language() or "zh").startswith("zh") else "en"


def in_reader_language(text: Text) -> str:
    return text(current_lang())


def listed(items: Iterable[object]) -> str:
    """Items as a reader lists them: 甲、乙、丙 in Chinese, a, b, c in English."""
    return ("、" if current_lang() == "zh" else ", ").join(str(item) for item in items)


def with_colon(label: object) -> str:
    """A label followed by the colon of the reader's language: 目标： / Target: ."""
    return f"{label}：" if current_lang() == "zh" else f"{label}: "
