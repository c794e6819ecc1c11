"""What pages, the API and the actions ask of the simulator: the schemes a cycle holds,
the changed text read as a scheme, a run (kept in the cache for the paging that follows
it), and the people of a run filtered and sorted.

A run is keyed by what it reads — the cycle, the scheme replaced, the changed text, the
reader's scope — and by the newest change to the cycle's appraisals, results and metrics,
so that a page of it never shows figures older than those. What the other sources add to a
running appraisal (an incident logged, a 360 closed) shows within ``KEPT_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Cycle, CycleScheme, Result
from kaohe.core import Scheme
from kaohe.data.models import MetricRun
from kaohe.insights import policy
from kaohe.org.policy import Access
from kaohe.schemes.findings import check_text
from kaohe.schemes.models import SchemeVersion

from .run import DOWN, SAME, UNSCORED, UP, Progress, Row, Run, simulate

KEPT_SECONDS = 5 * 60
MAX_TEXT = 1_000_000  # characters of a changed scheme
MOVEMENTS = (UP, DOWN, SAME, UNSCORED)
SORTS = ("number", "change", "steps", "pay")


class WhatIfRefused(Exception):
    """Refused for a reason the person can act on; worded for them."""


@dataclass(frozen=True)
class SchemeChoice:
    """One of a cycle's schemes: the version, the positions using it, its people."""

    version: SchemeVersion
    positions: list[str]
    people: int  # in the reader's scope

    @property
    def label(self) -> str:
        return f"{self.version.name} ({self.version})"


def schemes_of(access: Access, cycle: Cycle) -> list[SchemeChoice]:
    """The scheme versions the cycle's appraisals in scope are under, most people first."""
    counts = dict(
        policy.whatif_appraisals(access, cycle)
        .order_by()
        .values_list("version_id")
        .annotate(n=Count("pk"))
    )
    positions: dict[int, list[str]] = defaultdict(list)
    settings = CycleScheme.objects.filter(cycle=cycle, version_id__in=list(counts))
    for version_id, position in settings.order_by("position__name").values_list(
        "version_id", "position__name"
    ):
        positions[version_id].append(position)
    versions = SchemeVersion.objects.filter(pk__in=list(counts))
    found = [SchemeChoice(v, positions.get(v.pk, []), counts[v.pk]) for v in versions]
    return sorted(found, key=lambda c: (-c.people, c.version.code, c.version.number))


def find_scheme(
    access: Access,
    cycle: Cycle,
    *,
    version_id: int | None = None,
    code: str = "",
    position: str = "",
) -> SchemeVersion:
    """The cycle's scheme a what-if replaces: by version id, by code, or by the position
    whose people it appraises. Raises WhatIfRefused naming what did not match."""
    choices = schemes_of(access, cycle)
    if version_id is not None:
        found = [c for c in choices if c.version.pk == version_id]
    elif code:
        found = [c for c in choices if c.version.code == code]
    elif position:
        found = [c for c in choices if position in c.positions]
    else:
        raise WhatIfRefused(_("Choose the scheme to change: give its code or a position."))
    if not found:
        known = ", ".join(c.version.code for c in choices) or "—"
        raise WhatIfRefused(
            _("This cycle has no such scheme among your people; its schemes: %(known)s.")
            % {"known": known}
        )
    return found[0].version  # a code used in two versions: the one with most people


@dataclass(frozen=True)
class Changed:
    """The changed text, read: the scheme, or the linter's errors that stop the run."""

    text: str
    scheme: Scheme | None
    findings: list[dict[str, str]]

    @property
    def errors(self) -> list[dict[str, str]]:
        return [f for f in self.findings if f["severity"] == "error"]

    @property
    def usable(self) -> bool:
        return self.scheme is not None and not self.errors


def read_change(text: str, replaced: SchemeVersion) -> Changed:
    if not text.strip():
        raise WhatIfRefused(_("The changed scheme is empty: start from the cycle's scheme."))
    if len(text) > MAX_TEXT:
        raise WhatIfRefused(_("The changed scheme is too long (at most a million characters)."))
    scheme, findings = check_text(text, _("%(version)s, changed") % {"version": replaced})
    return Changed(text, scheme, findings)


def run_whatif(
    access: Access,
    cycle: Cycle,
    replaced: SchemeVersion,
    changed: Changed,
    progress: Progress | None = None,
) -> Run:
    """The run over the reader's scope, from the cache when nothing it reads has changed."""
    if not changed.usable:
        raise WhatIfRefused(_("The changed scheme has errors; correct them first."))
    assert changed.scheme is not None
    key = _key(access, cycle, replaced, changed.text)
    found = cache.get(key)
    if found is None:
        appraisals = policy.whatif_appraisals(access, cycle)
        found = simulate(appraisals, cycle, replaced, changed.scheme, progress)
        cache.set(key, found, KEPT_SECONDS)
    return found  # type: ignore[no-any-return]


def is_kept(access: Access, cycle: Cycle, replaced: SchemeVersion, changed: Changed) -> bool:
    """Whether this run is in the cache: asking for it again costs nothing."""
    return cache.get(_key(access, cycle, replaced, changed.text)) is not None


def _key(access: Access, cycle: Cycle, replaced: SchemeVersion, text: str) -> str:
    stamp = policy.whatif_appraisals(access, cycle).aggregate(at=Max("updated_at"))["at"]
    result = Result.objects.filter(appraisal__cycle=cycle).aggregate(n=Max("id"))["n"]
    metrics = MetricRun.objects.aggregate(n=Max("id"))["n"]
    scope = policy.whatif_scope(access)
    made = f"{cycle.pk}|{replaced.pk}|{scope}|{stamp}|{result}|{metrics}|{text}"
    return "whatif:" + hashlib.sha256(made.encode()).hexdigest()


# --- the people of a run ----------------------------------------------------------------


def chosen_rows(
    rows: Sequence[Row],
    *,
    movement: str = "",
    everyone: bool = False,
    search: str = "",
    sort: str = "number",
    descending: bool = False,
) -> list[Row]:
    """The rows a table shows: the changed scheme's people (or everyone), of one movement,
    matching a name or number, sorted."""
    found = [row for row in rows if everyone or row.changed]
    if movement in MOVEMENTS:
        found = [row for row in found if row.movement == movement]
    if search.strip():
        wanted = search.strip().lower()
        found = [r for r in found if wanted in r.number.lower() or wanted in r.name.lower()]
    key = _SORT_KEYS.get(sort, _SORT_KEYS["number"])
    # People without a figure to sort by go last, whichever the direction.
    having = [row for row in found if key(row) is not None]
    lacking = [row for row in found if key(row) is None]
    having.sort(key=lambda row: (key(row), row.number), reverse=descending)
    return having + lacking


_SORT_KEYS = {
    "number": lambda row: row.number,
    "change": lambda row: row.total_change,
    "steps": lambda row: row.steps,
    "pay": lambda row: row.pay_change,
}
