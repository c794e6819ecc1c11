"""360-degree results that keep their raters anonymous.

The figures a reviewee, their manager or HR may see are made here, from the answers alone:
the answers carry no rater, and nothing here can tell raters apart. The rules:

- **Groups.** Each rater group (peers, subordinates, partners, customers…) is shown only
  when at least its threshold of raters answered (3 by default). The named groups — self
  and the manager — are shown whatever their count: they are not anonymous.
- **Others.** The anonymous groups below their threshold are pooled into one "others" group,
  shown if the pool reaches the strictest of their thresholds; otherwise all of them stay
  hidden. A group is shown on its own or inside "others", never both.
- **Cells.** Within a shown group, a question's mean is shown only if enough of its raters
  answered that question (rather than "unable to judge"): the same threshold again.
- **Nothing from the hidden.** Every figure — a group's means, the aggregate an indicator
  reads, the others' mean a blind spot compares with — is computed from shown cells only.
  So no hidden answer changes any output, and no hidden figure can be worked out by
  subtracting shown figures from a total: there is no total that contains it.
- **Comments** are shown for groups at their comment threshold (5 by default), ordered by
  their text, which says nothing about who wrote them or when.

The tests check the two properties that matter over random answer sets: the output is the
same whichever rater gave which answer, and changing any hidden answer changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

OTHERS = "others"
DEFAULT_SCORE_THRESHOLD = 3
DEFAULT_COMMENT_THRESHOLD = 5
BLIND_SPOT_GAP = Decimal(1)  # levels between the self-rating and the others' mean
SELF = "self"


@dataclass(frozen=True, slots=True)
class GroupRule:
    group: str
    weight: Decimal
    score_threshold: int = DEFAULT_SCORE_THRESHOLD
    comment_threshold: int = DEFAULT_COMMENT_THRESHOLD
    named: bool = False  # self and manager: shown whatever the count


@dataclass(frozen=True, slots=True)
class ReviewResponse:
    group: str
    levels: Mapping[str, int | None]  # question → 1 … 5, or None for "unable to judge"
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReviewCell:
    mean: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class ShownGroup:
    key: str  # the group, or "others"
    members: tuple[str, ...]  # the groups it holds: one, or those pooled into "others"
    responses: int
    cells: Mapping[str, ReviewCell]  # question → figure, for the shown questions only
    comments: tuple[str, ...]
    weight: Decimal
    named: bool = False  # self or manager: a person the reviewee knows
    comments_shown: bool = False  # at the comment threshold (``comments`` may still be empty)


@dataclass(frozen=True, slots=True)
class BlindSpot:
    question: str
    self_level: int
    others_mean: Decimal
    gap: Decimal  # self − others: above 0 the person rates themself higher than others do

    @property
    def self_higher(self) -> bool:
        return self.gap > 0


@dataclass(frozen=True, slots=True)
class Aggregate:
    value: Decimal
    counted: tuple[str, ...]  # the shown groups that counted
    weights: Mapping[str, Decimal]  # their weights, renormalised to sum to 1
    means: Mapping[str, Decimal]  # each counted group's mean over the questions


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    shown: tuple[ShownGroup, ...]
    hidden: tuple[str, ...]  # groups that answered but are shown nowhere (no counts)
    blind_spots: tuple[BlindSpot, ...]
    questions: tuple[str, ...] = field(default=())

    def group(self, key: str) -> ShownGroup | None:
        return next((g for g in self.shown if g.key == key), None)

    def value(self, questions: Sequence[str], groups: Sequence[str] = ()) -> Aggregate | None:
        """What an indicator fed by these questions reads: each shown group's mean over its
        shown cells for them, weighted by the groups' weights renormalised over the groups
        that count. A group counts if it has a shown cell, a weight, and holds only groups
        the indicator reads (``groups``; empty for every group), so that a pooled "others"
        never brings foreign answers into an indicator that reads one group."""
        wanted = set(groups)
        means: dict[str, Decimal] = {}
        weights: dict[str, Decimal] = {}
        for shown in self.shown:
            if wanted and not wanted.issuperset(shown.members):
                continue
            cells = [shown.cells[q] for q in questions if q in shown.cells]
            if not cells or shown.weight <= 0:
                continue
            means[shown.key] = sum((c.mean for c in cells), Decimal(0)) / len(cells)
            weights[shown.key] = shown.weight
        if not means:
            return None
        total = sum(weights.values(), Decimal(0))
        share = {key: weight / total for key, weight in weights.items()}
        value = sum((means[key] * share[key] for key in means), Decimal(0))
        return Aggregate(value, tuple(means), share, means)


def summarise_reviews(
    responses: Iterable[ReviewResponse], rules: Sequence[GroupRule], questions: Sequence[str]
) -> ReviewSummary:
    """The shown figures of one reviewee's 360 (see the module's rules)."""
    by_rule = {rule.group: rule for rule in rules}
    answered: dict[str, list[ReviewResponse]] = defaultdict(list)
    for response in responses:
        if response.group not in by_rule:
            raise ValueError(f"answers from a group the review does not have: {response.group}")
        answered[response.group].append(response)
    order = [rule.group for rule in rules if answered.get(rule.group)]
    alone = [g for g in order if by_rule[g].named or len(answered[g]) >= by_rule[g].score_threshold]
    small = [g for g in order if g not in alone]
    shown = [_shown(g, (g,), answered[g], by_rule, questions) for g in alone]
    hidden: list[str] = small
    pooled = [r for g in small for r in answered[g]]
    if small and len(pooled) >= max(by_rule[g].score_threshold for g in small):
        shown.append(_shown(OTHERS, tuple(small), pooled, by_rule, questions))
        hidden = []
    groups = tuple(group for group, _totals in shown)
    spots = _blind_spots(shown, answered, questions)
    return ReviewSummary(groups, tuple(hidden), spots, tuple(questions))


@lru_cache(maxsize=4096)
def _cell(total: int, count: int) -> ReviewCell:
    """A cell's figure; the same few sums and counts recur across thousands of reviewees."""
    return ReviewCell(Decimal(total) / count, count)


