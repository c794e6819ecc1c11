"""What a calibration session shows: everyone side by side, the distribution against the
guideline, the 9-box grid and the rater flags.

Scores come from the appraisals' own scoring (provisional, with the calibration applied;
the locked result once there is one); the statistics from ``kaohe.analytics``. Nothing
here writes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from kaohe.analytics import (
    BiasReport,
    FlagKind,
    GuidelineCheck,
    RatedAppraisal,
    rater_bias,
    self_gap,
)
from kaohe.appraisals.models import Appraisal, Cycle, Transition
from kaohe.appraisals.scoring import score_appraisal
from kaohe.appraisals.workflow import STATE_LABELS, State
from kaohe.core import DEFAULT_GRADES, InputKind, Scheme, ScoreResult, fmt
from kaohe.i18n import current_lang
from kaohe.schemes.models import SchemeVersion

from .models import Session

LEVEL_SCALE = 5
# The steps that change what the rater checks read: the ratings, the frozen data.
RATING_STEPS = ("submit_review", "refresh_data")
BIAS_KEPT_SECONDS = 24 * 3600
FLAG_LABELS = {
    FlagKind.LENIENT: _("rater lenient"),
    FlagKind.SEVERE: _("rater severe"),
    FlagKind.CENTRAL: _("rater central"),
    FlagKind.HALO: _("rater halo?"),
    FlagKind.SELF_GAP: _("self gap"),
}
MEMBER_RELATIONS = ("employee", "employee__department", "rater", "version", "cycle")
# What the board never reads of an appraisal.
UNREAD_FIELDS = ("targets", "self_comment", "review_comment", "acknowledgement_comment")
ROWS_KEPT_SECONDS = 3600


@dataclass
class Row:
    """One person as the session shows them: plain figures, so that a session's rows can
    be kept in the cache and read back in a moment."""

    appraisal_id: int
    number: str
    name: str
    department: str
    rater_id: int | None
    manager: str
    state: str
    calibration: Decimal
    potential: int | None
    version_id: int
    total: Decimal | None
    grade: str
    dimensions: dict[str, Decimal | None]
    kpi: float | None
    gap: float | None
    flags: list[FlagKind] = field(default_factory=list)
    dimension_scores: list[Decimal | None] = field(default_factory=list)  # in header order

    @property
    def movable(self) -> bool:
        return self.state == State.CALIBRATION

    @property
    def state_label(self) -> Any:
        return STATE_LABELS[State(self.state)]

    @property
    def flag_labels(self) -> list[Any]:
        return [FLAG_LABELS[kind] for kind in self.flags]


@dataclass
class Board:
    session: Session
    rows: list[Row]
    grades: list[str]
    dimensions: list[tuple[str, str]]  # (id, label)
    counts: dict[str, int]
    check: GuidelineCheck | None
    report: BiasReport
    flag_texts: list[tuple[FlagKind, str, str]]  # (kind, rater, the sentence)
    nine_box: list[list[list[Row]]]  # potential 3 → 1, performance low → high
    without_potential: list[Row]

    @property
    def graded(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Figures:
    """One appraisal's figures as the session reads them."""

    total: Decimal | None
    grade: str
    dimensions: dict[str, Decimal | None]
    rated: RatedAppraisal | None


def figures_of(appraisal: Appraisal, *, locked: bool = True) -> Figures:
    """The appraisal's figures; with ``locked``, a locked result's total and grade."""
    scheme = appraisal.version.scheme()
    scored = score_appraisal(appraisal)
    result = appraisal.latest_result() if locked and _has_result(appraisal) else None
    if result is not None:
        total, grade = result.total, result.grade
    elif scored.outcome is not None:
        total, grade = scored.outcome.total, scored.outcome.grade.grade
    else:
        total, grade = None, ""
    dimensions: dict[str, Decimal | None] = {}
    if scored.result is not None and total is not None:  # no partial figures beside a total
        dimensions = {d.dimension.id: d.score for d in scored.result.dimensions}
    return Figures(total, grade, dimensions, _rated(appraisal, scheme, scored.result))


def _has_result(appraisal: Appraisal) -> bool:
    return appraisal.current_state in {State.FINALISED, State.APPEAL, State.CLOSED}


