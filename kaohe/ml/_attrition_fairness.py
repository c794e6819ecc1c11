"""The fairness check: how the risk scores differ between the groups of each protected
attribute HR imported — never used to score anyone, only to show whether the model's
scores fall unevenly. A group smaller than ``MIN_GROUP_SIZE`` is counted but not
compared: its mean would say little, and showing it could point at the few people in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kaohe.core import Text

from ._attrition_guard import PROTECTED

MIN_GROUP_SIZE = 10


@dataclass(frozen=True)
class GroupScores:
    group: str
    size: int
    mean: float | None  # None when the group is too small to compare


@dataclass(frozen=True)
class AttributeGap:
    """One attribute's groups and, across those large enough, the lowest mean risk over
    the highest (1 is even; 0.8 means one group's mean is a fifth below another's) and the
    difference between them."""

    attribute: str
    name: Text
    groups: tuple[GroupScores, ...]
    ratio: float | None
    gap: float | None
    note: Text | None  # why there is no comparison, when there is none


TOO_FEW = Text("人数太少，不作比较", "too few to compare")


def fairness_report(
    scores: Mapping[str, float], attributes: Mapping[str, Mapping[str, str]]
) -> tuple[AttributeGap, ...]:
    """For each attribute, the mean score of each group among the people scored."""
    found = []
    for attribute, group_of in sorted(attributes.items()):
        members: dict[str, list[float]] = {}
        for person, score in scores.items():
            group = group_of.get(person)
            if group is not None:
                members.setdefault(group, []).append(score)
        groups = tuple(
            GroupScores(
                group,
                len(values),
                sum(values) / len(values) if len(values) >= MIN_GROUP_SIZE else None,
            )
            for group, values in sorted(members.items())
        )
        means = [g.mean for g in groups if g.mean is not None]
        name = PROTECTED.get(attribute, Text(attribute, attribute))
        if len(means) < 2:
            found.append(AttributeGap(attribute, name, groups, None, None, TOO_FEW))
            continue
        low, high = min(means), max(means)
        ratio = low / high if high > 0 else 1.0
        found.append(AttributeGap(attribute, name, groups, ratio, high - low, None))
    return tuple(found)
