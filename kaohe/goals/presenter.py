"""Goals as pages and the API show them: an objective's completion, confidence and key
results rounded for people, and the tree of goals aligned to it that a reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kaohe import display

from . import policy
from .models import Confidence, Objective


def percent(value: Decimal | None) -> str:
    return display.NOTHING if value is None else f"{display.count(value)}%"


@dataclass
class Shown:
    """An objective as a page shows it: its completion, confidence and key results."""

    objective: Objective
    completion: str
    bar: int
    confidence: str
    confidence_label: str
    key_results: list[dict[str, Any]] = field(default_factory=list)
    children: list[Shown] = field(default_factory=list)


def shown(objective: Objective) -> Shown:
    done = objective.completion()
    confidence = objective.latest_confidence()
    labels = dict(Confidence.choices)
    rows = [
        {
            "kr": kr,
            "completion": percent(kr.completion()),
            "bar": int(kr.completion()),
            "current": display.points(kr.current),
            "start": display.points(kr.start),
            "target": display.points(kr.target),
        }
        for kr in objective.key_results.all()
    ]
    return Shown(
        objective, percent(done), int(done or 0), confidence,
        str(labels.get(confidence, _("No check-in yet"))), rows,
    )  # fmt: skip


def aligned_tree(access: Any, root: Objective) -> Shown:
    """The objective and, level by level, the goals aligned to it that ``access`` may see."""
    top = shown(root)
    level = [top]
    seen = {root.pk}
    while level:
        by_parent = {node.objective.pk: node for node in level}
        children = list(
            Objective.objects.filter(parent_id__in=list(by_parent))
            .exclude(pk__in=seen)
            .select_related("owner", "department")
            .prefetch_related("key_results", "check_ins")
            .order_by("level", "owner__number", "pk")
        )
        allowed = policy.visible_ids(access, {c.pk for c in children})
        level = []
        for child in children:
            if child.pk in allowed:
                node = shown(child)
                by_parent[child.parent_id].children.append(node)  # type: ignore[index]
                level.append(node)
                seen.add(child.pk)
    return top
