"""The organisation diagnosis page's figures: per indicator and department (or position),
the share of the points people earned in locked results, and the indicators where many
score low — with the interview root causes recorded for those people and the library's
hint."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kaohe.analytics import Attainment, Diagnosis, diagnose
from kaohe.appraisals.models import Cycle, Interview, Result
from kaohe.appraisals.presenter import text_of
from kaohe.core import Text
from kaohe.org.policy import Access

from . import policy
from .library import hint_for

BY = ("department", "position")


@dataclass(frozen=True)
class Finding:
    indicator: str
    name: str
    people: int
    low: int
    share: Any
    causes: list[tuple[str, int]]  # root cause label → people, most first
    hint: Text | None


@dataclass(frozen=True)
class Report:
    diagnosis: Diagnosis
    names: dict[str, str]  # indicator id → name in the reader's language
    dimensions: dict[str, str]  # indicator id → its dimension's name
    findings: list[Finding]
    people: int


def report(access: Access, cycles: list[Cycle], by: str = "department") -> Report:
    appraisals = policy.diagnosed_appraisals(access).filter(cycle__in=cycles)
    groups = dict(
        appraisals.values_list(
            "pk",
            "employee__position__name" if by == "position" else "employee__department__name",
        )
    )
    latest: dict[int, Any] = {}
    for appraisal_id, trace in (
        Result.objects.filter(appraisal_id__in=list(groups))
        .order_by("appraisal_id", "number")
        .values_list("appraisal_id", "trace")
        .iterator(chunk_size=2_000)
    ):
        latest[appraisal_id] = trace
    names: dict[str, str] = {}
    dimensions: dict[str, str] = {}
    attainments = []
    for appraisal_id, trace in latest.items():
        data = (trace or {}).get("result") or {}
        dimension_names = {d["id"]: text_of(d.get("name")) for d in data.get("dimensions", [])}
        for indicator in data.get("indicators", []):
            points, possible = indicator.get("points"), indicator.get("max_points")
            if points is None or not possible:
                continue
            names.setdefault(indicator["id"], text_of(indicator.get("name")))
            dimensions.setdefault(
                indicator["id"], dimension_names.get(indicator.get("dimension"), "")
            )
            attainments.append(
                Attainment(appraisal_id, indicator["id"], groups[appraisal_id],
                           Decimal(points) / Decimal(possible))
            )  # fmt: skip
    found = diagnose(attainments)
    causes = _causes([w.people_low for w in found.weaknesses])
    findings = [
        Finding(
            w.indicator,
            names[w.indicator],
            w.people,
            w.low,
            w.share,
            [(label, count) for label, count in causes(w.indicator, w.people_low).most_common()],
            hint_for(w.indicator),
        )
        for w in found.weaknesses
    ]
    return Report(found, names, dimensions, findings, len(latest))


def _causes(groups: list[frozenset[Any]]) -> Any:
    everyone = set().union(*groups) if groups else set()
    recorded = {
        appraisal: (cause, causes or {})
        for appraisal, cause, causes in Interview.objects.filter(
            appraisal_id__in=everyone
        ).values_list("appraisal_id", "root_cause", "causes")
    }
    labels = dict(Interview.RootCause.choices)

    def counted(indicator: str, people: frozenset[Any]) -> Counter[str]:
        """Per person the cause recorded for this indicator, else the interview's one."""
        found: Counter[str] = Counter()
        for person in people:
            overall, per_indicator = recorded.get(person, ("", {}))
            cause = per_indicator.get(indicator) or overall
            if cause:
                found[str(labels[cause])] += 1
        return found

    return counted


def cycles_with_results(access: Access) -> list[Cycle]:
    ids = (
        policy.diagnosed_appraisals(access)
        .filter(results__isnull=False)
        .values_list("cycle_id", flat=True)
        .distinct()
    )
    return list(Cycle.objects.filter(pk__in=ids).order_by("-created_at"))
