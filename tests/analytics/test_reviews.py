"""360 results: what is shown, and the two properties anonymity rests on — the output is the
same whichever rater gave which answer, and no hidden answer changes any output."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.analytics import OTHERS, GroupRule, ReviewResponse, summarise_reviews

QUESTIONS = ("q1", "q2", "q3")
RULES = (
    GroupRule("self", Decimal(0), named=True),
    GroupRule("manager", Decimal(40), named=True),
    GroupRule("peers", Decimal(30)),
    GroupRule("subordinates", Decimal(20)),
    GroupRule("partners", Decimal(10)),
    GroupRule("customers", Decimal(10), score_threshold=3, comment_threshold=3),
)


def answers(group, *rows, comment=""):
    return [ReviewResponse(group, dict(zip(QUESTIONS, row, strict=False)), comment) for row in rows]


def test_a_group_at_its_threshold_is_shown_with_its_means_and_counts():
    summary = summarise_reviews(
        answers("peers", (4, 5, 3), (5, 5, 3), (3, 4, None)), RULES, QUESTIONS
    )
    peers = summary.group("peers")
    assert peers is not None
    assert peers.responses == 3
    assert peers.cells["q1"].mean == Decimal(4)
    assert peers.cells["q1"].count == 3
    assert peers.cells["q2"].mean == Decimal(14) / 3
    assert "q3" not in peers.cells  # two answered, one could not judge: below the threshold
    assert summary.hidden == ()


def test_small_groups_pool_into_others_when_the_pool_reaches_the_threshold():
    responses = answers("subordinates", (2, 2, 2), (3, 3, 3)) + answers("partners", (5, 5, 5))
    summary = summarise_reviews(responses, RULES, QUESTIONS)
    assert summary.group("subordinates") is None
    assert summary.group("partners") is None
    others = summary.group(OTHERS)
    assert others.members == ("subordinates", "partners")
    assert others.cells["q1"].mean == Decimal(10) / 3
    assert others.weight == Decimal(30)


def test_a_small_group_that_cannot_pool_is_hidden_and_named_without_a_count():
    responses = answers("peers", (4, 4, 4), (4, 4, 4), (5, 5, 5)) + answers(
        "subordinates", (1, 1, 1)
    )
    summary = summarise_reviews(responses, RULES, QUESTIONS)
    assert [g.key for g in summary.shown] == ["peers"]
    assert summary.hidden == ("subordinates",)


def test_named_groups_show_whatever_their_count():
    responses = answers("self", (5, 5, 5)) + answers("manager", (3, 4, 2), comment="稳定")
    summary = summarise_reviews(responses, RULES, QUESTIONS)
    assert summary.group("manager").cells["q3"].mean == Decimal(2)
    assert summary.group("manager").comments == ("稳定",)
    assert summary.group("manager").named


def test_comments_need_their_own_threshold_and_are_ordered_by_text():
    three = answers("peers", (4,), (4,), (4,), comment="b")
    assert summarise_reviews(three, RULES, QUESTIONS).group("peers").comments == ()
    texts = ["很好", "Zeal", "apt", "乐于助人", "Bold"]
    five = [ReviewResponse("peers", {"q1": 4}, t) for t in texts]
    shown = summarise_reviews(five, RULES, QUESTIONS).group("peers").comments
    assert shown == tuple(sorted(texts, key=lambda t: (t.casefold(), t)))


def test_the_aggregate_weights_the_shown_groups_renormalised():
    responses = (
        answers("manager", (4, 4, 4))
        + answers("peers", (5, 5, 5), (5, 5, 5), (2, 2, 2))
        + answers("subordinates", (1, 1, 1))  # hidden: counts nowhere
    )
    summary = summarise_reviews(responses, RULES, QUESTIONS)
    aggregate = summary.value(["q1", "q2"])
    # manager 4 (weight 40), peers 4 (weight 30) → 4; the subordinate's 1 is not in it.
    assert aggregate.value == Decimal(4)
    assert aggregate.counted == ("manager", "peers")
    assert aggregate.weights == {"manager": Decimal(4) / 7, "peers": Decimal(3) / 7}
    peers_only = summary.value(["q1"], ["peers"])
    assert peers_only.value == Decimal(4)
    assert peers_only.counted == ("peers",)


def test_others_counts_only_for_an_indicator_reading_all_its_groups():
    responses = answers("peers", (5,), (5,)) + answers("partners", (1,))
    summary = summarise_reviews(responses, RULES, QUESTIONS)
    assert summary.value(["q1"], ["peers"]) is None  # others holds partners' answers too
    both = summary.value(["q1"], ["peers", "partners"])
    assert both.value == Decimal(11) / 3
    assert both.counted == (OTHERS,)


def test_no_value_without_a_shown_cell():
    summary = summarise_reviews(answers("peers", (4,), (4,)), RULES, QUESTIONS)
    assert summary.value(["q1"], ["peers"]) is None


def test_blind_spots_compare_the_self_rating_with_the_shown_others():
    responses = (
        answers("self", (5, 3, 2))
        + answers("peers", (3, 3, 3), (3, 3, 4), (3, 4, 5))
        + answers("subordinates", (1, 1, 1))  # hidden: not in the others' mean
    )
    spots = {s.question: s for s in summarise_reviews(responses, RULES, QUESTIONS).blind_spots}
    assert set(spots) == {"q1", "q3"}
    assert spots["q1"].gap == Decimal(2)
    assert spots["q1"].self_higher
    assert spots["q3"].gap == Decimal(-2)
    assert not spots["q3"].self_higher


def test_answers_from_an_unknown_group_are_refused():
    with pytest.raises(ValueError, match="friends"):
        summarise_reviews(answers("friends", (4,)), RULES, QUESTIONS)


# --- properties over random answer sets -------------------------------------------------

GROUPS = [rule.group for rule in RULES]
level = st.one_of(st.none(), st.integers(1, 5))
response = st.builds(
    ReviewResponse,
    st.sampled_from(GROUPS),
    st.fixed_dictionaries(dict.fromkeys(QUESTIONS, level)),
    st.sampled_from(["", "", "认真负责", "沟通及时", "could listen more"]),
)
response_sets = st.lists(response, max_size=14)


def everything(summary):
    """Every output a page, an export or the API could show."""
    subsets = [QUESTIONS[:1], QUESTIONS[1:], QUESTIONS]
    groups = [(), ("peers",), ("peers", "partners"), ("subordinates", "partners", "customers")]
    values = [summary.value(qs, gs) for qs in subsets for gs in groups]
    return summary.shown, summary.hidden, summary.blind_spots, values


@settings(max_examples=300, deadline=None)
@given(response_sets, st.randoms(use_true_random=False))
def test_the_output_is_the_same_whichever_rater_gave_which_answer(responses, rng):
    shuffled = list(responses)
    rng.shuffle(shuffled)
    assert everything(summarise_reviews(shuffled, RULES, QUESTIONS)) == everything(
        summarise_reviews(responses, RULES, QUESTIONS)
    )


@settings(max_examples=300, deadline=None)
@given(response_sets, st.integers(0, 2**32))
def test_no_hidden_answer_changes_any_output(responses, seed):
    """Re-answer everything nobody may see — hidden groups' levels and comments, and the
    levels of hidden cells in shown groups — and nothing shown may move. A hidden figure
    that could be worked out from shown ones would have to move with them."""
    summary = summarise_reviews(responses, RULES, QUESTIONS)
    rng = random.Random(seed)
    changed = [_rewrite_hidden(r, summary, rng) for r in responses]
    assert everything(summarise_reviews(changed, RULES, QUESTIONS)) == everything(summary)


def _rewrite_hidden(response, summary, rng):
    holder = next((g for g in summary.shown if response.group in g.members), None)
    if holder is None:  # a hidden group: everything about the answer may change
        levels = {q: (None if v is None else rng.randint(1, 5)) for q, v in response.levels.items()}
        return ReviewResponse(response.group, levels, rng.choice(["", "另一条", "x"]))
    levels = {
        q: (v if v is None or q in holder.cells else rng.randint(1, 5))
        for q, v in response.levels.items()
    }
    comment = response.comment if holder.comments_shown else rng.choice(["", "改写", "y"])
    return ReviewResponse(response.group, levels, comment)


@settings(max_examples=300, deadline=None)
@given(response_sets)
def test_every_shown_figure_meets_its_threshold(responses):
    by_rule = {rule.group: rule for rule in RULES}
    for group in summarise_reviews(responses, RULES, QUESTIONS).shown:
        if group.named:
            continue
        threshold = max(by_rule[m].score_threshold for m in group.members)
        assert group.responses >= threshold
        assert all(cell.count >= threshold for cell in group.cells.values())
        if group.comments:
            assert group.responses >= max(by_rule[m].comment_threshold for m in group.members)
