"""Rater-bias checks: figures that prompt a calibration discussion, never a change.

Ratings are read on their level scale (1 … levels): a person's rating is the mean level of
the items their rater gave. Their KPI attainment (points ÷ possible points of the
indicators fed by data) is what a rating can be checked against, which averages alone
cannot do: a lenient manager and a strong team look alike until the KPIs say which.

- **Leniency / severity.** A straight line fitted over the whole cycle predicts each
  person's rating from their KPI attainment; for each rater, d is the mean of (rating −
  prediction) over their people, s its standard deviation and n their number, and
  z = d ÷ (s ÷ √n). Flagged when |z| ≥ 2 and |d| ≥ half a level. Where KPIs do not predict
  ratings (fewer than 10 people with both, or a correlation below 0.3), the prediction is
  the cycle's mean rating instead, and the flag says so.
- **Central tendency.** The rater's standard deviation below half of the cycle's, or more
  than 80 % of their item ratings in the two middle levels (the middle level and the one
  above it on an odd scale, where ratings that avoid a judgement gather).
- **Halo** (a hint: it is confounded with leniency). The mean correlation, across the
  rater's people, between each pair of items is above 0.8.
- **Self–manager gap.** Per person, the mean of (self level − rater's level) over the items
  both rated; flagged for a rater whose people's gap averages beyond 1.5 levels.

Only raters with at least 5 rated people are judged.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import combinations

from kaohe.core import Text, round_half_up

MIN_RATED = 5
MIN_FIT = 10
MIN_CORRELATION = 0.3
Z_FLAG = 2.0
HALF_LEVEL = 0.5
CENTRAL_SPREAD = 0.5  # of the cycle's standard deviation
CENTRAL_SHARE = 0.8
HALO_CORRELATION = 0.8
SELF_GAP_LEVELS = 1.5


@dataclass(frozen=True, slots=True)
class RatedAppraisal:
    key: Hashable
    rater: Hashable
    ratings: Mapping[str, int]  # item → level given by the rater
    kpi: float | None = None  # KPI attainment, 0 … 1
    self_ratings: Mapping[str, int] = field(default_factory=dict)

    @property
    def level(self) -> float | None:
        return _mean(self.ratings.values()) if self.ratings else None


def self_gap(appraisal: RatedAppraisal) -> float | None:
    """Self level − the rater's level, averaged over the items both rated."""
    both = [item for item in appraisal.ratings if item in appraisal.self_ratings]
    if not both:
        return None
    return _mean(appraisal.self_ratings[item] - appraisal.ratings[item] for item in both)


class FlagKind(StrEnum):
    LENIENT = "lenient"
    SEVERE = "severe"
    CENTRAL = "central"
    HALO = "halo"
    SELF_GAP = "self_gap"


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    rater: Hashable
    text: Text


@dataclass(frozen=True, slots=True)
class Fit:
    """Rating ≈ intercept + slope × KPI attainment, over the cycle."""

    n: int
    intercept: float
    slope: float
    correlation: float | None
    mean: float  # the cycle's mean rating, the fallback prediction

    @property
    def predictive(self) -> bool:
        return (
            self.n >= MIN_FIT
            and self.correlation is not None
            and self.correlation >= MIN_CORRELATION
        )

    def predict(self, kpi: float | None) -> float:
        if not self.predictive or kpi is None:
            return self.mean
        return self.intercept + self.slope * kpi


@dataclass(frozen=True, slots=True)
class RaterFigures:
    rater: Hashable
    rated: int
    difference: float  # d: mean of rating − prediction
    z: float
    against_kpi: bool  # False: against the cycle's mean
    spread: float  # standard deviation of the rater's ratings
    middle_share: float
    halo: float | None  # mean correlation between items
    gap: float | None  # mean self–manager gap
    flags: tuple[Flag, ...]


@dataclass(frozen=True, slots=True)
class BiasReport:
    fit: Fit
    spread: float  # the cycle's standard deviation of ratings
    raters: Mapping[Hashable, RaterFigures]

    @property
    def flags(self) -> list[Flag]:
        return [flag for figures in self.raters.values() for flag in figures.flags]


