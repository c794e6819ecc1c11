"""Moving weight between indicators for the weight advice: bounded, kept at 100, taken
from the same dimension in proportion, the rules scaled with their points, and the scheme's
text changed only where a number changed."""

import difflib
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml

from kaohe.analytics import (
    TARGET_INPUTS,
    TARGET_METRICS,
    Raise,
    ReweighError,
    SignalKind,
    indicator_weights,
    indicators_reading,
    propose,
    propose_stage,
    repoint,
)
from kaohe.core import Text, flatten, has_errors, lint, load_scheme, load_text

WHY = Text("原因", "because")
DIRECTOR = flatten("cs-director")


def changed_lines(old, new):
    """(old line, new line) for each line that differs, the text's line count being kept."""
    assert len(old.splitlines()) == len(new.splitlines())
    return [(a, b) for a, b in zip(old.splitlines(), new.splitlines(), strict=True) if a != b]


def by_indicator(proposed):
    return {c.indicator: c for c in proposed.changes}


def test_more_weight_on_key_accounts_for_the_director():
    proposed = propose(DIRECTOR, [Raise("key_account_revisit", Decimal(5), WHY)])
    changes = by_indicator(proposed)
    # Capability: 85 % over 80 points, a point weighs 1.0625. Five points of weight are
    # 4.7 points, rounded down to 4: key accounts 10 → 14 (10.625 → 14.875).
    assert changes["key_account_revisit"].points_after == 14
    assert changes["key_account_revisit"].weight_after == Decimal("14.8750")
    assert changes["key_account_revisit"].raised
    assert changes["key_account_revisit"].reason == WHY
    # The others give up 4 points in proportion to 20/20/20/10: quotas 8/7 each and 4/7,
    # rounded down 1, 1, 1, 0; the one point left goes to the largest remainder (4/7).
    assert {name: c.points_after for name, c in changes.items() if not c.raised} == {
        "process_system": 19, "info_utilization": 19, "customer_satisfaction": 19,
        "complaint_handling": 9,
    }  # fmt: skip
    assert all(not c.raised and "Key-account" in c.reason.en
               for name, c in changes.items() if name != "key_account_revisit")  # fmt: skip
    weights = indicator_weights(yaml.safe_load(proposed.text))
    assert sum(weights.values()) == 100
    assert weights["coordination"] == Fraction(15, 4)  # attitude untouched


def test_only_the_numbers_that_change_are_rewritten():
    proposed = propose(DIRECTOR, [Raise("key_account_revisit", Decimal(5), WHY)])
    assert changed_lines(DIRECTOR, proposed.text) == [
        ("    max_points: 20", "    max_points: 19"),
        ("        points: 20", "        points: 19"),
        ("        points: 10", "        points: 9.5"),
    ] * 2 + [
        ("    max_points: 10", "    max_points: 14"),
        ("        points: 10", "        points: 14"),
        ("        points: 5", "        points: 7"),
        ("    max_points: 20", "    max_points: 19"),
        ("        points: 20", "        points: 19"),
        ("        points: 10", "        points: 9.5"),
        ("    max_points: 10", "    max_points: 9"),
        ("      base: 10", "      base: 9"),
        ("      deduction: 5", "      deduction: 4.5"),
    ]
    assert not has_errors(lint(load_text(proposed.text)))


def test_comments_and_layout_are_kept():
    text = DIRECTOR.replace("dimensions:\n", "# the two dimensions of seed 002\ndimensions:\n", 1)
    proposed = propose(text, [Raise("key_account_revisit", Decimal(2), WHY)])
    assert "# the two dimensions of seed 002\n" in proposed.text
    diff = [line for line in difflib.ndiff(text.splitlines(), proposed.text.splitlines())
            if line[:1] in "+-"]  # fmt: skip
    assert all("points" in line for line in diff)


def test_two_raises_in_one_dimension_share_the_others_points():
    proposed = propose(DIRECTOR, [Raise("process_system", Decimal("2.5"), WHY),
                                  Raise("complaint_handling", Decimal("2.5"), WHY)])  # fmt: skip
    # 2.5 ÷ 1.0625 = 2.35 → 2 points each; the others (20, 10, 20) give up 4: quotas 1.6,
    # 0.8, 1.6 → 1, 0, 1, and the two left go to 0.8 (key accounts), then the first 0.6.
    assert {name: c.points_after for name, c in by_indicator(proposed).items()} == {
        "process_system": 22, "complaint_handling": 12, "info_utilization": 18,
        "key_account_revisit": 9, "customer_satisfaction": 19,
    }  # fmt: skip


