"""One person's figures on a dashboard: the provisional score, where it is heading by the
period's end, what would move it, and the results of past cycles.

The scoring is the appraisals' own (``score_appraisal``) and the core's; the projection
is ``kaohe.analytics.project_total``; the next tier is ``kaohe.core.next_step``. Nothing
here does arithmetic of its own beyond counting months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kaohe.analytics import elapsed_share, project_total
from kaohe.appraisals.inputs import gather
from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.scoring import Scored, score_appraisal
from kaohe.appraisals.workflow import State
from kaohe.core import Direction, InputError, InputKind, Scheme, next_step, score
from kaohe.data.services import metric_records
from kaohe.display import total as shown_total
from kaohe.i18n import current_lang
from kaohe.metrics import MetricsError, parse_period

LOCKED = (State.FINALISED, State.APPEAL, State.CLOSED)


@dataclass(frozen=True)
class Provisional:
    appraisal_id: int
    number: str
    name: str
    state: str
    state_label: str
    total: Decimal | None
    grade: str
    projected: Decimal | None
    projected_grade: str
    at_risk: bool  # heading for one of the two lowest grades by the period's end
    missing: int  # values the score still waits on
    secured: Decimal | None = None  # while values are missing: what the rest has earned

    @property
    def secured_shown(self) -> str:
        return shown_total(self.secured)

    @property
    def total_shown(self) -> str:
        return shown_total(self.total)

    @property
    def projected_shown(self) -> str:
        return shown_total(self.projected)


def months_of(period: str, months: Sequence[tuple[str, int]]) -> tuple[int, list[str]]:
    """How many months the period has, and those of its months with stored values."""
    try:
        found = parse_period(period)
    except MetricsError:
        return 1, []
    first = found.first_day.year * 12 + found.first_day.month
    last = found.last_day.year * 12 + found.last_day.month
    inside = [m for m, _run in months if first <= int(m[:4]) * 12 + int(m[5:7]) <= last]
    return last - first + 1, inside


def provisional(appraisal: Appraisal, months: Sequence[tuple[str, int]]) -> Provisional:
    scored = score_appraisal(appraisal)
    scheme = appraisal.version.scheme()
    total = grade = None
    if scored.outcome is not None:
        total, grade = scored.outcome.total, scored.outcome.grade.grade
    projected, projected_grade = _projection(appraisal, scheme, scored, months)
    lowest = {band.grade for band in scheme.grades.bands[-2:]}
    missing = 0 if scored.result is None else len(scored.result.missing_inputs)
    return Provisional(
        appraisal.pk,
        appraisal.employee.number,
        appraisal.employee.name,
        appraisal.state,
        str(appraisal.state_label()),
        total,
        grade or "",
        projected,
        projected_grade,
        projected_grade in lowest,
        missing,
        None if scored.result is None else scored.result.secured,
    )


def _projection(
    appraisal: Appraisal, scheme: Scheme, scored: Scored, months: Sequence[tuple[str, int]]
) -> tuple[Decimal | None, str]:
    """The period-end total: the period so far for the months gone, the latest month for
    the rest. A frozen or locked appraisal's period is over: its total stands."""
    if scored.outcome is None:
        return None, ""
    so_far = scored.outcome.total
    if appraisal.frozen or appraisal.current_state in LOCKED:
        return so_far, scored.outcome.grade.grade
    in_period, gone = months_of(appraisal.cycle.period, months)
    latest = _month_total(appraisal, scheme, gone[-1]) if gone and in_period > 1 else None
    found = project_total(so_far, latest, elapsed_share(len(gone), in_period))
    outcome = scheme.grades.outcome(found.total, None)
    return outcome.total, outcome.grade.grade


def _month_total(appraisal: Appraisal, scheme: Scheme, month: str) -> Decimal | None:
    """The total the latest month's own figures would score, the rest as they are."""
    values: dict[str, object] = {k: v.value for k, v in gather(appraisal, scheme).items()}
    for name, record in metric_records(scheme, appraisal.employee.number, month).items():
        assert record.value is not None
        values[name] = scheme.inputs[name].from_metric(Decimal(repr(record.value)))
    try:
        result = score(scheme, values)
    except InputError:
        return None
    return None if result.total is None else result.total + appraisal.calibration


# --- what would move my score ------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    id: str  # the indicator's
    indicator: str
    value: str  # mine now, rounded for people
    needed: str  # "≥ 95%" / "< 4 h"
    change: str  # "2" more/less, in the input's unit
    more: bool  # more of it (else less)
    percent: bool  # the change is in percentage points
    points_now: str
    points_then: str


def moves(scored: Scored) -> list[Move]:
    """Per indicator with a threshold ahead, the nearest value that earns more points,
    the smallest change first."""
    result = scored.result
    if result is None:
        return []
    lang = current_lang()
    found = []
    for indicator_result in result.indicators:
        step = next_step(indicator_result.indicator, indicator_result.values)
        if step is None:
            continue
        spec = result.scheme.inputs[step.input]
        limits = (step.needed.value,)
        higher = step.direction is Direction.HIGHER
        sign = ("≥ " if step.needed.inclusive else "> ") if higher else (
            "≤ " if step.needed.inclusive else "< ")  # fmt: skip
        found.append(
            (
                step.change,
                Move(
                    indicator_result.indicator.id,
                    indicator_result.indicator.name(lang),
                    spec.show(step.value, limits)(lang),
                    sign + spec.show(step.needed.value)(lang),
                    spec.show(step.change)(lang).removesuffix("%"),
                    higher,
                    spec.kind is InputKind.PERCENT,
                    _points(step.points_now),
                    _points(step.points_then),
                ),
            )
        )
    found.sort(key=lambda pair: pair[0])
    return [move for _change, move in found]


def _points(value: Decimal) -> str:
    from kaohe.display import points

    return points(value)


# --- history -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Past:
    cycle: str
    period: str
    total: str
    grade: str
    total_value: float


def history(appraisals: Sequence[Appraisal]) -> list[Past]:
    """The latest locked result of each of these appraisals, oldest cycle first."""
    locked = [a for a in appraisals if a.current_state in LOCKED]
    latest: dict[int, Result] = {}
    for result in Result.objects.filter(appraisal__in=locked).order_by("appraisal_id", "number"):
        latest[result.appraisal_id] = result
    ordered = sorted(locked, key=lambda a: (a.cycle.period, a.cycle.created_at))
    return [
        Past(
            a.cycle.name,
            a.cycle.period,
            shown_total(latest[a.pk].total),
            latest[a.pk].grade,
            float(latest[a.pk].total),
        )
        for a in ordered
        if a.pk in latest
    ]