def rater_bias(
    appraisals: Iterable[RatedAppraisal],
    *,
    levels: int = 5,
    names: Mapping[Hashable, str] | None = None,
) -> BiasReport:
    """Every check for every rater with at least ``MIN_RATED`` rated people."""
    rated = [a for a in appraisals if a.ratings]
    fit = _fit(rated)
    spread = _sd([a.level for a in rated if a.level is not None])
    by_rater: dict[Hashable, list[RatedAppraisal]] = defaultdict(list)
    for appraisal in rated:
        by_rater[appraisal.rater].append(appraisal)
    middle = _middle_levels(levels)
    figures = {
        rater: _figures(rater, people, fit, spread, middle, (names or {}).get(rater, str(rater)))
        for rater, people in by_rater.items()
        if len(people) >= MIN_RATED
    }
    return BiasReport(fit, spread, figures)


def _figures(
    rater: Hashable,
    people: Sequence[RatedAppraisal],
    fit: Fit,
    cycle_spread: float,
    middle: frozenset[int],
    name: str,
) -> RaterFigures:
    n = len(people)
    levels = [a.level for a in people if a.level is not None]
    differences = [level - fit.predict(a.kpi) for a, level in zip(people, levels, strict=True)]
    d = _mean(differences)
    s = _sd(differences)
    z = d / (s / math.sqrt(n)) if s > 0 else (0.0 if d == 0 else math.copysign(math.inf, d))
    spread = _sd(levels)
    item_ratings = [level for a in people for level in a.ratings.values()]
    middle_share = sum(1 for level in item_ratings if level in middle) / len(item_ratings)
    halo = _halo(people)
    gaps = [gap for gap in (self_gap(a) for a in people) if gap is not None]
    gap = _mean(gaps) if gaps else None

    flags = []
    against_kpi = fit.predictive
    if abs(z) >= Z_FLAG and abs(d) >= HALF_LEVEL:
        flags.append(_leniency_flag(rater, name, n, d, z, against_kpi))
    if (cycle_spread > 0 and spread < CENTRAL_SPREAD * cycle_spread) or (
        middle_share > CENTRAL_SHARE
    ):
        flags.append(_central_flag(rater, name, n, spread, cycle_spread, middle_share))
    if halo is not None and halo > HALO_CORRELATION:
        flags.append(_halo_flag(rater, name, n, halo))
    if gap is not None and abs(gap) > SELF_GAP_LEVELS:
        flags.append(_gap_flag(rater, name, len(gaps), gap))
    return RaterFigures(rater, n, d, z, against_kpi, spread, middle_share, halo, gap, tuple(flags))


# --- the statistics ----------------------------------------------------------------------


def _fit(rated: Sequence[RatedAppraisal]) -> Fit:
    pairs = [(a.kpi, a.level) for a in rated if a.kpi is not None and a.level is not None]
    everyone = [a.level for a in rated if a.level is not None]
    mean = _mean(everyone) if everyone else 0.0
    if len(pairs) < 2:
        return Fit(len(pairs), mean, 0.0, None, mean)
    xs = [x for x, _y in pairs]
    ys = [y for _x, y in pairs]
    mx, my = _mean(xs), _mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    if sxx == 0 or syy == 0:
        return Fit(len(pairs), my, 0.0, None, mean)
    slope = sxy / sxx
    return Fit(len(pairs), my - slope * mx, slope, sxy / math.sqrt(sxx * syy), mean)


def _halo(people: Sequence[RatedAppraisal]) -> float | None:
    """The mean correlation between the rater's items across their people, over the pairs
    of items both given to at least ``MIN_RATED`` people and not given alike to all."""
    items = sorted({item for a in people for item in a.ratings})
    correlations = []
    for first, second in combinations(items, 2):
        pairs = [
            (a.ratings[first], a.ratings[second])
            for a in people
            if first in a.ratings and second in a.ratings
        ]
        if len(pairs) < MIN_RATED:
            continue
        r = _correlation(pairs)
        if r is not None:
            correlations.append(r)
    return _mean(correlations) if correlations else None