def test_raises_of_one_indicator_add_up_to_at_most_five():
    proposed = propose(
        DIRECTOR,
        [
            Raise("key_account_revisit", Decimal(4), WHY),
            Raise("key_account_revisit", Decimal(4), Text("再", "again")),
        ],
    )
    change = by_indicator(proposed)["key_account_revisit"]
    assert change.points_after == 14  # as for 5
    assert change.reason == Text("原因再", "because again")


SMALL = """\
id: small
name: {zh: 小, en: Small}
inputs:
  a: {kind: percent, name: {zh: 甲, en: A}}
  b: {kind: percent, name: {zh: 乙, en: B}}
  c: {kind: percent, name: {zh: 丙, en: C}}
  d: {kind: percent, name: {zh: 丁, en: D}}
dimensions:
  - id: one
    name: {zh: 一, en: One}
    weight: 50
    indicators:
      - id: a
        name: {zh: 甲, en: A}
        max_points: 10
        rule: {kind: linear, input: a, floor: 0, target: 100, points: 10}
      - id: b
        name: {zh: 乙, en: B}
        max_points: 4
        rule: {kind: linear, input: b, floor: 0, target: 100, points: 4}
      - id: c
        name: {zh: 丙, en: C}
        max_points: 10
        rule: {kind: linear, input: c, floor: 0, target: 100, points: 10}
  - id: two
    name: {zh: 二, en: Two}
    weight: 50
    indicators:
      - id: d
        name: {zh: 丁, en: D}
        max_points: 10
        rule: {kind: linear, input: d, floor: 0, target: 100, points: 10}
"""


def test_no_indicator_moves_more_than_five_points_of_weight():
    proposed = propose(SMALL, [Raise("a", Decimal(5), WHY), Raise("c", Decimal(5), WHY)])
    # 50 % over 24 points: a point weighs 2.08, the step is 1. Five points of weight are 2.4
    # points → 2 each; b alone would give up 4 points (8.3 of weight) and keep none of its
    # half: the raises come down a step at a time, to 1 each (b gives up 2, 4.2 of weight).
    changes = by_indicator(proposed)
    assert {name: c.points_after for name, c in changes.items()} == {"a": 11, "b": 2, "c": 11}
    assert all(abs(c.weight_after - c.weight_before) <= 5 for c in proposed.changes)
    assert sum(indicator_weights(yaml.safe_load(proposed.text)).values()) == 100


def test_an_indicator_alone_in_its_dimension_is_not_raised():
    proposed = propose(SMALL, [Raise("d", Decimal(5), WHY)])
    assert proposed.changes == ()
    assert proposed.text == SMALL
    assert [s.indicator for s in proposed.skipped] == ["d"]
    assert "no other indicator" in proposed.skipped[0].reason.en


def test_an_unknown_indicator_is_skipped_and_the_rest_made():
    proposed = propose(DIRECTOR, [Raise("nope", Decimal(5), WHY),
                                  Raise("key_account_revisit", Decimal(2), WHY)])  # fmt: skip
    assert [s.indicator for s in proposed.skipped] == ["nope"]
    # Two points of weight are 1.88 points: one, taken from the largest remainder's owner.
    assert by_indicator(proposed)["key_account_revisit"].points_after == 11
    assert len(proposed.changes) == 2


def test_less_than_a_step_moves_nothing():
    proposed = propose(DIRECTOR, [Raise("key_account_revisit", Decimal(1), WHY)])
    # One point of weight is 0.94 points: less than the step of one point.
    assert proposed.changes == ()
    assert proposed.text == DIRECTOR
    assert "less than one step" in proposed.skipped[0].reason.en


