"""Where an appraisal's values come from: a list of input providers.

Each provider answers, for the inputs it knows, a value and where it came from. The metric
provider reads the period's stored metrics (the person's own, their queues' or the whole
organisation's, as the scheme's metric key says) in the input's unit; the rating provider
reads what the rater entered. New sources — 360 aggregates, goals, incidents — are new
providers in ``PROVIDERS``; the workflow and the scoring never change for them.

At the data cut-off (the manager's review) the metric values are frozen into the appraisal:
from then on the metric provider answers from that snapshot, and later imports change
nothing until HR refreshes the data with an audited action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from kaohe.core import Scheme
from kaohe.data.services import metric_records
from kaohe.metrics import MetricsError, parse_period

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
        return cls(
            Decimal(value) if data["source"] == FROM_METRICS else value, data["source"], rest
        )


class InputProvider(Protocol):
    def provide(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        """Input name → value, for the inputs this provider has a value for."""


class MetricProvider:
    """Metric-fed inputs: the frozen snapshot after the cut-off, the stored metrics before."""

    def provide(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        if appraisal.frozen:
            return {
                name: Value.from_data(data)
                for name, data in (appraisal.frozen_inputs or {}).items()
                if name in scheme.inputs
            }
        return self.live(appraisal, scheme)

    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        """The values the stored metrics give now, whatever the cut-off."""
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

    def provide(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        return {
            name: Value(str(value), FROM_RATER)
            for name, value in (appraisal.ratings or {}).items()
            if name in scheme.inputs and not scheme.inputs[name].metric and value not in (None, "")
        }


PROVIDERS: tuple[InputProvider, ...] = (MetricProvider(), RatingProvider())


def gather(appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
    """Every value the providers have; an earlier provider wins for an input."""
    found: dict[str, Value] = {}
    for provider in PROVIDERS:
        for name, value in provider.provide(appraisal, scheme).items():
            found.setdefault(name, value)
    return found


def freeze(appraisal: Appraisal, scheme: Scheme) -> dict[str, dict[str, Any]]:
    """The metric values as they stand now, kept on the appraisal as its data cut-off."""
    return {
        name: value.as_data() for name, value in MetricProvider().live(appraisal, scheme).items()
    }
