"""kaohe's scoring core: schemes, scoring rules, grades and pay, the linter, templates.

Pure Python with no Django and no I/O beyond reading scheme files. Every number is a
``Decimal``; the total is rounded half-up to two decimals and graded on the rounded value.

    scheme = load_scheme("cs-director")
    result = score(scheme, {"csat": 92, ...}, base_pay=Decimal(12000))
    result.total, result.grade.grade, result.pay
    result.indicator("customer_satisfaction").explanation()("en")

Errors derive from ``KaoheError`` and say themselves in both languages:
``error.message("zh")``; ``str(error)`` is the English.
"""

from ._errors import InputError, KaoheError, SchemeError, SchemeFileError, UnknownScheme
from ._feed import FEED_KINDS, INCIDENT_KINDS, REVIEW_GROUPS, Feed, FeedError, FeedSource
from ._gaps import NextStep, better_direction, full_marks_at, next_step
from ._grades import DEFAULT_GRADES, GradeBand, GradeScale, Outcome
from ._inputs import InputKind, InputSpec, parse_values
from ._intervals import Bound, Interval
from ._lint import Finding, Severity, has_errors, lint
from ._loader import builtin_names, flatten, load_file, load_scheme, load_text
from ._metric_key import MetricKey, MetricKeyError, MetricScope
from ._rules import Check, Deductions, Level, Linear, PerEvent, RatingLevels, Rule, TargetRange
from ._scheme import Dimension, Indicator, MissingPolicy, Scheme, Smart
from ._scoring import DimensionResult, IndicatorResult, IndicatorStatus, ScoreResult, score
from ._serialise import result_data
from ._text import LANGS, Lang, Text, fmt, fmt_near, round_half_up
from ._tiers import Direction, GapPolicy, Tier, TierMatch, Tiers
from ._units import Duration, convert
from ._yamledit import edit_yaml

__all__ = [
    "DEFAULT_GRADES",
    "FEED_KINDS",
    "INCIDENT_KINDS",
    "LANGS",
    "REVIEW_GROUPS",
    "Bound",
    "Check",
    "Deductions",
    "Dimension",
    "DimensionResult",
    "Direction",
    "Duration",
    "Feed",
    "FeedError",
    "FeedSource",
    "Finding",
    "GapPolicy",
    "GradeBand",
    "GradeScale",
    "Indicator",
    "IndicatorResult",
    "IndicatorStatus",
    "InputError",
    "InputKind",
    "InputSpec",
    "Interval",
    "KaoheError",
    "Lang",
    "Level",
    "Linear",
    "MetricKey",
    "MetricKeyError",
    "MetricScope",
    "MissingPolicy",
    "NextStep",
    "Outcome",
    "PerEvent",
    "RatingLevels",
    "Rule",
    "Scheme",
    "SchemeError",
    "SchemeFileError",
    "ScoreResult",
    "Severity",
    "Smart",
    "TargetRange",
    "Text",
    "Tier",
    "TierMatch",
    "Tiers",
    "UnknownScheme",
    "better_direction",
    "builtin_names",
    "convert",
    "edit_yaml",
    "flatten",
    "fmt",
    "fmt_near",
    "full_marks_at",
    "has_errors",
    "lint",
    "load_file",
    "load_scheme",
    "load_text",
    "next_step",
    "parse_values",
    "result_data",
    "round_half_up",
    "score",
]
