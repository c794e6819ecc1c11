"""The sentiment model's interface: blanks, routing by script, the arithmetic of a score,
labels, the version and the errors of a missing or stale model file.

Most tests use a model written by hand (a few n-gram weights), so that every expected score
is worked out here; the built model (``make setup``) is used where only it will do.
"""

import math
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from kaohe.ml import sentiment

ROOT = Path(__file__).resolve().parents[2]
SLOPE, ENGLISH_INTERCEPT = 4.0, -1.0


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


@pytest.fixture(scope="module")
def small():
    return sentiment.SentimentModel.from_grams(
        {"好": 2.0, "差": -3.0, "不好": -4.5, "!": 0.25, "0分": -1.0, "ok": 0.5},
        intercept=0.1,
        english=(SLOPE, ENGLISH_INTERCEPT),
        version="hand-made",
    )


@pytest.fixture(scope="module")
def built():
    return sentiment.load()


def english(text):
    compound = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    return sigmoid(SLOPE * compound + ENGLISH_INTERCEPT)


def test_a_blank_text_has_no_score_and_keeps_its_place(small):
    texts = ["", "好", "   ", "\t\n", "\u3000", "good"]
    scores = small.scores(texts)
    assert [s is None for s in scores] == [True, False, True, True, True, False]
    assert scores[1] == pytest.approx(sigmoid(0.1 + 2.0))


def test_a_chinese_score_sums_the_weights_of_every_ngram_it_holds(small):
    # 好 once; 不 and 很 unknown; "不好" both as a bigram and through its 好.
    assert small.scores(["很好"]) == [pytest.approx(sigmoid(0.1 + 2.0))]
    assert small.scores(["不好"]) == [pytest.approx(sigmoid(0.1 + 2.0 - 4.5))]
    # Counted as often as it occurs.
    assert small.scores(["好好好"]) == [pytest.approx(sigmoid(0.1 + 6.0))]
    assert small.scores(["又好又差"]) == [pytest.approx(sigmoid(0.1 + 2.0 - 3.0))]
    assert small.scores(["嗯"]) == [pytest.approx(sigmoid(0.1))]


def test_the_chinese_model_reads_full_width_forms_case_and_digits_folded(small):
    # "！" is "!", "Ｏｋ" is "ok", every digit is a 0: "10分" holds the bigram "0分".
    expected = sigmoid(0.1 + 2.0 + 0.25 + 0.5)
    assert small.scores(["好！Ｏｋ", "好!OK", "  好! ok  "])[:2] == [pytest.approx(expected)] * 2
    assert small.scores(["打10分", "打３分"]) == [pytest.approx(sigmoid(0.1 - 1.0))] * 2


def test_any_han_character_sends_the_text_to_the_chinese_model(small):
    # "ok" counts only on the Chinese side; vader would read "ok 好" as mildly positive.
    assert small.scores(["ok 好"]) == [pytest.approx(sigmoid(0.1 + 0.5 + 2.0))]
    assert small.scores(["The agent was 很好"]) == [pytest.approx(sigmoid(0.1 + 2.0))]


def test_other_text_goes_to_vader_mapped_by_the_logistic_curve(small):
    texts = ["Great help, thank you!", "Terrible, nobody called back.", "ＧＯＯＤ", "ありがとう"]
    assert small.scores(texts) == [pytest.approx(english(t)) for t in texts]
    # No sentiment word: compound 0, so the score is the curve at 0.
    assert small.scores(["I called on Tuesday."]) == [pytest.approx(sigmoid(ENGLISH_INTERCEPT))]


def test_a_score_is_the_same_alone_in_a_batch_and_in_another_process(built):
    texts = ["客服很耐心，问题一次就解决了", "等了半小时没人接", "Nobody called me back.", "好"]
    alone = [built.scores([t])[0] for t in texts]
    assert built.scores(texts * 3) == alone * 3
    # A new process with another string-hash seed gives the same floats, bit for bit.
    program = (
        "from kaohe.ml import sentiment; "
        f"print([s.hex() for s in sentiment.load().scores({texts!r})])"
    )
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", program],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        assert run.stdout.strip() == str([s.hex() for s in alone])


def test_loading_and_scoring_do_not_import_scikit_learn():
    program = (
        "import sys; from kaohe.ml import sentiment; sentiment.load().scores(['好', 'good']); "
        "print('sklearn' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"


def test_scores_are_probabilities_even_far_out(small):
    far = small.scores(["好" * 500, "差" * 500])
    assert far == [1.0, 0.0]


def test_a_score_below_the_threshold_is_negative():
    assert sentiment.DEFAULT_THRESHOLD == 0.5
    assert sentiment.label(0.5) == "positive"
    assert sentiment.label(0.4999) == "negative"
    assert sentiment.label(0.7, threshold=0.75) == "negative"
    assert sentiment.label(0.3, threshold=0.25) == "positive"
    with pytest.raises(ValueError, match=r"threshold: 1\.5 is outside 0–1"):
        sentiment.label(0.3, threshold=1.5)


def test_the_built_models_version_names_its_training_data_and_vader(built):
    vader = re.escape(metadata.version("vaderSentiment"))
    assert re.fullmatch(rf"zh-ngram-lr-[0-9a-f]{{8}}\+vader-{vader}", built.version)


def test_a_missing_model_says_which_file_and_how_to_build_it(tmp_path):
    path = tmp_path / "absent.npz"
    with pytest.raises(sentiment.ModelMissing) as missing:
        sentiment.load(path)
    assert str(missing.value) == (
        f"The sentiment model {path} does not exist: build it with "
        f"`python scripts/train_sentiment.py --output {path}`."
    )
    default = sentiment.ModelMissing(sentiment.MODEL_FILE, "does not exist")
    assert str(default).endswith(": build it with `make setup` in the kaohe checkout.")


def stored(model, **changes):
    """The arrays of a model file holding the model's weights."""
    arrays = dict(
        format=np.array(1),
        orders=np.array([1, 2, 3]),
        keys=model._keys,
        weights=model._weights,
        intercept=np.array(model._intercept),
        english=np.array([SLOPE, ENGLISH_INTERCEPT]),
        vader=np.array(metadata.version("vaderSentiment")),
        name=np.array("zh-ngram-lr-00000000"),
    )
    arrays.update(changes)
    return arrays


def test_a_model_file_in_order_loads(tmp_path, small):
    path = tmp_path / "model.npz"
    np.savez(path, **stored(small))
    assert sentiment.load(path).scores(["不好"]) == small.scores(["不好"])


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (dict(format=np.array(0)), "was built by another version of kaohe"),
        (dict(orders=np.array([1, 2])), "was built with other n-grams"),
        (dict(vader=np.array("3.0.0")), "was calibrated on vaderSentiment 3.0.0, not"),
    ],
)
def test_a_stale_model_file_is_refused(tmp_path, small, changes, reason):
    path = tmp_path / "model.npz"
    np.savez(path, **stored(small, **changes))
    with pytest.raises(sentiment.ModelMissing, match=re.escape(f"{path} {reason}")):
        sentiment.load(path)


def test_a_damaged_model_file_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"not a zip file")
    with pytest.raises(sentiment.ModelMissing, match="cannot be read"):
        sentiment.load(path)