def _rated(
    appraisal: Appraisal, scheme: Scheme, result: ScoreResult | None
) -> RatedAppraisal | None:
    levels = [
        name for name, spec in scheme.inputs.items() if spec.kind is InputKind.LEVEL and spec.manual
    ]
    ratings = _levels(appraisal.ratings, levels)
    if not ratings or appraisal.rater_id is None:
        return None
    return RatedAppraisal(
        appraisal.pk,
        appraisal.rater_id,
        ratings,
        kpi=_kpi_attainment(scheme, result),
        self_ratings=_levels(appraisal.self_ratings, levels),
    )


def _levels(given: dict[str, Any] | None, names: Iterable[str]) -> dict[str, int]:
    found = {}
    for name in names:
        value = (given or {}).get(name)
        try:
            found[name] = int(Decimal(str(value)))
        except (ArithmeticError, ValueError, TypeError):
            continue
    return found


def _kpi_attainment(scheme: Scheme, result: ScoreResult | None) -> float | None:
    """Points ÷ possible points of the indicators fed by data alone."""
    if result is None:
        return None
    earned = possible = Decimal(0)
    for indicator in result.indicators:
        inputs = [scheme.inputs[name] for name in indicator.values]
        if not inputs or not all(spec.metric for spec in inputs) or not indicator.counted:
            continue
        assert indicator.points is not None
        earned += indicator.points
        possible += indicator.indicator.max_points
    return float(earned / possible) if possible else None


def cycle_bias(cycle: Cycle, known: dict[int, Figures] | None = None) -> BiasReport:
    """The rater checks over the whole cycle, whose fit every session shares. They read
    only ratings and KPI results, which change only with a review or a data refresh, so
    they are kept until one of those happens: a calibration move does not touch them."""
    key = f"calibration-bias:{cycle.pk}:{_ratings_fingerprint(cycle)}"
    found = cache.get(key)
    if found is None:
        found = _cycle_bias(cycle, known or {})
        cache.set(key, found, BIAS_KEPT_SECONDS)
    return found  # type: ignore[no-any-return]


def _ratings_fingerprint(cycle: Cycle) -> str:
    steps = Transition.objects.filter(appraisal__cycle=cycle, action__in=RATING_STEPS)
    seen = steps.aggregate(last=Max("id"), count=Count("id"))
    rated = Appraisal.objects.filter(cycle=cycle).exclude(ratings={}).count()
    return f"{seen['last']}-{seen['count']}-{rated}"


def _cycle_bias(cycle: Cycle, known: dict[int, Figures]) -> BiasReport:
    rated, names = [], {}
    appraisals = (
        Appraisal.objects.filter(cycle=cycle, rater__isnull=False)
        .exclude(ratings={})
        .select_related("version", "rater", "cycle", "employee")
    )
    for appraisal in appraisals:
        figures = known.get(appraisal.pk) or figures_of(appraisal, locked=False)
        if figures.rated is not None:
            rated.append(figures.rated)
            assert appraisal.rater is not None
            names[appraisal.rater_id] = appraisal.rater.name
    return rater_bias(rated, levels=LEVEL_SCALE, names=names)


def members_of(session: Session) -> list[Appraisal]:
    return list(
        Appraisal.objects.filter(pk__in=session.members.values("appraisal_id"))
        .select_related(*MEMBER_RELATIONS)
        .defer(*UNREAD_FIELDS)
        .order_by("employee__number")
    )


def board(session: Session, *, sort: str = "", descending: bool = False) -> Board:
    rows, known = _rows(session)
    report = cycle_bias(session.cycle, known)
    flagged = {rater: [flag.kind for flag in figures.flags] for rater, figures in
               report.raters.items()}  # fmt: skip
    versions = {row.version_id for row in rows}
    schemes = [v.scheme() for v in SchemeVersion.objects.filter(pk__in=versions)]
    headers = _dimension_headers(schemes, current_lang())
    for row in rows:
        row.flags = flagged.get(row.rater_id, [])
        row.dimension_scores = [row.dimensions.get(key) for key, _label in headers]
    scale = schemes[0].grades if schemes else DEFAULT_GRADES
    grades = [band.grade for band in scale.bands]
    counts = Counter(row.grade for row in rows if row.grade)
    guideline = session.guideline(grades)
    check = guideline.check({g: counts.get(g, 0) for g in grades}) if guideline else None
    lang = current_lang()
    names = {row.rater_id: row.manager for row in rows}
    flag_texts = [
        (flag.kind, names.get(flag.rater, ""), flag.text(lang))
        for flag in report.flags
        if flag.rater in names
    ]
    return Board(
        session=session,
        rows=sort_rows(rows, sort, descending, grades),
        grades=grades,
        dimensions=headers,
        counts={g: counts.get(g, 0) for g in grades},
        check=check,
        report=report,
        flag_texts=flag_texts,
        nine_box=_nine_box(rows, grades),
        without_potential=[row for row in rows if row.potential is None],
    )


