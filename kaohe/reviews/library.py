"""The default 360 setup (``library.yaml``): rater groups and a questionnaire chosen by
what the scheme reads, so that a new setup for a built-in scheme is ready to use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kaohe.core import Scheme

LIBRARY = Path(__file__).with_name("library.yaml")


@dataclass(frozen=True)
class GroupDefault:
    group: str
    weight: Decimal
    min_raters: int
    max_raters: int


@dataclass(frozen=True)
class QuestionDefault:
    key: str
    feeds: str
    text: dict[str, str]
    anchors: dict[str, list[str]]


@cache
def _library() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(LIBRARY.read_text(encoding="utf-8"))
    return loaded


def default_groups() -> list[GroupDefault]:
    return [
        GroupDefault(group, Decimal(str(weight)), low, high)
        for group, (weight, low, high) in _library()["groups"].items()
    ]


def default_questions(scheme: Scheme) -> list[QuestionDefault]:
    """The questionnaire for a scheme: the one for an input it feeds from reviews, else the
    one for indicators it has, else the general one."""
    indicators = {indicator.id for indicator in scheme.indicators()}
    chosen = None
    for entry in _library()["questionnaires"]:
        if set(entry.get("inputs", ())) & set(scheme.inputs):
            chosen = entry
            break
        if entry.get("indicators") and set(entry["indicators"]) <= indicators:
            chosen = chosen or entry
    if chosen is None:
        chosen = next(e for e in _library()["questionnaires"] if e["name"] == "default")
    return [
        QuestionDefault(q["key"], q.get("feeds") or "", q["text"], q["anchors"])
        for q in chosen["questions"]
    ]
