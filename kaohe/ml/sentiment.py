"""Sentiment of survey comments and call turns, offline, in Chinese and English.

    from kaohe.ml import sentiment

    model = sentiment.load()                 # raises sentiment.ModelMissing if not built
    model.version                            # e.g. "zh-ngram-lr-1a2b3c4d+vader-3.3.2"
    model.scores(["客服很耐心", "Nobody called me back.", " "])   # [0.9…, 0.2…, None]
    sentiment.label(0.31)                    # "negative": below DEFAULT_THRESHOLD

A score is P(positive) in [0, 1]; text holding any Han character is read by the Chinese
model, any other by the English one. The model file is built by ``make setup`` (the script
``scripts/train_sentiment.py``); nothing is downloaded at run time.
"""

from ._sentiment import (
    DEFAULT_THRESHOLD,
    MODEL_FILE,
    Label,
    ModelMissing,
    SentimentModel,
    is_chinese,
    label,
    load,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "MODEL_FILE",
    "Label",
    "ModelMissing",
    "SentimentModel",
    "is_chinese",
    "label",
    "load",
]
