"""Form fields → typed inputs for the reviews actions (pages only; the API has schemas)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from .actions import AnswerInput, GroupInput, QuestionInput, ReviewRefused, SetupInput
from .models import LEVELS, Question

UNABLE = "na"


def answer_from(post: QueryDict, questions: list[Question]) -> AnswerInput:
    """``q_<key>`` is a level 1–5 or ``na`` (unable to judge); a question left alone is
    unanswered. Anything else is refused as the action would refuse it."""
    levels: dict[str, int | None] = {}
    for question in questions:
        given = post.get(f"q_{question.key}", "")
        if given == UNABLE:
            levels[question.key] = None
        elif given.isdigit() and int(given) in LEVELS:
            levels[question.key] = int(given)
        elif given:
            levels[question.key] = -1  # refused by the action with its message
    return AnswerInput(levels, post.get("comment", ""))


def answer_choices(
    questions: list[Question], levels: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Each question with its anchors and what is chosen (a level, "na" or "")."""
    chosen = levels or {}
    shown = []
    for question in questions:
        value = chosen.get(question.key, "")
        shown.append(
            {
                "question": question,
                "anchors": question.anchors(),
                "chosen": UNABLE if question.key in chosen and value is None else str(value),
            }
        )
    return shown


def _int(value: str, default: int) -> int:
    return int(value) if value.strip().isdigit() else default


def setup_from(post: QueryDict, groups: list[str], question_count: int) -> SetupInput:
    """The setup page's fields: ``group_<g>_on``, ``…_weight``, ``…_min``, ``…_max``,
    ``…_score``, ``…_comment`` per group; ``q<n>_…`` per question (``q<n>_drop`` removes
    it; the row after the last adds one when its id is filled)."""
    chosen = []
    for group in groups:
        if not post.get(f"group_{group}_on"):
            continue
        try:
            weight = Decimal(post.get(f"group_{group}_weight", "0") or "0")
        except InvalidOperation:
            raise ReviewRefused(_("A group's weight is a number, e.g. 40.")) from None
        chosen.append(
            GroupInput(
                group, weight, _int(post.get(f"group_{group}_min", ""), 0),
                _int(post.get(f"group_{group}_max", ""), 8),
                _int(post.get(f"group_{group}_score", ""), 3),
                _int(post.get(f"group_{group}_comment", ""), 5),
            )
        )  # fmt: skip
    questions = []
    for n in range(question_count + 1):
        prefix = f"q{n}_"
        key = post.get(prefix + "key", "").strip()
        if not key or post.get(prefix + "drop"):
            continue
        questions.append(
            QuestionInput(
                key=key,
                text_zh=post.get(prefix + "text_zh", ""),
                text_en=post.get(prefix + "text_en", ""),
                anchors_zh=[post.get(f"{prefix}zh_{level}", "") for level in LEVELS],
                anchors_en=[post.get(f"{prefix}en_{level}", "") for level in LEVELS],
                feeds=post.get(prefix + "feeds", "").strip(),
                comment_allowed=bool(post.get(prefix + "comment")),
            )
        )
    return SetupInput(_int(post.get("load_limit", ""), 8), chosen, questions)
