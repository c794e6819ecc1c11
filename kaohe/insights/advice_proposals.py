"""Proposals for the schemes in use: the raises the signals ask of each scheme's indicators,
the stage variants a director's scheme is offered, and the cycle a proposal's what-if
replays it on.

A signal speaks for the indicators whose inputs read its figures (``TARGET_METRICS``: the
key-account revisit rate; the complaint-handling rates and the process-system completion
rate), a launch flag for the indicators HR named; its points of weight are shared among
those of a scheme. Every scheme reads the organisation's signals; a scheme that belongs to
departments reads theirs instead, where they have one of that kind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Exists, OuterRef

from kaohe.analytics import (
    TARGET_INPUTS,
    TARGET_METRICS,
    Proposed,
    Raise,
    ReweighError,
    Signal,
    SignalKind,
    indicators_reading,
    propose,
    propose_stage,
)
from kaohe.appraisals.models import Appraisal, Cycle, CycleScheme
from kaohe.appraisals.workflow import State
from kaohe.core import SchemeError, Text, flatten
from kaohe.schemes.library import default_codes, latest_versions
from kaohe.schemes.models import SchemeVersion

# The director's stage variants (seed 002 §三), each extending the director's template.
STAGE_BASE = "cs-director"
STAGES = {
    "startup": "cs-director-startup",
    "growth": "cs-director-growth",
    "mature": "cs-director-mature",
}
STAGE_NAMES = {
    "startup": Text("初创期", "start-up"),
    "growth": Text("成长期", "growth"),
    "mature": Text("成熟期", "mature"),
}


@dataclass
class Draft:
    """A proposal about to be made: the scheme version, what it would become, and which of
    the look's signals asked for it (their indexes)."""

    version: SchemeVersion
    proposed: Proposed
    signals: list[int]


def schemes_in_use() -> list[SchemeVersion]:
    """The latest version of every scheme a cycle has used or a position defaults to."""
    latest = latest_versions()
    used = set(CycleScheme.objects.exclude(version=None).values_list("version__code", flat=True))
    used |= {code for code in default_codes().values() if code}
    return [latest[code] for code in sorted(used) if code in latest]


def drafts_for(signals: Sequence[Signal], departments: dict[str, int]) -> Iterator[Draft]:
    """A draft for each scheme in use that the signals would change."""
    for version in schemes_in_use():
        try:
            scheme = version.scheme()
        except SchemeError:
            continue
        known = {indicator.id for indicator in scheme.indicators()}
        raises: list[Raise] = []
        asked: list[int] = []
        for index, signal in _signals_for(version, signals, departments):
            if signal.kind is SignalKind.LAUNCH:
                targets = [name for name in signal.indicators if name in known]
            else:
                targets = indicators_reading(
                    scheme, TARGET_METRICS[signal.kind], TARGET_INPUTS[signal.kind]
                )
            if targets:
                share = signal.weight / len(targets)
                raises += [Raise(name, share, signal.sentence) for name in targets]
                asked.append(index)
        if not raises:
            continue
        try:
            proposed = propose(version.text, raises)
        except ReweighError:
            continue  # a scheme that extends a template: nothing to edit in place
        if proposed.changes:
            yield Draft(version, proposed, asked)


def _signals_for(
    version: SchemeVersion, signals: Sequence[Signal], departments: dict[str, int]
) -> list[tuple[int, Signal]]:
    owned = {department.pk for department in version.departments.all()}
    chosen: list[tuple[int, Signal]] = []
    for kind in SignalKind:
        of_kind = [(i, s) for i, s in enumerate(signals) if s.kind is kind]
        if kind is SignalKind.LAUNCH:
            chosen += of_kind
            continue
        own = [(i, s) for i, s in of_kind if departments.get(s.subject.key) in owned]
        chosen += own or [(i, s) for i, s in of_kind if s.subject.is_organisation]
    return chosen


def stage_reason(stage: str) -> Text:
    name = STAGE_NAMES[stage]
    return Text(
        f"改用{name.zh}的权重（模板 {STAGES[stage]}，种子文档 002 第三节）。",
        f"Moving to the {name.en}-stage weights (template {STAGES[stage]}, seed 002 §三).",
    )


def stage_proposed(version: SchemeVersion, stage: str) -> Proposed:
    """The version moved to the stage's weights (no changes when it cannot be)."""
    return _stage_proposed(version.text, stage)


@lru_cache(maxsize=64)
def _stage_proposed(text: str, stage: str) -> Proposed:
    # Keyed by the text: the advice page offers the stages on every visit.
    try:
        return propose_stage(text, flatten(STAGE_BASE), flatten(STAGES[stage]), stage_reason(stage))
    except ReweighError:
        return Proposed(text, (), (), ())


def stage_offers(versions: Sequence[SchemeVersion]) -> list[tuple[SchemeVersion, str]]:
    """The stages each of these versions could move to: those that change something."""
    return [
        (version, stage)
        for version in versions
        for stage in STAGES
        if stage_proposed(version, stage).changes
    ]


def last_finished_cycle(code: str) -> tuple[Cycle | None, SchemeVersion | None]:
    """The latest launched cycle whose appraisals under the scheme are all closed, and the
    version of the scheme it used: what a proposal's what-if replays it on."""
    under = Appraisal.objects.filter(cycle=OuterRef("pk"), version__code=code)
    cycle = (
        Cycle.objects.exclude(launched_at=None)
        .filter(Exists(under))
        .exclude(Exists(under.exclude(state=State.CLOSED)))
        .order_by("-launched_at", "-pk")
        .first()
    )
    if cycle is None:
        return None, None
    used = (
        CycleScheme.objects.filter(cycle=cycle, version__code=code)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return cycle, used.version if used is not None else None


def indicator_choices() -> dict[str, tuple[Text, list[str]]]:
    """The indicators of the schemes in use, by id: a name and the schemes that have it
    (what a launch flag may name)."""
    found: dict[str, tuple[Text, list[str]]] = {}
    for version in schemes_in_use():
        try:
            scheme = version.scheme()
        except SchemeError:
            continue
        for indicator in scheme.indicators():
            name, codes = found.get(indicator.id, (indicator.name, []))
            found[indicator.id] = (name, [*codes, version.code])
    return dict(sorted(found.items()))
