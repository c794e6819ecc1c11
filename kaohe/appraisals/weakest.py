"""An appraisal's weakest indicators, read from a serialised result: what the feedback
interview records root causes for, and what a development plan starts from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WEAK = Decimal("0.8")  # under 80 % of the possible points
MOST = 3


@dataclass(frozen=True)
class Weak:
    indicator: str
    dimension: str
    name: dict[str, str]  # {"zh": …, "en": …}
    attainment: Decimal  # points ÷ possible points


def weakest(trace: dict[str, Any]) -> list[Weak]:
    """Up to three indicators under 80 % of their points, weakest first; the single
    weakest when none is under."""
    scored = []
    for indicator in (trace.get("result") or {}).get("indicators", []):
        points, possible = indicator.get("points"), indicator.get("max_points")
        if points is None or not possible or not indicator.get("counted", True):
            continue
        name = indicator.get("name")
        scored.append(
            Weak(
                indicator["id"],
                indicator.get("dimension", ""),
                name if isinstance(name, dict) else {"zh": str(name), "en": str(name)},
                Decimal(points) / Decimal(possible),
            )
        )
    scored.sort(key=lambda weak: weak.attainment)
    under = [weak for weak in scored if weak.attainment < WEAK][:MOST]
    return under or scored[:1]
