"""Inputs fed by kaohe's own sources (360 reviews, incidents, goals): the notation, the kind
each source gives, and that such an input is not asked of a person."""

import pytest

from kaohe.core import Feed, FeedError, FeedSource, InputKind, SchemeFileError, load_scheme

from .schemes import one_indicator_scheme, write

EVENTS = "kind: events\ninput: rate\nbase: 40\nper_event: -20"


def scheme_with(input_line):
    return one_indicator_scheme(EVENTS, inputs=f"inputs:\n  rate: {input_line}\n")


@pytest.mark.parametrize(
    ("text", "source", "keys"),
    [
        ("reviews", FeedSource.REVIEWS, ()),
        ("reviews:peers", FeedSource.REVIEWS, ("peers",)),
        ("reviews: peers, customers", FeedSource.REVIEWS, ("peers", "customers")),
        (
            "incidents:violation,confidentiality",
            FeedSource.INCIDENTS,
            ("violation", "confidentiality"),
        ),
        ("goals", FeedSource.GOALS, ()),
    ],
)
def test_the_notation_reads_the_source_and_its_keys(text, source, keys):
    feed = Feed.parse(text)
    assert (feed.source, feed.keys) == (source, keys)
    assert Feed.parse(str(feed)) == feed


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("survey", "use reviews, incidents or goals"),
        ("reviews:friends", "'friends' is not one of reviews's choices"),
        ("incidents", "incidents needs the kinds it counts"),
        ("goals:team", "goals takes no list"),
    ],
)
def test_a_wrong_feed_says_what_is_allowed(text, said):
    with pytest.raises(FeedError) as caught:
        Feed.parse(text)
    assert said in str(caught.value)
    assert caught.value.problem.zh  # and in Chinese


def test_the_label_names_the_groups_in_both_languages():
    label = Feed.parse("reviews:peers,partners").label
    assert label.zh == "360 度评估（同事、跨部门协作方）"
    assert label.en == "360 review (peers, cross-department partners)"


def test_a_fed_input_is_not_manual(tmp_path):
    text = scheme_with(
        "{kind: count, feed: 'incidents:violation', name: {zh: 违规, en: Violations}}"
    )
    spec = load_scheme(write(tmp_path, text)).inputs["rate"]
    assert spec.feed == Feed(FeedSource.INCIDENTS, ("violation",))
    assert not spec.manual


def test_an_input_with_a_metric_and_a_feed_is_refused(tmp_path):
    text = scheme_with(
        "{kind: count, metric: calls_handled, feed: 'incidents:violation', name: {zh: 违规, en: V}}"
    )
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(write(tmp_path, text))
    assert "give metric or feed, not both" in str(caught.value)
    assert caught.value.field == "inputs.rate.feed" or "feed" in str(caught.value)


def test_the_feed_must_suit_the_inputs_kind(tmp_path):
    text = scheme_with("{kind: percent, feed: 'incidents:violation', name: {zh: 违规, en: V}}")
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(write(tmp_path, text))
    assert "incidents gives a count: the input's kind should be count" in str(caught.value)


def test_a_wrong_feed_in_a_file_names_the_line(tmp_path):
    text = scheme_with("{kind: count, feed: 'incidents:lateness', name: {zh: 违规, en: V}}")
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(write(tmp_path, text))
    assert caught.value.line == 4
    assert "'lateness' is not one of incidents's choices" in str(caught.value)


def test_no_built_in_scheme_asks_for_a_count_or_a_peer_score_by_hand():
    """Seed 000's attitude facts come from the incident log and the 360, not from typing."""
    for name in ("cs-agent", "admin-staff", "tech-support"):
        scheme = load_scheme(name)
        typed = {n for n, spec in scheme.inputs.items() if spec.manual}
        assert not {"violations", "suggestions_and_extra_tasks", "peer_review_score"} & typed
        assert scheme.inputs["peer_review_score"].feed == Feed.parse("reviews:peers")
        assert all(scheme.inputs[n].kind is not InputKind.COUNT for n in typed)