def _correlation(pairs: Sequence[tuple[float, float]]) -> float | None:
    mx = _mean(x for x, _y in pairs)
    my = _mean(y for _x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _y in pairs)
    syy = sum((y - my) ** 2 for _x, y in pairs)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in pairs) / math.sqrt(sxx * syy)


def _middle_levels(levels: int) -> frozenset[int]:
    if levels < 2:
        return frozenset(range(1, levels + 1))
    low = levels // 2 if levels % 2 == 0 else (levels + 1) // 2
    return frozenset({low, low + 1})


def _mean(values: Iterable[float]) -> float:
    listed = list(values)
    return math.fsum(listed) / len(listed)


def _sd(values: Sequence[float]) -> float:
    """The sample standard deviation (n − 1); 0 for fewer than two values."""
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


# --- the sentences -----------------------------------------------------------------------


def _leniency_flag(
    rater: Hashable, name: str, n: int, d: float, z: float, against_kpi: bool
) -> Flag:
    lenient = d > 0
    size, zed = _figure(abs(d), 1), _z(z)
    if against_kpi:
        zh = (
            f"{name} 对 {n} 人的评分比其 KPI 预测的{'高' if lenient else '低'} {size} 级：z = {zed}"
        )
        en = (
            f"{name} rated {n} people {size} levels {'above' if lenient else 'below'} "
            f"what their KPIs predict: z = {zed}"
        )
    else:
        zh = (
            f"{name} 对 {n} 人的评分比本周期平均{'高' if lenient else '低'} {size} 级"
            f"（本周期 KPI 无法预测评分，团队本身的强弱无法区分）：z = {zed}"
        )
        en = (
            f"{name} rated {n} people {size} levels {'above' if lenient else 'below'} the "
            "cycle's mean (KPIs do not predict ratings in this cycle, so a strong team "
            f"cannot be told apart): z = {zed}"
        )
    verdict = Text("，偏宽松。", " — lenient.") if lenient else Text("，偏严格。", " — severe.")
    kind = FlagKind.LENIENT if lenient else FlagKind.SEVERE
    return Flag(kind, rater, Text(zh + verdict.zh, en + verdict.en))


def _central_flag(
    rater: Hashable, name: str, n: int, spread: float, cycle: float, middle: float
) -> Flag:
    s, c, p = _figure(spread, 2), _figure(cycle, 2), _figure(middle * 100, 0)
    return Flag(
        FlagKind.CENTRAL,
        rater,
        Text(
            f"{name} 对 {n} 人的评分拉不开差距：标准差 {s}（本周期 {c}），"
            f"{p}% 落在中间两级，有趋中倾向。",
            f"{name}'s ratings of {n} people hardly spread: standard deviation {s} against "
            f"the cycle's {c}, {p} % in the two middle levels — central tendency.",
        ),
    )


def _halo_flag(rater: Hashable, name: str, n: int, halo: float) -> Flag:
    r = _figure(halo, 2)
    return Flag(
        FlagKind.HALO,
        rater,
        Text(
            f"{name} 给 {n} 人的各项评分高度一致（项目间平均相关 {r}），可能有晕轮效应；"
            "仅为提示，它常与宽松倾向混在一起。",
            f"{name}'s items move together across {n} people (mean correlation between "
            f"items {r}): possibly a halo effect — a hint only, as it is often confounded "
            "with leniency.",
        ),
    )


def _gap_flag(rater: Hashable, name: str, people: int, gap: float) -> Flag:
    size, higher = _figure(abs(gap), 1), gap > 0
    return Flag(
        FlagKind.SELF_GAP,
        rater,
        Text(
            f"{name} 的 {people} 名下属自评平均比 {name} 的评分{'高' if higher else '低'} "
            f"{size} 级。",
            f"{name}'s {people} people rate themselves {size} levels "
            f"{'above' if higher else 'below'} {name}'s ratings on average.",
        ),
    )


def _figure(value: float, places: int) -> str:
    rounded = round_half_up(Decimal(repr(value)), Decimal(1).scaleb(-places))
    return format(rounded, "f")


def _z(z: float) -> str:
    if math.isinf(z):
        return "∞" if z > 0 else "−∞"
    return _figure(z, 1).replace("-", "−")