def test_every_kind_of_rule_is_scaled_with_its_points():
    text = flatten("cs-agent")
    proposed = propose(text, [Raise("qa_pass_rate", Decimal(5), WHY)])
    data = yaml.safe_load(proposed.text)
    rules = {i["id"]: i for d in data["dimensions"] for i in d["indicators"]}
    assert not has_errors(lint(load_text(proposed.text)))
    for change in proposed.changes:
        indicator = rules[change.indicator]
        assert indicator["max_points"] == change.points_after
        assert load_text(proposed.text).indicator(change.indicator).rule.max_points == (
            change.points_after
        )
    assert by_indicator(proposed)["qa_pass_rate"].raised
    assert "fcr" in by_indicator(proposed)  # the other capability indicator gives way


def test_rating_levels_keep_rising_when_scaled():
    # Attitude's four rated indicators (levels 4/8/12/16/20) give way to one of them.
    proposed = propose(DIRECTOR, [Raise("coordination", Decimal(2), WHY)])
    scheme = load_text(proposed.text)
    levels = [level.points for level in scheme.indicator("professionalism").rule.levels]
    assert levels == sorted(levels)
    assert len(set(levels)) == 5
    assert not has_errors(lint(scheme))


def test_a_scheme_extending_a_template_cannot_be_edited():
    with pytest.raises(ReweighError, match="extends a template"):
        propose("extends: cs-director\nid: x\ndimensions: []\n", [])
    with pytest.raises(ReweighError, match="cannot be read"):
        propose("{{{", [])


def test_the_growth_stage_for_the_director():
    proposed = propose_stage(DIRECTOR, DIRECTOR, flatten("cs-director-growth"),
                             Text("成长期", "growth stage"))  # fmt: skip
    changes = by_indicator(proposed)
    assert set(changes) == {"process_system", "customer_satisfaction"}
    assert (changes["customer_satisfaction"].points_before,
            changes["customer_satisfaction"].points_after) == (20, 30)  # fmt: skip
    assert changes["customer_satisfaction"].raised
    assert not changes["process_system"].raised
    assert changes["process_system"].weight_after == Decimal("10.6250")
    # The stage template's own rules, not scaled ones: ≥ 80 earns 7.5 of 30.
    scheme = load_text(proposed.text)
    assert [t.points for t in scheme.indicator("customer_satisfaction").rule.tiers] == [
        30,
        15,
        7.5,
        0,
    ]
    assert scheme.name.zh == "客服总监绩效考核"  # still the director's own scheme
    assert len(changed_lines(DIRECTOR, proposed.text)) == 7


def test_a_stage_is_not_offered_to_a_scheme_without_its_indicators():
    proposed = propose_stage(flatten("cs-agent"), DIRECTOR, flatten("cs-director-mature"), WHY)
    assert proposed.changes == ()
    assert {s.indicator for s in proposed.skipped} == {"process_system", "key_account_revisit"}


def test_a_scheme_at_the_stage_already_has_nothing_to_change():
    growth = flatten("cs-director-growth")
    proposed = propose_stage(growth, DIRECTOR, growth, WHY)
    assert proposed.changes == ()
    assert proposed.text == growth


def test_the_indicators_a_signal_speaks_for():
    director, agent = load_scheme("cs-director"), load_scheme("cs-agent")
    key, process = SignalKind.KEY_ACCOUNTS, SignalKind.PROCESS
    assert indicators_reading(director, TARGET_METRICS[key], TARGET_INPUTS[key]) == [
        "key_account_revisit"
    ]
    assert indicators_reading(director, TARGET_METRICS[process], TARGET_INPUTS[process]) == [
        "process_system", "complaint_handling",
    ]  # fmt: skip
    assert indicators_reading(agent, TARGET_METRICS[key], TARGET_INPUTS[key]) == []


def test_hr_sets_an_indicators_points_and_its_rule_follows():
    text = repoint(DIRECTOR, {"key_account_revisit": Decimal(12), "process_system": Decimal(20)})
    assert changed_lines(DIRECTOR, text) == [
        ("    max_points: 10", "    max_points: 12"),
        ("        points: 10", "        points: 12"),
        ("        points: 5", "        points: 6"),
    ]
    assert not has_errors(lint(load_text(text)))
    with pytest.raises(ReweighError, match="above 0"):
        repoint(DIRECTOR, {"key_account_revisit": Decimal(0)})
