"""The development action library (``library.yaml``): per indicator, or failing one per
dimension, the action a plan proposes for a weak score, and where there is one the hint a
low score across many people gives about the organisation."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kaohe.core import Text

LIBRARY = Path(__file__).with_name("library.yaml")
FALLBACK = Text(
    "与主管共同制定改进行动并按月跟进。",
    "Agree improvement actions with the manager and follow them up monthly.",
)


@cache
def _library() -> dict[str, Any]:
    return dict(yaml.safe_load(LIBRARY.read_text(encoding="utf-8")))


def action_for(indicator: str, dimension: str = "") -> Text:
    entry = _library()["indicators"].get(indicator) or _library()["dimensions"].get(dimension)
    return Text(entry["zh"], entry["en"]) if entry else FALLBACK


def hint_for(indicator: str) -> Text | None:
    hint = (_library()["indicators"].get(indicator) or {}).get("hint")
    return Text(hint["zh"], hint["en"]) if hint else None


def known_indicators() -> set[str]:
    return set(_library()["indicators"])
