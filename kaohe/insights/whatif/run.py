"""A what-if run: every appraisal of a cycle (in the reader's scope) scored again with one
of the cycle's schemes replaced by a changed text, beside its current figures.

"Old" is an appraisal's current result: its latest locked result when it has one, else its
provisional score (calibration applied). "New" is what the core scores from the same
stored inputs under the changed scheme, with the same calibration and any adjusted appeal's
points; the people of the cycle's other schemes keep their figures. The core does every
sum: ``score`` for the total, the scheme's grade scale for the moved total, grade and pay.
Nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.core import InputError, Scheme, ScoreResult, Text, score
from kaohe.i18n import current_lang
from kaohe.schemes.models import SchemeVersion

from .inputs import LiveValues, Locked, Person, Stored, locked_results, people, stored_inputs
from .inputs import values_of as read_values

UP, DOWN, SAME, UNSCORED = "up", "down", "same", "unscored"
Progress = Callable[[int, int], None]


class Figures(NamedTuple):
    """One side of a person's comparison."""

    total: Decimal | None  # None: no complete score
    grade: str
    pay: Decimal | None  # None without a base pay or a score

    @property
    def scored(self) -> bool:
        return self.total is not None


NONE = Figures(None, "", None)


class Row(NamedTuple):
    """One person of a run. Tuples rather than frozen dataclasses: a run makes one for
    each of 20,000 people, and tuples are several times cheaper to make."""

    appraisal_id: int
    number: str
    name: str
    department_id: int
    department: str
    scheme: str  # the version the person is appraised under: "cs-agent v1"
    changed: bool  # under the scheme the run changes
    locked: bool  # the old figures are a locked result (else the provisional score)
    frozen: bool | None  # for a rescored person: their values are the frozen snapshot
    base_pay: Decimal | None
    old: Figures
    new: Figures
    steps: int | None  # grades moved, up positive; None when either side has no grade
    problem: Text | None = None  # why the changed scheme gives no total

    @property
    def problem_words(self) -> str:
        """The problem in the reader's language (a template cannot call a ``Text``)."""
        return "" if self.problem is None else self.problem(current_lang())

    @property
    def movement(self) -> str:
        if self.steps is None:
            return UNSCORED
        return UP if self.steps > 0 else DOWN if self.steps < 0 else SAME

    @property
    def total_change(self) -> Decimal | None:
        if self.old.total is None or self.new.total is None:
            return None
        return self.new.total - self.old.total

    @property
    def pay_change(self) -> Decimal | None:
        if self.old.pay is None or self.new.pay is None:
            return None
        return self.new.pay - self.old.pay


@dataclass(frozen=True)
class Run:
    cycle_id: int
    replaced_id: int
    rows: list[Row]
    grades: list[str]  # the changed scheme's grades, best first
    old_grades: list[str]  # the replaced scheme's


@dataclass(frozen=True)
class _Under:
    """A scheme as a run reads it for each of its people: parsed once, named once."""

    label: str  # "cs-agent v1"
    scheme: Scheme
    ranks: dict[str, int]  # grade → its place on the scale, best first


def _under(label: str, scheme: Scheme) -> _Under:
    return _Under(label, scheme, {band.grade: i for i, band in enumerate(scheme.grades.bands)})


def simulate(
    appraisals: QuerySet[Appraisal],
    cycle: Cycle,
    replaced: SchemeVersion,
    changed: Scheme,
    progress: Progress | None = None,
) -> Run:
    """Score the cycle's ``appraisals`` again with ``changed`` in place of ``replaced``."""
    everyone = people(appraisals)
    locked = locked_results(appraisals)
    versions = {
        version.pk: _under(str(version), version.scheme())
        for version in SchemeVersion.objects.filter(pk__in={p.version_id for p in everyone})
    }
    new = _under(str(replaced), changed)
    stored = stored_inputs(
        appraisals, replaced.pk, [changed, *(v.scheme for v in versions.values())]
    )
    live = LiveValues(cycle)
    live.prepare(
        (person, scheme)
        for person in everyone
        if person.appraisal_id in stored and not stored[person.appraisal_id].frozen
        for scheme in _schemes_read(person, replaced, changed, versions, locked)
    )
    rows = []
    for index, person in enumerate(everyone):
        under = versions[person.version_id]
        changes = new if person.version_id == replaced.pk else None
        rows.append(
            _row(person, under, changes, locked.get(person.appraisal_id),
                 stored.get(person.appraisal_id), live)
        )  # fmt: skip
        if progress is not None and index % 1_000 == 999:
            progress(index + 1, len(everyone))
    return Run(
        cycle.pk,
        replaced.pk,
        rows,
        [band.grade for band in changed.grades.bands],
        [band.grade for band in replaced.scheme().grades.bands],
    )


def _schemes_read(
    person: Person,
    replaced: SchemeVersion,
    changed: Scheme,
    versions: dict[int, _Under],
    locked: dict[int, Locked],
) -> list[Scheme]:
    found = []
    if person.appraisal_id not in locked:
        found.append(versions[person.version_id].scheme)
    if person.version_id == replaced.pk:
        found.append(changed)
    return found


def _row(
    person: Person,
    under: _Under,
    changes: _Under | None,
    locked: Locked | None,
    stored: Stored | None,
    live: LiveValues,
) -> Row:
    """The person's figures now, and under ``changes`` when their scheme is the one changed."""
    if locked is not None:
        old = Figures(locked.total, locked.grade, locked.pay)
    else:
        assert stored is not None
        own = under.scheme
        old, _problem = outcome(own, read_values(stored, person, own, live), person)
    new, problem = old, None
    if changes is not None:
        assert stored is not None
        adjustments = locked.adjustments if locked is not None else ()
        values = read_values(stored, person, changes.scheme, live)
        new, problem = outcome(changes.scheme, values, person, adjustments)
    ranks = (changes or under).ranks
    return Row(
        person.appraisal_id,
        person.number,
        person.name,
        person.department_id,
        person.department,
        under.label,
        changes is not None,
        locked is not None,
        stored.frozen if changes is not None and stored is not None else None,
        person.base_pay,
        old,
        new,
        grade_steps(old.grade, new.grade, ranks),
        problem,
    )


def outcome(
    scheme: Scheme,
    values: dict[str, Decimal | str],
    person: Person,
    adjustments: Sequence[Decimal] = (),
) -> tuple[Figures, Text | None]:
    """The figures the scheme gives these values, as ``score_appraisal`` works them out
    (then moved by each adjusted appeal, as ``do_adjust`` moves a result); or why none."""
    try:
        result = score(scheme, values, person.base_pay)
    except InputError as error:
        return NONE, error.message
    if result.total is None:
        return NONE, _waiting(result)
    moved = scheme.grades.outcome(result.total, person.base_pay, person.calibration)
    for points in adjustments:
        moved = scheme.grades.outcome(moved.total, person.base_pay, points)
    return Figures(moved.total, moved.grade.grade, moved.pay), None


def _waiting(result: ScoreResult) -> Text:
    names = result.missing_inputs
    if not names:
        return Text("没有可计分的指标", "nothing to score")
    inputs = result.scheme.inputs
    return Text(
        "缺少数据：" + "、".join(inputs[n].label.zh for n in names),
        "values missing: " + ", ".join(inputs[n].label.en for n in names),
    )


def grade_steps(old: str, new: str, ranks: dict[str, int]) -> int | None:
    """How many grades ``new`` lies above ``old`` on a scale (below: negative); None when
    either is not on it."""
    before, after = ranks.get(old), ranks.get(new)
    if before is None or after is None:
        return None
    return before - after
