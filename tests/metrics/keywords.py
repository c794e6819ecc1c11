"""A small deterministic sentiment scorer for the metric tests.

It stands in for kaohe.ml's model: the metric layer takes any scorer through
``ImportOptions.sentiment`` (texts in, P(positive) out, None for a blank text), so these
tests fix the scores by keyword and work out every figure by hand. The model's own
accuracy is measured elsewhere (tests/ml and docs/insights.md).
"""

from collections.abc import Sequence

# Each test text holds at most one of these words; a text with none scores 0.5.
SCORES = {
    "气死": 0.05,
    "太慢": 0.2,
    "不行": 0.3,
    "一般": 0.45,
    "还行": 0.6,
    "好的": 0.7,
    "谢谢": 0.9,
    "满意": 0.95,
}


def keyword_scorer(texts: Sequence[str]) -> list[float | None]:
    return [_score(text) for text in texts]


def _score(text: str) -> float | None:
    if not text.strip():
        return None
    return next((score for word, score in SCORES.items() if word in text), 0.5)


def generated_words_scorer(texts: Sequence[str]) -> list[float | None]:
    """For the generated transcripts and comments: what an upset customer or a refusing
    agent says scores 0.1, thanks, relief and praise 0.9, the rest 0.5."""
    scores: list[float | None] = []
    for text in texts:
        if any(word in text for word in _BAD):
            scores.append(0.1)
        elif any(word in text for word in _GOOD):
            scores.append(0.9)
        else:
            scores.append(0.5)
    return scores


_BAD = ("生气", "投诉", "不满意", "失望", "怎么回事", "太过分", "急死", "效率太低", "没解决",
        "没有办法", "处理不了", "乱扣费", "赶紧", "又断网", "不想退", "没收到", "敷衍",
        "没人联系", "太麻烦", "故障", "混乱")  # fmt: skip
_GOOD = ("谢谢", "感谢", "很好", "可以", "差不多", "处理好", "满意", "点赞", "周到", "辛苦")
