"""How points and badges are worded for people, in both languages at once: a ledger row and
an award keep their reason in Chinese and English, so that each reader reads their own.

Metric names follow docs/metrics.md; a metric without a name here (one HR picked from the
catalog) is shown by its catalog code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kaohe.core import Text, fmt, round_half_up


@dataclass(frozen=True)
class MetricWords:
    name: Text
    base: Text | None = None  # what its volume counts: surveys, answered calls
    percent: bool = False


METRICS: dict[str, MetricWords] = {
    "csat_mean": MetricWords(Text("满意度均分", "CSAT"), Text("份问卷", "surveys")),
    "csat_rate": MetricWords(Text("满意率", "CSAT rate"), Text("份问卷", "surveys"), True),
    "fcr_rate": MetricWords(Text("首次解决率", "FCR"), Text("通接听", "answered calls"), True),
    "complaint_conversion_rate": MetricWords(
        Text("投诉转化率", "complaint rate"), Text("通接听", "answered calls"), True
    ),
    "complaints_converted": MetricWords(Text("成立的投诉", "complaints upheld")),
    "qa_pass_rate": MetricWords(
        Text("质检合格率", "QA pass rate"), Text("次质检", "QA checks"), True
    ),
    "aht_seconds": MetricWords(
        Text("平均处理时长（秒）", "AHT (s)"), Text("通接听", "answered calls")
    ),
    "nps": MetricWords(Text("净推荐值", "NPS"), Text("份问卷", "surveys")),
    "ces_mean": MetricWords(Text("客户费力度", "CES"), Text("份问卷", "surveys")),
    "calls_handled": MetricWords(Text("接听量", "calls handled")),
    "answer_rate": MetricWords(Text("接通率", "answer rate"), Text("通来电", "calls"), True),
    "ticket_resolution_rate": MetricWords(
        Text("工单解决率", "ticket resolution rate"), Text("张工单", "tickets"), True
    ),
    "kb_updates": MetricWords(Text("知识库更新", "knowledge-base updates")),
    "calls_ending_negative_rate": MetricWords(
        Text("负面结束通话占比", "calls ending negative"),
        Text("通转写通话", "transcribed calls"),
        True,
    ),
    "calls_recovered_rate": MetricWords(
        Text("情绪挽回率", "calls recovered"),
        Text("通负面开场通话", "calls starting negative"),
        True,
    ),
    "comment_sentiment_mean": MetricWords(
        Text("评语情绪均值（0–1）", "comment sentiment (0–1)"), Text("条评语", "comments")
    ),
}


def metric_words(metric: str) -> MetricWords:
    return METRICS.get(metric) or MetricWords(Text(metric, metric))


def value_text(metric: str, value: float) -> str:
    """A metric's value as people read it: two decimals at most, a rate with its %."""
    shown = fmt(round_half_up(Decimal(repr(value)), Decimal("0.01")))
    return f"{shown}%" if metric_words(metric).percent else shown


def volume_text(metric: str, volume: float | None) -> Text | None:
    words = metric_words(metric).base
    if volume is None or words is None:
        return None
    count = f"{round(volume):,}"
    return Text(f"{count} {words.zh}", f"{count} {words.en}")
