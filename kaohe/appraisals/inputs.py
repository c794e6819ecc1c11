"""Where an appraisal's values come from: input providers.

Each provider answers, for the inputs it feeds, a value and where it came from. The metric
provider reads the period's stored metrics (the person's own, their queues' or the whole
organisation's, as the scheme's metric key says) in the input's unit; the apps behind a
scheme's ``feed:`` (360 reviews, the incident log, goals) register a provider each with
``register`` from their ``AppConfig.ready``; the rating provider reads what the rater
entered. The workflow and the scoring never change for a new source.

At the data cut-off (the manager's review) every fed value is frozen into the appraisal:
from then on the appraisal answers from that snapshot, and later imports, incidents or
reviews change nothing until HR refreshes the data with an audited action.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from kaohe.core import FeedSource, Scheme
from kaohe.data.models import MetricRecord, MetricRun
from kaohe.data.services import metric_records
from kaohe.metrics import MetricsError, Period, parse_period

from .models import Appraisal

FROM_METRICS, FROM_RATER = "metrics", "rater"


@dataclass(frozen=True)
class Value:
    value: Decimal | str  # metric values as exact decimals, ratings as entered
    source: str  # FROM_METRICS or FROM_RATER, or a later provider's name
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {"value": str(self.value), "source": self.source, **self.provenance}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Value:
        rest = {k: v for k, v in data.items() if k not in ("value", "source")}
        value = data["value"]
        return cls(value if data["source"] == FROM_RATER else Decimal(value), data["source"], rest)


def fed_by(scheme: Scheme, source: FeedSource) -> dict[str, tuple[str, ...]]:
    """The scheme's inputs fed by ``source``, with the groups or kinds each reads."""
    return {
        name: spec.feed.keys
        for name, spec in scheme.inputs.items()
        if spec.feed is not None and spec.feed.source is source
    }


def cycle_period(appraisal: Appraisal) -> Period | None:
    """The appraisal's cycle's period, or None for a period the metrics cannot read."""
    try:
        return parse_period(appraisal.cycle.period)
    except MetricsError:
        return None


class InputProvider(Protocol):
    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        """Input name → value now, for the inputs this provider feeds and has a value for."""


class MetricProvider:
    """Metric-fed inputs, from the stored metrics of the cycle's period."""

    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        try:
            period = parse_period(appraisal.cycle.period).name
        except MetricsError:
            return {}
        found = {}
        for name, record in metric_records(scheme, appraisal.employee.number, period).items():
            spec = scheme.inputs[name]
            assert spec.metric is not None and record.value is not None
            found[name] = Value(
                spec.from_metric(Decimal(repr(record.value))),
                FROM_METRICS,
                {
                    "metric": str(spec.metric),
                    "scope": str(spec.metric.scope),
                    "numerator": record.numerator,
                    "denominator": record.denominator,
                    "run": record.run_id,
                    "computed_at": record.run.computed_at.isoformat(),
                },
            )
        return found


class RatingProvider:
    """Manual inputs: the rater's ratings from the review."""

    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        return {
            name: Value(str(value), FROM_RATER)
            for name, value in (appraisal.ratings or {}).items()
            if name in scheme.inputs and scheme.inputs[name].manual and value not in (None, "")
        }


# The providers of fed values, in order of precedence; the rating provider comes last.
_FED: list[InputProvider] = [MetricProvider()]


def register(provider: InputProvider) -> None:
    """Add a provider of fed values (an app's, from its ``ready``); registering the same
    kind of provider twice keeps one."""
    if not any(type(known) is type(provider) for known in _FED):
        _FED.append(provider)


