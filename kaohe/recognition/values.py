"""The company values a new installation offers until HR words its own."""

from __future__ import annotations

from typing import Any

STARTING_VALUES = [
    ("customer-first", "客户第一", "Customer first"),
    ("teamwork", "团队协作", "Teamwork"),
    ("ownership", "主动担当", "Ownership"),
    ("professional", "专业高效", "Professional and efficient"),
    ("integrity", "诚信正直", "Integrity"),
]


def ensure_starting_values(value_model: Any) -> int:
    """Create the starting values that are missing (by code); the values made."""
    made = 0
    for order, (code, zh, en) in enumerate(STARTING_VALUES, 1):
        _value, created = value_model.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "order": order * 10}
        )
        made += created
    return made
