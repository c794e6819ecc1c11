"""The sentiment model as the web app uses it: loaded once per process, on first use, from
``settings.SENTIMENT_MODEL_FILE`` (by default the file ``make setup`` builds).

Every import asks ``scorer_options()`` for the scorer to pass to the metrics package
(``kaohe.data.services.import_options``). Without a usable model file, imports go through
without scores — a transcript's turns and a survey's comments are kept, their scores left
empty — and ``model_problem()`` says why in the reader's language, naming the file and the
command that builds it: the Data page, the import's result, the API's answer and the
command line show it. A missing file is looked for again at the next import, so that
building it needs no restart; a loaded model stays loaded.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kaohe.ml import sentiment

log = logging.getLogger("kaohe.insights")

_loading = threading.Lock()
_loaded: dict[Path, sentiment.SentimentModel] = {}
_warned: set[tuple[Path, str]] = set()


@dataclass(frozen=True)
class ModelProblem:
    """Why the sentiment model cannot be used: its file, and whether it is absent or
    unusable (the detail in English from ``kaohe.ml``)."""

    path: Path
    missing: bool
    detail: str

    @property
    def build_command(self) -> str:
        if self.path == sentiment.MODEL_FILE:
            return "make setup"
        return f"python scripts/train_sentiment.py --output {self.path}"

    def text(self) -> str:
        """The whole story in the reader's language: what happens, which file, what to do."""
        values = {"path": self.path, "command": self.build_command, "detail": self.detail}
        if self.missing:
            worded = _(
                "Sentiment is not scored: the model file %(path)s does not exist. "
                "Transcripts and survey comments are imported without sentiment scores. "
                "Build the file with “%(command)s” in the kaohe checkout, then import "
                "those files again to score them."
            )
        else:
            worded = _(
                "Sentiment is not scored: the model file %(path)s cannot be used "
                "(%(detail)s). Transcripts and survey comments are imported without "
                "sentiment scores. Build the file again with “%(command)s” in the kaohe "
                "checkout, then import those files again to score them."
            )
        return worded % values


def model_file() -> Path:
    return Path(settings.SENTIMENT_MODEL_FILE)


def _load() -> sentiment.SentimentModel | ModelProblem:
    path = model_file()
    found = _loaded.get(path)
    if found is not None:
        return found
    with _loading:
        found = _loaded.get(path)
        if found is not None:
            return found
        try:
            found = sentiment.load(path)
        except sentiment.ModelMissing as missing:
            problem = ModelProblem(path, not path.is_file(), missing.reason)
            if (path, missing.reason) not in _warned:  # once per process, not per import
                _warned.add((path, missing.reason))
                log.warning("%s", missing)
            return problem
        _loaded[path] = found
        log.info("sentiment model %s loaded from %s", found.version, path)
        return found


def text_scorer() -> sentiment.SentimentModel | None:
    """The loaded model (its ``scores`` and ``version``), or None without a usable file."""
    found = _load()
    return found if isinstance(found, sentiment.SentimentModel) else None


def model_problem() -> ModelProblem | None:
    """Why imports are not scored now, or None when the model is there."""
    found = _load()
    return found if isinstance(found, ModelProblem) else None


def scorer_options() -> dict[str, Any]:
    """What an ``ImportOptions`` needs to score texts: the scorer and its model's version;
    nothing without a model, so that the import goes through unscored."""
    model = text_scorer()
    if model is None:
        return {}
    return {"sentiment": model.scores, "sentiment_version": model.version}


def forget_loaded_models() -> None:
    """For tests that build or remove a model file: the next use loads it again."""
    with _loading:
        _loaded.clear()
        _warned.clear()
