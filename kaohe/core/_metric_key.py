"""Which metric feeds an input, and whose figure it is.

A scheme names the metric behind an input as ``name`` (the person's own figure),
``queues:name`` (the figure of the queues the person works in, weighted by how much of
their work each queue holds) or ``org:name`` (the whole organisation's). This module is the
one place that reads that notation; pages, the trace and the data lookup all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ._text import Text
from ._units import Duration


class MetricScope(StrEnum):
    OWN = "own"
    QUEUES = "queues"
    ORG = "org"

    @property
    def subject_type(self) -> str:
        """The subject type the metric engine stores such a figure under."""
        return _SUBJECT_TYPES[self]

    @property
    def label(self) -> Text:
        """Whose figure it is, as a page or trace says it."""
        return _SCOPE_LABELS[self]


_SUBJECT_TYPES = {
    MetricScope.OWN: "employee",
    MetricScope.QUEUES: "agent_queues",
    MetricScope.ORG: "org",
}
_SCOPE_LABELS = {
    MetricScope.OWN: Text("本人", "own"),
    MetricScope.QUEUES: Text(
        "本人所在队列（按本人接听量加权）", "own queues (weighted by calls taken)"
    ),
    MetricScope.ORG: Text("客服中心整体", "whole contact centre"),
}


class MetricKeyError(ValueError):
    """The text is not a metric key."""


@dataclass(frozen=True, slots=True)
class MetricKey:
    scope: MetricScope
    metric: str

    @classmethod
    def parse(cls, text: str) -> MetricKey:
        prefix, _sep, name = text.strip().rpartition(":")
        scopes = {"": MetricScope.OWN, "queues": MetricScope.QUEUES, "org": MetricScope.ORG}
        scope = scopes.get(prefix)
        if scope is None or not name or not name.replace("_", "").isalnum():
            raise MetricKeyError(text)
        return cls(scope, name)

    def __str__(self) -> str:
        return self.metric if self.scope is MetricScope.OWN else f"{self.scope}:{self.metric}"

    @property
    def subject_type(self) -> str:
        return self.scope.subject_type

    def subject(self, employee_number: str) -> str:
        """The subject whose stored value this key reads, for one person."""
        return "org" if self.scope is MetricScope.ORG else employee_number

    @property
    def duration(self) -> Duration | None:
        return Duration.of_metric(self.metric)
