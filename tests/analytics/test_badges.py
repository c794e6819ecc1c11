"""Badge rules and leaderboard ranks: ties, minimum volume, no award on missing data, and
the properties that matter over random boards — ranks are shared by equals and never the
bottom ten is shown to a peer."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.analytics import (
    BadgeRule,
    Candidate,
    Comparison,
    Reading,
    evaluate,
    peer_visible,
    standings,
)

BEST_CSAT = BadgeRule(Comparison.BEST, min_volume=30, guarded=True)


def agent(person, value, volume=100, group="一组", complaints=0.0, previous=None):
    guard = None if complaints is None else Reading(complaints)
    reading = None if value is None else Reading(value, volume)
    return Candidate(person, group, reading, previous, guard)


def test_the_best_in_each_team_earns_it_and_says_among_how_many():
    awards = evaluate(
        BEST_CSAT,
        [
            agent("a", 4.8),
            agent("b", 4.6),
            agent("c", 4.7, group="二组"),
            agent("d", 4.9, group="二组"),
        ],
    )
    assert [(a.person, a.group, a.value, a.among) for a in awards] == [
        ("a", "一组", 4.8, 2),
        ("d", "二组", 4.9, 2),
    ]


def test_a_tie_gives_the_badge_to_both():
    awards = evaluate(BEST_CSAT, [agent("a", 4.8), agent("b", 24 / 5), agent("c", 4.1)])
    assert [a.person for a in awards] == ["a", "b"]


def test_below_the_minimum_volume_nobody_is_judged():
    awards = evaluate(BEST_CSAT, [agent("a", 5.0, volume=29), agent("b", 4.5), agent("c", 4.4)])
    assert [(a.person, a.among) for a in awards] == [("b", 2)]


def test_missing_data_awards_nothing():
    # No value or no base: no candidate, never a zero; no complaint figure: cannot earn it.
    rule = BadgeRule(Comparison.BEST, min_volume=30, guarded=True)
    assert evaluate(rule, [agent("a", None), agent("b", 4.5, volume=None)]) == []
    awards = evaluate(rule, [agent("a", 4.9, complaints=None), agent("b", 4.5)])
    assert [(a.person, a.among) for a in awards] == [("b", 2)]
    assert (
        evaluate(rule, [agent("a", 4.9, complaints=None), agent("b", 4.5, complaints=None)]) == []
    )


def test_an_upheld_complaint_rules_the_best_out():
    awards = evaluate(BEST_CSAT, [agent("a", 4.9, complaints=1), agent("b", 4.5), agent("c", 4.2)])
    assert [a.person for a in awards] == ["b"]


def test_a_team_of_one_candidate_has_no_best():
    assert evaluate(BEST_CSAT, [agent("a", 4.9), agent("b", 4.1, volume=3)]) == []


def test_lower_is_better_for_a_handling_time():
    rule = BadgeRule(Comparison.BEST, higher_is_better=False)
    assert [a.person for a in evaluate(rule, [agent("a", 300), agent("b", 280)])] == ["b"]


def test_a_threshold_rule_awards_everyone_beyond_it():
    zero = BadgeRule(Comparison.AT_MOST, threshold=0, min_volume=200)
    awards = evaluate(
        zero,
        [agent("a", 0.0, volume=250), agent("b", 0.0, volume=150), agent("c", 0.4, volume=300)],
    )
    assert [a.person for a in awards] == ["a"]
    at_least = BadgeRule(Comparison.AT_LEAST, threshold=90)
    assert [a.person for a in evaluate(at_least, [agent("a", 90.0), agent("b", 89.9)])] == ["a"]


def test_the_most_improved_needs_a_rise_and_both_periods():
    rule = BadgeRule(Comparison.MOST_IMPROVED, min_volume=30)
    awards = evaluate(
        rule,
        [
            agent("a", 4.6, previous=Reading(4.2, 80)),
            agent("b", 4.9, previous=Reading(4.8, 80)),
            agent("c", 5.0, previous=None),  # new this month: no improvement to measure
            agent("d", 4.9, previous=Reading(4.0, 10)),  # too few surveys last month
        ],
    )
    assert [(a.person, a.previous) for a in awards] == [("a", 4.2)]
    fell = [agent("a", 4.0, previous=Reading(4.2, 80)), agent("b", 4.0, previous=Reading(4.5, 80))]
    assert evaluate(rule, fell) == []


def test_a_threshold_rule_needs_a_threshold():
    with pytest.raises(ValueError, match="threshold"):
        BadgeRule(Comparison.AT_LEAST)


values = st.one_of(st.none(), st.sampled_from([3.5, 4.0, 4.5, 5.0]))
candidates = st.lists(
    st.builds(
        agent,
        person=st.text("abcdefgh", min_size=1, max_size=3),
        value=values,
        volume=st.one_of(st.none(), st.integers(0, 60)),
        group=st.sampled_from(["一组", "二组"]),
        complaints=st.one_of(st.none(), st.sampled_from([0.0, 1.0])),
    ),
    max_size=12,
    unique_by=lambda c: c.person,
)


@given(candidates)
def test_every_award_meets_the_rule_and_every_equal_of_a_winner_wins(found):
    awards = evaluate(BEST_CSAT, found)
    by_person = {c.person: c for c in found}
    winners = {a.person for a in awards}
    for award in awards:
        candidate = by_person[award.person]
        assert candidate.reading.volume >= 30
        assert candidate.guard.value == 0
        assert award.among >= 2
    for award in awards:
        for other in found:
            reading, guard = other.reading, other.guard
            equal = other.group == award.group and reading and reading.value == award.value
            counted = equal and (reading.volume or 0) >= 30 and guard and guard.value == 0
            if counted:
                assert other.person in winners


@given(candidates)
def test_the_order_of_the_candidates_changes_nothing(found):
    assert evaluate(BEST_CSAT, found) == evaluate(BEST_CSAT, list(reversed(found)))


def test_ties_share_a_rank_and_the_next_rank_skips():
    board = standings([("c", 3), ("a", 5), ("b", 5), ("d", 0)])
    assert [(s.person, s.rank) for s in board] == [("a", 1), ("b", 1), ("c", 3), ("d", 4)]


def test_a_peer_sees_the_top_and_never_the_bottom_ten():
    board = standings([(f"p{i:02}", 100 - i) for i in range(25)])
    shown = peer_visible(board)
    assert [s.rank for s in shown] == list(range(1, 11))
    small = standings([(f"p{i:02}", 100 - i) for i in range(14)])
    assert [s.rank for s in peer_visible(small)] == [1, 2, 3, 4]
    assert peer_visible(standings([("a", 3), ("b", 2)])) == []


def test_a_tie_reaching_into_the_bottom_ten_is_hidden_whole():
    # places 1–3 distinct, then four tie at rank 4 (places 4–7); 15 people: bottom ten is 6–15
    board = standings([("a", 9), ("b", 8), ("c", 7), *((f"t{i}", 5) for i in range(4)),
                       *((f"z{i}", 1 - i) for i in range(8))])  # fmt: skip
    assert [s.person for s in peer_visible(board)] == ["a", "b", "c"]


@given(st.lists(st.integers(0, 20), max_size=40))
def test_ranks_are_shared_by_equals_and_no_peer_sees_the_bottom_ten(points):
    board = standings([(f"p{i:02}", p) for i, p in enumerate(points)])
    for earlier, later in itertools.pairwise(board):
        assert earlier.points >= later.points
        assert (earlier.rank == later.rank) == (earlier.points == later.points)
        if earlier.points != later.points:
            assert later.rank == board.index(later) + 1
    bottom = {s.person for s in board[-10:]}
    shown = peer_visible(board)
    assert not bottom & {s.person for s in shown}
    assert all(s.rank <= 10 for s in shown)