def fed_values(appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
    """Every fed (not manual) value as it stands now, whatever the cut-off."""
    found: dict[str, Value] = {}
    for provider in _FED:
        for name, value in provider.live(appraisal, scheme).items():
            if name in scheme.inputs and not scheme.inputs[name].manual:
                found.setdefault(name, value)
    return found


def gather(appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
    """Every value the appraisal has: the frozen snapshot after the cut-off (the live
    values before it), then the rater's ratings."""
    if appraisal.frozen:
        found = {
            name: Value.from_data(data)
            for name, data in (appraisal.frozen_inputs or {}).items()
            if name in scheme.inputs
        }
    else:
        found = fed_values(appraisal, scheme)
    for name, value in RatingProvider().live(appraisal, scheme).items():
        found.setdefault(name, value)
    return found


def freeze(appraisal: Appraisal, scheme: Scheme) -> dict[str, dict[str, Any]]:
    """The fed values as they stand now, kept on the appraisal as its data cut-off."""
    return {name: value.as_data() for name, value in fed_values(appraisal, scheme).items()}


# --- many appraisals at once --------------------------------------------------------------
# A provider may also answer for many appraisals under one scheme at once (``live_many``,
# appraisal id → what ``live`` gives it), with a few queries in all rather than a few for
# each: what the what-if simulator reads for a running cycle of 20,000. A provider without
# it is asked appraisal by appraisal.

CHUNK = 900  # ids per query: below SQLite's limit on a query's parameters


def chunks[T](items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def by_period(appraisals: Iterable[Appraisal]) -> dict[Period, list[Appraisal]]:
    """The appraisals grouped by their cycle's period; those of no readable period left out."""
    found: dict[Period, list[Appraisal]] = {}
    for appraisal in appraisals:
        period = cycle_period(appraisal)
        if period is not None:
            found.setdefault(period, []).append(appraisal)
    return found


def _metrics_many(scheme: Scheme, appraisals: Sequence[Appraisal]) -> dict[int, dict[str, Value]]:
    """``MetricProvider.live`` for many: per period, its latest computation's values of the
    scheme's metrics, read as plain rows a chunk of people at a time."""
    keys = {spec.metric for spec in scheme.inputs.values() if spec.metric is not None}
    found: dict[int, dict[str, Value]] = {}
    if not keys:
        return found
    metrics = sorted({key.metric for key in keys})
    for period, group in by_period(appraisals).items():
        run = MetricRun.objects.filter(period=period.name).first()
        if run is None:
            continue
        stored: dict[tuple[str, str, str], tuple[float, float | None, float | None]] = {}
        subjects = sorted({key.subject(a.employee.number) for a in group for key in keys})
        for chosen in chunks(subjects):
            rows = MetricRecord.objects.filter(
                run=run, metric__in=metrics, subject__in=chosen, value__isnull=False
            ).values_list("subject_type", "subject", "metric", "value", "numerator", "denominator")
            for subject_type, subject, metric, *figures in rows:
                stored[(subject_type, subject, metric)] = tuple(figures)  # type: ignore[assignment]
        made = run.computed_at.isoformat()
        for appraisal in group:
            found[appraisal.pk] = _metric_values(
                scheme, appraisal.employee.number, stored, run.pk, made
            )
    return found


def _metric_values(
    scheme: Scheme,
    number: str,
    stored: Mapping[tuple[str, str, str], tuple[float, float | None, float | None]],
    run: int,
    computed_at: str,
) -> dict[str, Value]:
    """What ``metric_records`` and ``MetricProvider.live`` make of the stored values: an
    input whose metric key another input repeats leaves the value to the last of them."""
    wanted: dict[tuple[str, str, str], str] = {}
    for name, spec in scheme.inputs.items():
        if spec.metric is not None:
            key = spec.metric
            wanted[(key.subject_type, key.subject(number), key.metric)] = name
    found = {}
    for key, name in wanted.items():
        figures = stored.get(key)
        if figures is None:
            continue
        value, numerator, denominator = figures
        spec = scheme.inputs[name]
        assert spec.metric is not None
        found[name] = Value(
            spec.from_metric(Decimal(repr(value))),
            FROM_METRICS,
            {
                "metric": str(spec.metric),
                "scope": str(spec.metric.scope),
                "numerator": numerator,
                "denominator": denominator,
                "run": run,
                "computed_at": computed_at,
            },
        )
    return found


def fed_values_many(appraisals: Sequence[Appraisal], scheme: Scheme) -> dict[int, dict[str, Value]]:
    """``fed_values`` of each of these appraisals (their cycle and employee loaded) under
    ``scheme``, the providers asked for all of them at once where they can be."""
    found: dict[int, dict[str, Value]] = {appraisal.pk: {} for appraisal in appraisals}
    for provider in _FED:
        many = getattr(provider, "live_many", None)
        if type(provider) is MetricProvider:
            answers = _metrics_many(scheme, appraisals)
        elif many is not None:
            answers = many(appraisals, scheme)
        else:
            answers = {a.pk: provider.live(a, scheme) for a in appraisals}
        for pk, values in answers.items():
            for name, value in values.items():
                if name in scheme.inputs and not scheme.inputs[name].manual:
                    found[pk].setdefault(name, value)
    return found
