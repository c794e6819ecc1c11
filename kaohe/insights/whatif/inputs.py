"""What a what-if reads of a cycle's appraisals, in bulk: who each person is, their
current result, and the values their scoring reads.

The values are the ones ``kaohe.appraisals.inputs.gather`` gives an appraisal, read for
thousands at once: the frozen snapshot after the data cut-off; before it, the fed values as
they stand now — the period's stored metrics found in one query, the other providers (360
reviews, incidents, goals) asked person by person as scoring asks them — and then the
rater's ratings. Nothing here scores or writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT

from kaohe.appraisals.inputs import FROM_RATER, MetricProvider, Value, fed_providers
from kaohe.appraisals.models import Appraisal, Cycle, Result
from kaohe.core import Scheme
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.metrics import MetricsError, parse_period
from kaohe.org.models import Employee

# What a what-if reads of every appraisal: no model is made per row.
PERSON_FIELDS = (
    "pk", "employee_id", "employee__number", "employee__name", "employee__department_id",
    "employee__department__name", "version_id", "base_pay", "calibration",
)  # fmt: skip
# Below this many people the metrics are looked up by their subjects, not the whole run.
FEW_SUBJECTS = 500


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
    is several times faster than decoding each snapshot whole, with where each came from."""
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
        columns[f"source_{index}"] = KT(f"frozen_inputs__{name}__source")
    for index, name in enumerate(manual):
        columns[f"rating_{index}"] = KT(f"ratings__{name}")
    found = {}
    rows = scored.annotate(**columns).values_list("pk", *columns)
    for pk, is_frozen, *cells in rows.iterator(chunk_size=2_000):
        pairs, rated = cells[: 2 * len(names)], cells[2 * len(names) :]
        snapshot = {
            name: value if source == FROM_RATER else Decimal(value)
            for name, value, source in zip(names, pairs[::2], pairs[1::2], strict=True)
            if value is not None
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


@dataclass
class LiveValues:
    """The fed values of appraisals not yet frozen, as scoring reads them now."""

    cycle: Cycle
    _metrics: dict[tuple[str, str, str], float] | None = None
    _subjects: set[str] = field(default_factory=set)
    _metric_names: set[str] = field(default_factory=set)
    # The providers besides the metrics', asked person by person.
    _others: tuple[Any, ...] = field(
        default_factory=lambda: tuple(p for p in fed_providers() if type(p) is not MetricProvider)
    )

    def prepare(self, wanted: Iterable[tuple[Person, Scheme]]) -> None:
        """Say whose metrics will be read, under which schemes, before the first read."""
        for person, scheme in wanted:
            for spec in scheme.inputs.values():
                if spec.metric is not None:
                    self._subjects.add(spec.metric.subject(person.number))
                    self._metric_names.add(spec.metric.metric)

    def values(self, person: Person, scheme: Scheme) -> dict[str, Value]:
        """``fed_values`` of the person's appraisal under ``scheme``."""
        found = self._metric_values(person, scheme)
        if not any(spec.feed is not None for spec in scheme.inputs.values()):
            return found
        appraisal = _appraisal(person, self.cycle)
        for provider in self._others:
            for name, value in provider.live(appraisal, scheme).items():
                if name in scheme.inputs and not scheme.inputs[name].manual:
                    found.setdefault(name, value)
        return found

    def _metric_values(self, person: Person, scheme: Scheme) -> dict[str, Value]:
        """What ``MetricProvider`` gives, from the period's latest run read in one go;
        as ``metric_records`` does, an input whose metric key another input repeats
        leaves the value to the last of them."""
        stored = self._stored_metrics()
        wanted: dict[tuple[str, str, str], str] = {}
        for name, spec in scheme.inputs.items():
            if spec.metric is not None:
                key = spec.metric
                wanted[(key.subject_type, key.subject(person.number), key.metric)] = name
        found = {}
        for key, name in wanted.items():
            value = stored.get(key)
            if value is None:
                continue
            spec = scheme.inputs[name]
            assert spec.metric is not None
            found[name] = Value(
                spec.from_metric(Decimal(repr(value))),
                "metrics",
                {"metric": str(spec.metric), "scope": str(spec.metric.scope)},
            )
        return found

    def _stored_metrics(self) -> dict[tuple[str, str, str], float]:
        if self._metrics is not None:
            return self._metrics
        self._metrics = {}
        try:
            period = parse_period(self.cycle.period).name
        except MetricsError:
            return self._metrics
        run = MetricRun.objects.filter(period=period).first()
        if run is None or not self._metric_names:
            return self._metrics
        records = MetricRecord.objects.filter(
            run=run, metric__in=sorted(self._metric_names), value__isnull=False
        )
        if len(self._subjects) <= FEW_SUBJECTS:
            records = records.filter(subject__in=sorted(self._subjects))
        rows = records.values_list("subject_type", "subject", "metric", "value")
        for subject_type, subject, metric, value in rows.iterator(chunk_size=10_000):
            self._metrics[(subject_type, subject, metric)] = value
        return self._metrics


def _appraisal(person: Person, cycle: Cycle) -> Appraisal:
    """The appraisal as a provider reads it, made in memory from what was read in bulk."""
    employee = Employee(pk=person.employee_id, number=person.number, name=person.name)
    return Appraisal(
        pk=person.appraisal_id, cycle=cycle, employee=employee, version_id=person.version_id
    )


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
