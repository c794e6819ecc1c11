"""Which kaohe source feeds an input other than a metric: 360 reviews, the critical-incident
log or OKR goals.

A scheme writes ``feed: reviews:peers`` (the peers' mean on the 360 questions tied to the
input; ``reviews`` alone reads every weighted group), ``feed: incidents:violation,
confidentiality`` (how many such incidents the period logged for the person) or ``feed:
goals`` (the mean key-result completion of the person's goals of the period). Like
``_metric_key`` this module is the one place that reads the notation and names the groups
and kinds, so that the scheme, the pages and the apps that provide the values agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ._inputs import InputKind
from ._text import Text


class FeedSource(StrEnum):
    REVIEWS = "reviews"
    INCIDENTS = "incidents"
    GOALS = "goals"


# 360 rater groups, in the order pages list them.
REVIEW_GROUPS: dict[str, Text] = {
    "self": Text("本人", "self"),
    "manager": Text("上级", "manager"),
    "peers": Text("同事", "peers"),
    "subordinates": Text("下属", "subordinates"),
    "partners": Text("跨部门协作方", "cross-department partners"),
    "customers": Text("客户", "customers"),
}

# Kinds of critical incident a scheme may count.
INCIDENT_KINDS: dict[str, Text] = {
    "suggestion": Text("改进建议被采纳", "adopted improvement suggestion"),
    "extra_task": Text("主动承担额外任务", "extra task taken on"),
    "violation": Text("流程违规", "process violation"),
    "confidentiality": Text("保密违规", "confidentiality breach"),
    "major_support": Text("重大事件支持", "major-event support"),
    "commendation": Text("客户或公司表扬", "commendation"),
}

_KEYS = {FeedSource.REVIEWS: REVIEW_GROUPS, FeedSource.INCIDENTS: INCIDENT_KINDS}
# The kind of input each source can feed: a 360 mean is a number on the 1–5 scale, a
# count of incidents a count, a completion a percentage.
FEED_KINDS = {
    FeedSource.REVIEWS: InputKind.NUMBER,
    FeedSource.INCIDENTS: InputKind.COUNT,
    FeedSource.GOALS: InputKind.PERCENT,
}
_SOURCE_LABELS = {
    FeedSource.REVIEWS: Text("360 度评估", "360 review"),
    FeedSource.INCIDENTS: Text("关键事件记录", "critical-incident log"),
    FeedSource.GOALS: Text("OKR 目标完成度", "OKR goal completion"),
}


class FeedError(ValueError):
    """The text is not a feed; ``problem`` says why in both languages."""

    def __init__(self, problem: Text) -> None:
        super().__init__(problem.en)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Feed:
    source: FeedSource
    keys: tuple[str, ...] = ()  # the groups or incident kinds read; () for every group

    @classmethod
    def parse(cls, text: str) -> Feed:
        name, _sep, rest = text.strip().partition(":")
        try:
            source = FeedSource(name.strip())
        except ValueError:
            raise FeedError(
                Text(
                    f"「{text}」不是有效的数据来源：应为 reviews、incidents 或 goals",
                    f"'{text}' is not a feed: use reviews, incidents or goals",
                )
            ) from None
        keys = tuple(k.strip() for k in rest.split(",") if k.strip())
        known = _KEYS.get(source, {})
        unknown = [k for k in keys if k not in known]
        if source is FeedSource.GOALS and keys:
            raise FeedError(Text("goals 不带参数", "goals takes no list after it"))
        if unknown:
            allowed = ", ".join(known)
            raise FeedError(
                Text(
                    f"「{unknown[0]}」不是 {source} 的可选项（可选：{allowed}）",
                    f"'{unknown[0]}' is not one of {source}'s choices ({allowed})",
                )
            )
        if source is FeedSource.INCIDENTS and not keys:
            kinds = ", ".join(INCIDENT_KINDS)
            raise FeedError(
                Text(
                    f"incidents 后需写明计数的事件类型，例如 incidents:violation（可选：{kinds}）",
                    f"incidents needs the kinds it counts, e.g. incidents:violation ({kinds})",
                )
            )
        return cls(source, keys)

    def __str__(self) -> str:
        return f"{self.source}:{','.join(self.keys)}" if self.keys else str(self.source)

    @property
    def kind(self) -> InputKind:
        return FEED_KINDS[self.source]

    @property
    def label(self) -> Text:
        """Where the value comes from, as a page says it: 360 度评估（同事）."""
        base = _SOURCE_LABELS[self.source]
        if not self.keys:
            return base
        names = [_KEYS[self.source][k] for k in self.keys]
        return Text(
            f"{base.zh}（{'、'.join(n.zh for n in names)}）",
            f"{base.en} ({', '.join(n.en for n in names)})",
        )