def _rows(session: Session) -> tuple[list[Row], dict[int, Figures]]:
    """The session's rows, from the cache while none of its appraisals has changed (a
    move, a potential, a step all save the appraisal); the figures when just worked out."""
    members = Appraisal.objects.filter(pk__in=session.members.values("appraisal_id"))
    seen = members.aggregate(last=Max("updated_at"), count=Count("id"))
    last = seen["last"].timestamp() if seen["last"] else 0
    key = f"calibration-rows:{session.pk}:{last}:{seen['count']}"
    cached = cache.get(key)
    if cached is not None:
        return [replace(row) for row in cached], {}
    appraisals = members_of(session)
    figures = {appraisal.pk: figures_of(appraisal) for appraisal in appraisals}
    rows = [_row(appraisal, figures[appraisal.pk]) for appraisal in appraisals]
    cache.set(key, rows, ROWS_KEPT_SECONDS)
    return [replace(row) for row in rows], figures


def _row(appraisal: Appraisal, figures: Figures) -> Row:
    rated = figures.rated
    employee = appraisal.employee
    return Row(
        appraisal_id=appraisal.pk,
        number=employee.number,
        name=employee.name,
        department=employee.department.name,
        rater_id=appraisal.rater_id,
        manager=appraisal.rater.name if appraisal.rater else "",
        state=appraisal.state,
        calibration=appraisal.calibration,
        potential=appraisal.potential,
        version_id=appraisal.version_id,
        total=figures.total,
        grade=figures.grade,
        dimensions=figures.dimensions,
        kpi=rated.kpi if rated else None,
        gap=self_gap(rated) if rated else None,
    )


def _dimension_headers(schemes: Sequence[Scheme], lang: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for scheme in schemes:
        for dimension in scheme.dimensions:
            name = dimension.name(lang)  # type: ignore[arg-type]
            seen.setdefault(dimension.id, f"{name} /{fmt(dimension.weight)}")
    return list(seen.items())


SORTS = {
    "number": lambda row: row.number,
    "name": lambda row: row.name,
    "department": lambda row: row.department,
    "manager": lambda row: row.manager,
    "total": lambda row: row.total if row.total is not None else Decimal(-1),
    "gap": lambda row: row.gap if row.gap is not None else -math.inf,
    "potential": lambda row: row.potential or 0,
}


def sort_rows(rows: list[Row], sort: str, descending: bool, grades: list[str]) -> list[Row]:
    if sort == "grade":
        order = {grade: i for i, grade in enumerate(grades)}
        return sorted(rows, key=lambda row: order.get(row.grade, len(grades)), reverse=descending)
    if sort.startswith("dimension:"):
        dimension = sort.partition(":")[2]
        return sorted(
            rows,
            key=lambda row: row.dimensions.get(dimension) or Decimal(-1),
            reverse=descending,
        )
    key = SORTS.get(sort)
    if key is None:
        return rows
    return sorted(rows, key=key, reverse=descending)  # type: ignore[arg-type]


def _nine_box(rows: Iterable[Row], grades: list[str]) -> list[list[list[Row]]]:
    """Potential (3 high … 1 low) by performance (low, middle, high grades)."""
    third = math.ceil(len(grades) / 3)
    high, low = set(grades[:third]), set(grades[-third:])
    grid: list[list[list[Row]]] = [[[], [], []] for _ in range(3)]
    for row in rows:
        if row.potential is None or not row.grade:
            continue
        column = 2 if row.grade in high else 0 if row.grade in low else 1
        grid[3 - row.potential][column].append(row)
    return grid
