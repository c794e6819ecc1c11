"""Badge rules over metric values, and leaderboard ranks.

A badge rule reads one metric of a period for each person (its value and its base — the
surveys behind a CSAT, the answered calls behind an FCR) and says who earns the badge.
The Django app gathers the values and words the awards; everything decided is decided here:

- **Missing data awards nothing.** A person without a value for the metric, or — for an
  improvement — without a value in the period before, is no candidate; one without a value
  for the guard (the check that no complaint was upheld) is compared but cannot earn it.
  No value is never taken as zero.
- **Minimum volume.** The metric's base must reach the rule's minimum, in both periods for
  an improvement; a metric without a base (a count) meets only a minimum of 0.
- **Best in the team.** The candidates of a group (a team) are those with a value and the
  volume; of them, those the guard lets through with the best value earn the badge — all
  of them when they tie (equal to a millionth). A group needs at least two candidates: the
  best of one is nobody's achievement. ``among`` counts the candidates judged.
- **Thresholds.** At least / at most: every candidate beyond the threshold earns it.
- **Most improved.** The best rise from the period before, in the metric's good direction,
  and only a rise: nobody earns it in a team where nobody improved.

Leaderboards rank by points with ties sharing a rank (1, 1, 3); ``peer_visible`` says which
ranks someone may see of a board they are on: the top of it, never its bottom ten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

TIE_DIGITS = 6  # values equal to a millionth tie
MIN_GROUP_FOR_BEST = 2
DEFAULT_TOP = 10
DEFAULT_BOTTOM = 10


class Comparison(StrEnum):
    BEST = "best"  # the best in the team
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    MOST_IMPROVED = "most_improved"  # the largest rise from the period before


@dataclass(frozen=True, slots=True)
class Reading:
    """A metric of one person and period: the value, and the base it stands on."""

    value: float | None
    volume: float | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    person: str
    group: str
    reading: Reading | None
    previous: Reading | None = None  # the period before, for an improvement
    guard: Reading | None = None  # the guard metric of this period, when the rule has one


@dataclass(frozen=True, slots=True)
class BadgeRule:
    comparison: Comparison
    higher_is_better: bool = True
    threshold: float | None = None  # for at least / at most
    min_volume: float = 0
    guarded: bool = False  # whether the guard must hold (e.g. no complaint upheld)
    guard_at_most: float = 0

    def __post_init__(self) -> None:
        if self.comparison in (Comparison.AT_LEAST, Comparison.AT_MOST) and (
            self.threshold is None
        ):
            raise ValueError("a threshold rule needs its threshold")
        if self.min_volume < 0:
            raise ValueError("a minimum volume is 0 or more")


@dataclass(frozen=True, slots=True)
class Award:
    person: str
    group: str
    value: float  # the metric's value; for an improvement, the value of this period
    volume: float | None
    previous: float | None  # an improvement's value of the period before
    among: int  # the group's candidates it was judged among


def _enough(reading: Reading | None, minimum: float) -> bool:
    if reading is None or reading.value is None:
        return False
    if minimum <= 0:
        return True
    return reading.volume is not None and reading.volume >= minimum


def _judged(rule: BadgeRule, candidate: Candidate) -> bool:
    """Whether the candidate has the data and the volume to be compared at all."""
    if not _enough(candidate.reading, rule.min_volume):
        return False
    return rule.comparison is not Comparison.MOST_IMPROVED or _enough(
        candidate.previous, rule.min_volume
    )


def _guard_holds(rule: BadgeRule, candidate: Candidate) -> bool:
    if not rule.guarded:
        return True
    guard = candidate.guard
    return guard is not None and guard.value is not None and guard.value <= rule.guard_at_most


def _score(rule: BadgeRule, candidate: Candidate) -> float:
    """What the rule ranks by, larger being better."""
    assert candidate.reading is not None and candidate.reading.value is not None
    value = candidate.reading.value
    if rule.comparison is Comparison.MOST_IMPROVED:
        assert candidate.previous is not None and candidate.previous.value is not None
        value -= candidate.previous.value
    return round(value if rule.higher_is_better else -value, TIE_DIGITS)


def _award(candidate: Candidate, among: int) -> Award:
    assert candidate.reading is not None and candidate.reading.value is not None
    previous = candidate.previous.value if candidate.previous is not None else None
    return Award(
        candidate.person, candidate.group, candidate.reading.value, candidate.reading.volume,
        previous, among,
    )  # fmt: skip


def _passes_threshold(rule: BadgeRule, value: float) -> bool:
    assert rule.threshold is not None
    if rule.comparison is Comparison.AT_LEAST:
        return round(value, TIE_DIGITS) >= round(rule.threshold, TIE_DIGITS)
    return round(value, TIE_DIGITS) <= round(rule.threshold, TIE_DIGITS)


def evaluate(rule: BadgeRule, candidates: Iterable[Candidate]) -> list[Award]:
    """Who earns the badge, ordered by group and person."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        if _judged(rule, candidate):
            groups[candidate.group].append(candidate)
    awards: list[Award] = []
    for group in sorted(groups):
        members = groups[group]
        awards += sorted(_winners(rule, members), key=lambda a: a.person)
    return awards


def _winners(rule: BadgeRule, members: Sequence[Candidate]) -> list[Award]:
    among = len(members)
    allowed = [c for c in members if _guard_holds(rule, c)]
    if rule.comparison in (Comparison.AT_LEAST, Comparison.AT_MOST):
        return [
            _award(c, among)
            for c in allowed
            if c.reading is not None
            and c.reading.value is not None
            and _passes_threshold(rule, c.reading.value)
        ]
    if among < MIN_GROUP_FOR_BEST or not allowed:
        return []
    scores = {c.person: _score(rule, c) for c in allowed}
    best = max(scores.values())
    if rule.comparison is Comparison.MOST_IMPROVED and best <= 0:
        return []
    return [_award(c, among) for c in allowed if scores[c.person] == best]


# --- leaderboards ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    person: str
    points: int
    rank: int  # ties share a rank: 1, 1, 3


def standings(points: Iterable[tuple[str, int]]) -> list[Standing]:
    """The board, most points first; among equals, by person for a stable order."""
    ordered = sorted(points, key=lambda item: (-item[1], item[0]))
    found: list[Standing] = []
    for place, (person, earned) in enumerate(ordered, 1):
        rank = found[-1].rank if found and found[-1].points == earned else place
        found.append(Standing(person, earned, rank))
    return found


def peer_visible(
    board: Sequence[Standing], top: int = DEFAULT_TOP, bottom: int = DEFAULT_BOTTOM
) -> list[Standing]:
    """What a member of the board may see of others: the top ``top`` ranks, and nobody
    ranked within the last ``bottom`` places — on a board of ``bottom`` people or fewer,
    nobody. People who tie share their fate: a tie reaching into the bottom places is
    hidden whole, so that no shown rank stands for someone among the bottom ten."""
    last_place: dict[int, int] = {}
    for place, standing in enumerate(board, 1):
        last_place[standing.rank] = place
    limit = len(board) - bottom
    return [s for s in board if s.rank <= top and last_place[s.rank] <= limit]
