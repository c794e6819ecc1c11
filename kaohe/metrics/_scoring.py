"""Scoring texts for their sentiment as they are imported: the columns a scored source
(transcripts, surveys) adds to the file's, filled from the caller's scorer.

The scorer is whatever ``ImportOptions.sentiment`` holds — the web app passes kaohe.ml's
model, a test its own — called once per block of rows with the block's non-blank texts.
Its scores are checked (one per text, each a probability) before anything is written:
a broken model refuses the import rather than filling the lake with nonsense.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from kaohe.core import Text

from ._errors import MetricsError
from ._sources import SENTIMENT_MODEL, Source

if TYPE_CHECKING:
    from ._ingest import ImportOptions

# P(positive) in [0, 1] for each text, in order; None for a blank one.
Scorer = Callable[[Sequence[str]], Sequence[float | None]]

DERIVED_TYPES = {"DOUBLE": pa.float64(), "VARCHAR": pa.string()}


def scored_columns(
    source: Source, texts: list[object], options: ImportOptions
) -> dict[str, pa.Array]:
    """A scored source's added columns for these rows' texts: the scores and the model."""
    assert source.scored is not None
    count = len(texts)
    if options.sentiment is None:
        model = pa.nulls(count, pa.string())
    else:
        model = pa.repeat(pa.scalar(options.sentiment_version, pa.string()), count)
    scores = pa.nulls(count, pa.float64())
    if options.sentiment is not None and not options.dry_run:
        scores = pa.array(_scores(options.sentiment, texts), pa.float64())
    return {source.scored.score: scores, SENTIMENT_MODEL: model}


def _scores(scorer: Scorer, texts: list[object]) -> list[float | None]:
    """Each text's score; a blank text has none. Refuses what is not a probability, so that
    a broken model never reaches the lake."""
    present = [i for i, text in enumerate(texts) if isinstance(text, str) and text.strip()]
    given = [str(texts[i]) for i in present]
    found = list(scorer(given)) if given else []
    if len(found) != len(given):
        raise MetricsError(
            Text(
                f"情绪模型为 {len(given)} 段文字给出了 {len(found)} 个分数；未导入任何数据",
                f"the sentiment model gave {len(found)} scores for {len(given)} texts; "
                "nothing was imported",
            )
        )
    scores: list[float | None] = [None] * len(texts)
    for index, value in zip(present, found, strict=True):
        if value is not None and not 0 <= value <= 1:  # NaN fails too
            raise MetricsError(
                Text(
                    f"情绪模型给出的分数 {value!r} 不在 0–1 之间；未导入任何数据",
                    f"the sentiment model gave {value!r}, not a probability in 0–1; "
                    "nothing was imported",
                )
            )
        scores[index] = None if value is None else float(value)
    return scores


def add_scores(table: pa.Table, source: Source, options: ImportOptions) -> pa.Table:
    if source.scored is None:
        return table
    texts = table.column(source.scored.text).to_pylist()
    for name, values in scored_columns(source, texts, options).items():
        table = table.append_column(name, values)
    return table
