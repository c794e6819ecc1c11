"""What a what-if reads of a cycle's appraisals, in bulk: who each person is, their
current result, and the values their scoring reads.

The values are the ones ``kaohe.appraisals.inputs.gather`` gives an appraisal, read for
thousands at once with a fixed number of queries: the frozen snapshot after the data
cut-off; before it, the fed values as they stand now (``fed_values_many``: the period's
stored metrics, the incidents, 360 reviews and goals, each provider asked for everyone at
once); then the rater's ratings. Nothing here scores or writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT

from kaohe.appraisals.inputs import Value, fed_values_many
from kaohe.appraisals.models import Appraisal, Cycle, Result
from kaohe.core import Scheme
from kaohe.org.models import Employee

# What a what-if reads of every appraisal: no model is made per row.
PERSON_FIELDS = (
    "pk", "employee_id", "employee__number", "employee__name", "employee__department_id",
    "employee__department__name", "version_id", "base_pay", "calibration",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    appraisal_id: int
    employee_id: int
    number: str
    name: str
    department_id: int
    department: str
    version_id: int
    base_pay: Decimal | None
    calibration: Decimal


@dataclass(frozen=True, slots=True)
class Locked:
    """The latest locked result, and the points each adjusted appeal moved it by since
    the first (oldest first)."""

    number: int
    total: Decimal
    grade: str
    pay: Decimal | None
    adjustments: tuple[Decimal, ...] = ()


@dataclass(frozen=True, slots=True)
class Stored:
    """What an appraisal keeps that its scoring reads."""

    frozen: bool  # past the data cut-off: the fed values are the snapshot
    snapshot: Mapping[str, Decimal | str]  # the snapshot's values, as ``Value.from_data``
    ratings: Mapping[str, str]  # the rater's, as ``RatingProvider`` reads them


def people(appraisals: QuerySet[Appraisal]) -> list[Person]:
    rows = appraisals.order_by("employee__number").values_list(*PERSON_FIELDS)
    return [Person(*row) for row in rows.iterator(chunk_size=5_000)]


def locked_results(appraisals: QuerySet[Appraisal]) -> dict[int, Locked]:
    """Appraisal id → its latest locked result; the adjustments are read from the traces
    of the later versions only, which an adjusted appeal alone makes."""
    results = Result.objects.filter(appraisal__in=appraisals.values("pk"))
    latest: dict[int, tuple[int, Decimal, str, Decimal | None]] = {}
    rows = results.order_by("appraisal_id", "number").values_list(
        "appraisal_id", "number", "total", "grade", "pay"
    )
    for appraisal_id, *kept in rows.iterator(chunk_size=5_000):
        latest[appraisal_id] = tuple(kept)  # type: ignore[assignment]  # the highest last
    moved: dict[int, list[Decimal]] = {}
    later = results.filter(number__gt=1).order_by("appraisal_id", "number")
    for appraisal_id, points in later.values_list("appraisal_id", "trace__adjustment"):
        moved.setdefault(appraisal_id, []).append(Decimal(str(points or 0)))
    return {pk: Locked(*kept, adjustments=tuple(moved.get(pk, ()))) for pk, kept in latest.items()}


def stored_inputs(
    appraisals: QuerySet[Appraisal], version_id: int, schemes: Iterable[Scheme]
) -> dict[int, Stored]:
    """The stored inputs of the appraisals a run scores — those under the changed scheme,
    and those without a locked result (their current score is the provisional one) — for
    the inputs of ``schemes``. The database takes the values out of the snapshots, which
    is several times faster than decoding each snapshot whole. A snapshot holds fed values
    only (``freeze``), never a rater's, so each is a ``Decimal`` as ``Value.from_data``
    makes it."""
    without_result = ~Exists(Result.objects.filter(appraisal=OuterRef("pk")))
    scored = appraisals.filter(version_id=version_id) | appraisals.filter(without_result)
    scored = scored.order_by()
    frozen = ExpressionWrapper(Q(data_cutoff__isnull=False), output_field=BooleanField())
    names = sorted({name for scheme in schemes for name in scheme.inputs})
    manual = sorted({n for scheme in schemes for n, spec in scheme.inputs.items() if spec.manual})
    if any("__" in name for name in names):  # not a path the database can follow
        return _decoded(scored.annotate(is_frozen=frozen))
    columns: dict[str, Any] = {"is_frozen": frozen}
    for index, name in enumerate(names):
        columns[f"value_{index}"] = KT(f"frozen_inputs__{name}__value")
    for index, name in enumerate(manual):
        columns[f"rating_{index}"] = KT(f"ratings__{name}")
    found = {}
    rows = scored.annotate(**columns).values_list("pk", *columns)
    for pk, is_frozen, *cells in rows.iterator(chunk_size=2_000):
        values, rated = cells[: len(names)], cells[len(names) :]
        snapshot = {
            name: Decimal(v) for name, v in zip(names, values, strict=True) if v is not None
        }
        ratings = {n: str(r) for n, r in zip(manual, rated, strict=True) if r not in (None, "")}
        found[pk] = Stored(bool(is_frozen), snapshot, ratings)
    return found


def _decoded(scored: QuerySet[Appraisal]) -> dict[int, Stored]:
    """The same, each snapshot decoded whole."""
    found = {}
    rows = scored.values_list("pk", "is_frozen", "frozen_inputs", "ratings")
    for pk, is_frozen, snapshot, ratings in rows.iterator(chunk_size=2_000):
        values = {name: Value.from_data(data).value for name, data in (snapshot or {}).items()}
        rated = {n: str(v) for n, v in (ratings or {}).items() if v not in (None, "")}
        found[pk] = Stored(bool(is_frozen), values, rated)
    return found


class LiveValues:
    """The fed values of appraisals not yet frozen, as scoring reads them now: read for
    all of them at once, before the first is asked for. Fed values depend on a scheme's
    inputs alone, so schemes with the same inputs (the changed one and the one it
    replaces, unless the change was to the inputs) are read once."""

    def __init__(self, cycle: Cycle) -> None:
        self.cycle = cycle
        self._found: dict[tuple[int, int], dict[str, Value]] = {}
        self._appraisals: dict[int, Appraisal] = {}
        self._groups: dict[Any, int] = {}  # a scheme's inputs → its group's number
        self._keys: dict[int, int] = {}  # id(scheme) → its group's number

    def prepare(self, wanted: Iterable[tuple[Person, Scheme]]) -> None:
        """Read the values of these people under these schemes."""
        by_inputs: dict[int, tuple[Scheme, dict[int, Person]]] = {}
        for person, scheme in wanted:
            key = self._key(scheme)
            by_inputs.setdefault(key, (scheme, {}))[1][person.appraisal_id] = person
        for key, (scheme, persons) in by_inputs.items():
            appraisals = [self._appraisal(person) for person in persons.values()]
            for pk, values in fed_values_many(appraisals, scheme).items():
                self._found[(key, pk)] = values

    def values(self, person: Person, scheme: Scheme) -> dict[str, Value]:
        """``fed_values`` of the person's appraisal under ``scheme``, as prepared."""
        return self._found[(self._key(scheme), person.appraisal_id)]

    def _key(self, scheme: Scheme) -> int:
        """The group of schemes with the same inputs (the same scheme alone if they cannot
        be compared); the scheme objects live as long as the run."""
        found = self._keys.get(id(scheme))
        if found is None:
            items: Any = tuple(scheme.inputs.items())
            try:
                hash(items)
            except TypeError:
                items = id(scheme)
            found = self._keys[id(scheme)] = self._groups.setdefault(items, len(self._groups))
        return found

    def _appraisal(self, person: Person) -> Appraisal:
        """The appraisal as a provider reads it, made in memory from what was read."""
        found = self._appraisals.get(person.appraisal_id)
        if found is None:
            employee = Employee(pk=person.employee_id, number=person.number, name=person.name)
            found = Appraisal(
                pk=person.appraisal_id, cycle=self.cycle, employee=employee,
                version_id=person.version_id,
            )  # fmt: skip
            self._appraisals[person.appraisal_id] = found
        return found


def values_of(
    stored: Stored, person: Person, scheme: Scheme, live: LiveValues
) -> dict[str, Decimal | str]:
    """The raw values the person's scoring under ``scheme`` reads: ``gather``'s — the
    snapshot once frozen (the live fed values before), then the rater's ratings of the
    scheme's manual inputs."""
    if stored.frozen:
        found = {k: v for k, v in stored.snapshot.items() if k in scheme.inputs}
    else:
        found = {name: value.value for name, value in live.values(person, scheme).items()}
    for name, value in stored.ratings.items():
        spec = scheme.inputs.get(name)
        if spec is not None and spec.manual:
            found.setdefault(name, value)
    return found
