"""Labelled sentences in a tab-separated file: the sentiment model's training sentences and
its test set. A header row names the columns (``label`` and ``text`` at least, ``lang`` and
``kind`` where given); lines starting with ``#`` before it are comments."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

LABELS = ("positive", "negative")


class LabelledText(NamedTuple):
    lang: str
    kind: str
    label: str
    text: str

    @property
    def positive(self) -> bool:
        return self.label == "positive"


def read_labelled(path: Path) -> list[LabelledText]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = csv.DictReader(
        (line for line in lines if not line.startswith("#")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    found = []
    for number, row in enumerate(rows, start=1):
        if row.get("label") not in LABELS or not (row.get("text") or "").strip():
            raise ValueError(f"{path.name}, sentence {number}: needs a label and a text")
        found.append(
            LabelledText(row.get("lang") or "", row.get("kind") or "", row["label"], row["text"])
        )
    return found


def comparable(text: str) -> str:
    """A text without case, spaces or punctuation: two sentences the same but for those
    are the same sentence (the test set and the training set must share none)."""
    return re.sub(r"[\W_]+", "", text.lower())