# A shown group and, per shown cell, the sum of its levels (kept exact for pooling).
_Shown = tuple[ShownGroup, dict[str, int]]


def _shown(
    key: str,
    members: tuple[str, ...],
    responses: list[ReviewResponse],
    by_rule: Mapping[str, GroupRule],
    questions: Sequence[str],
) -> _Shown:
    named = key != OTHERS and by_rule[key].named
    threshold = 1 if named else max(by_rule[g].score_threshold for g in members)
    sums = dict.fromkeys(questions, 0)
    counts = dict.fromkeys(questions, 0)
    for response in responses:
        for question, level in response.levels.items():
            if level is not None and question in sums:
                sums[question] += level
                counts[question] += 1
    cells = {
        q: _cell(sums[q], counts[q]) for q in questions if counts[q] and counts[q] >= threshold
    }
    comment_threshold = 1 if named else max(by_rule[g].comment_threshold for g in members)
    comments: tuple[str, ...] = ()
    comments_shown = len(responses) >= comment_threshold
    if comments_shown:
        written = [r.comment.strip() for r in responses if r.comment.strip()]
        comments = tuple(sorted(written, key=lambda text: (text.casefold(), text)))
    weight = sum((by_rule[g].weight for g in members), Decimal(0))
    group = ShownGroup(key, members, len(responses), cells, comments, weight, named, comments_shown)
    return group, {q: sums[q] for q in cells}


def _blind_spots(
    shown: list[_Shown],
    answered: Mapping[str, list[ReviewResponse]],
    questions: Sequence[str],
) -> tuple[BlindSpot, ...]:
    """Where the self-rating and the others' mean (pooled over the shown cells of the other
    groups) differ by a level or more."""
    own = answered.get(SELF) or []
    if len(own) != 1:
        return ()
    others = [(group, sums) for group, sums in shown if group.key != SELF]
    spots = []
    for question in questions:
        level = own[0].levels.get(question)
        if level is None:
            continue
        total = count = 0
        for group, sums in others:
            if question in sums:
                total += sums[question]
                count += group.cells[question].count
        if not count:
            continue
        mean = Decimal(total) / count
        gap = Decimal(level) - mean
        if abs(gap) >= BLIND_SPOT_GAP:
            spots.append(BlindSpot(question, level, mean, gap))
    return tuple(spots)
