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

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from kaohe.core import FeedSource, Scheme
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


def fed_providers() -> tuple[InputProvider, ...]:
    """The providers of fed values, in order of precedence (the metrics first): for a
    reader of many appraisals that finds the metrics in bulk and asks the others."""
    return tuple(_FED)
