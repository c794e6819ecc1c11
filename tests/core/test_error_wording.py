"""No English left in the Chinese of any error a broken scheme or a bad value raises.

A valid scheme that uses every field and every rule kind is broken one place at a time: a
field deleted, misspelt or given a value of the wrong kind, a list item dropped or
repeated, a line made malformed YAML. Whatever error that raises must read as Chinese:
the only Latin letters left are what is quoted from the file in 「」 (ids, field names,
values, the file's name), and the names of formats, YAML and UTF-8.
"""

import re
from copy import deepcopy
from datetime import date

import pytest
import yaml

from kaohe.core import (
    Deductions,
    InputError,
    Linear,
    PerEvent,
    RatingLevels,
    SchemeFileError,
    TargetRange,
    Tiers,
    UnknownScheme,
    load_scheme,
    load_text,
    parse_values,
)

from .schemes import FIVE_LEVELS, SMART, one_indicator_scheme

INPUTS = """\
inputs:
  rate: {kind: percent, name: {zh: 完成率, en: Rate}, metric: org:answer_rate}
  level: {kind: level, name: {zh: 协调, en: Coordination}}
  talk: {kind: number, min: 0, max: 600, unit: minutes, name: {zh: 时长, en: Talk}}
  count: {kind: count, unit: {zh: 次, en: times}, name: {zh: 次数, en: Events}}
"""
MORE_OF_THE_INDICATOR = (
    """\
        missing: exclude
        unit: "%"
        description: {zh: 说明, en: Description}
"""
    + SMART
)
MORE_OF_THE_SCHEME = """\
version: 2
description: {zh: 说明, en: Description}
notes: {zh: 备注, en: Notes}
stages: {self_assessment: false}
grades:
  - {grade: A, min: 0, coefficient: 1.2, label: {zh: 优, en: Good}, actions: {zh: 奖, en: Award}}
"""
RULES = {
    "tiers": """
        kind: tiers
        input: rate
        direction: higher
        gap: next_lower
        tiers:
          - {min: 90, points: 20}
          - {above: 80, max: 90, points: 10}
          - {below: 80, points: 0}
    """,
    "linear": "{kind: linear, input: rate, floor: 60, target: 90, points: 20}",
    "range": "{kind: range, input: talk, low: 3, high: 10, points: 20, falloff: {points: 2}}",
    "checks": """
        kind: checks
        base: 20
        deduction: 10
        checks: [{input: rate, min: 100}, {input: talk, below: 8}]
    """,
    "levels": FIVE_LEVELS,
    "events": "{kind: events, input: count, base: 0, per_event: 5, cap: 20}",
}
LEAN = {kind: one_indicator_scheme(rule, inputs=INPUTS, smart="") for kind, rule in RULES.items()}
# Every field in the scheme of tiers; the others, lean to load quickly, for their rules.
SCHEMES = LEAN | {
    "tiers": one_indicator_scheme(
        RULES["tiers"], inputs=INPUTS, smart=MORE_OF_THE_INDICATOR, extra=MORE_OF_THE_SCHEME
    )
}
RULE = ("dimensions", 0, "indicators", 0, "rule")

DISPLAY = "test v2"
# Wrong values by the kind of the right one; deleting and misspelling go everywhere.
WRONG = {
    str: ["a b", 7],
    int: ["oops", -1, 2.5, True],
    float: ["oops", date(2026, 9, 30)],
    bool: ["oops"],
    dict: ["oops", {}],
    list: [[], {}],
}
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
QUOTED = re.compile(r"「[^」]*」")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
FORMAT_NAMES = {"YAML", "UTF"}


def english_in(chinese):
    """Runs of three or more Latin letters outside what is quoted from the file."""
    return [w for w in LATIN_WORD.findall(QUOTED.sub("", chinese)) if w not in FORMAT_NAMES]


def assert_worded_in_both(error):
    zh, en = error.message("zh"), error.message("en")
    assert english_in(zh) == [], zh
    assert "\n" not in zh, zh
    assert "\n" not in en, en
    assert str(error) == en
    assert zh == f"{error.where.zh}：{error.problem.zh}"
    assert en == f"{error.where.en}: {error.problem.en}"


def paths(tree, at=()):
    """Every key of every mapping and every item of every list, outermost first."""
    children = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in children:
        yield (*at, key)
        if isinstance(value, dict | list):
            yield from paths(value, (*at, key))


def changed(tree, path, change):
    """A copy of ``tree`` with ``change(container, key)`` applied at ``path``."""
    copy = deepcopy(tree)
    container = copy
    for key in path[:-1]:
        container = container[key]
    change(container, path[-1])
    return copy


def delete(container, key):
    del container[key]


def misspell_or_repeat(container, key):
    if isinstance(container, dict):
        container[f"{key}s"] = container.pop(key)
    else:
        container.insert(key, container[key])  # a list item twice: duplicate ids


def set_to(value):
    def change(container, key):
        container[key] = value

    return change


def broken_texts():
    """The scheme of tiers broken at every place, the others in their rules: each place
    deleted, and misspelt or given one of the wrong values for its kind, in turn."""
    turn = 0
    for kind, text in SCHEMES.items():
        tree = yaml.safe_load(text)
        for path in paths(tree):
            if (kind != "tiers" and path[: len(RULE)] != RULE) or path[-1] == "en":
                continue  # outside the rule, or English text read as its Chinese is
            value = tree
            for key in path:
                value = value[key]
            others = [misspell_or_repeat, *(set_to(wrong) for wrong in WRONG[type(value)])]
            turn += 1
            for change in (delete, others[turn % len(others)]):
                yield yaml.dump(changed(tree, path, change), Dumper=DUMPER, allow_unicode=True)


def malformed_texts():
    """One line of a scheme made malformed YAML in one of the ways people do it."""
    lines = LEAN["tiers"].splitlines(keepends=True)
    damage = (
        lambda line: line.rstrip("\n") + " [\n",
        lambda line: "\t" + line,
        lambda line: " " + line,
        lambda line: line.replace(": ", ": @", 1),
        lambda line: line.replace(": ", ": '", 1),
        lambda line: line.replace(": ", ": a: ", 1),
        lambda line: line.replace("{", "", 1),
        lambda line: line.replace("}", "", 1),
        lambda line: line + "---\n",
        lambda line: line.replace(": ", ": *anchor ", 1),
        lambda line: line.replace(": ", ': "\\q', 1),
        lambda line: line.replace(": ", ": !thing ", 1),
        lambda line: line.replace(": ", ": \x01", 1),
    )
    for number, line in enumerate(lines):
        for turn in range(3):  # three kinds of damage to each line, in turn
            hurt = damage[(3 * number + turn) % len(damage)]
            yield "".join([*lines[:number], hurt(line), *lines[number + 1 :]])


@pytest.mark.parametrize(
    ("kind", "rule"),
    [("tiers", Tiers), ("linear", Linear), ("range", TargetRange), ("checks", Deductions),
     ("levels", RatingLevels), ("events", PerEvent)],
)  # fmt: skip
def test_the_valid_schemes_load(kind, rule):
    (indicator,) = load_text(SCHEMES[kind], DISPLAY).indicators()
    assert isinstance(indicator.rule, rule)


def errors_loading(texts):
    """The error each text raises, for those that raise one."""
    for text in texts:
        try:
            load_text(text, DISPLAY)
        except SchemeFileError as error:
            yield error


def test_every_broken_field_is_explained_in_chinese():
    problems = set()
    for error in errors_loading(broken_texts()):
        assert_worded_in_both(error)
        assert error.where.zh.startswith(f"「{DISPLAY}」")
        problems.add(re.sub(r"'[^']*'|[-\d.]+", "…", error.problem.en))
    assert len(problems) > 35, problems  # the breakages reach most of the loader's checks


def test_every_malformed_line_is_explained_in_chinese():
    details = set()
    for error in errors_loading(malformed_texts()):
        assert_worded_in_both(error)
        details.add(error.problem.zh)
    assert len(details) > 10, details  # most of what PyYAML says, said in Chinese


# Checks that need one field to disagree with another, which breaking one place at a time
# does not reach.
DISAGREEING = [
    ("tiers", "{min: 90, points: 20}", "{min: 90, above: 90, points: 20}"),
    ("linear", "target: 90", "target: 60"),
    ("range", "high: 10", "high: 1"),
    ("checks", "{input: talk, below: 8}", "{input: talk, min: 9, max: 8}"),
    ("events", "per_event: 5", "per_event: 0"),
    ("events", "input: count", "input: rate"),
    ("levels", "input: level", "input: talk"),
    ("tiers", "min: 0, max: 600", "min: 700, max: 600"),
    ("tiers", "max_points: 20", "max_points: .inf"),
    ("tiers", "version: 2", "version: 2.5"),
    ("tiers", "self_assessment: false", "self_assessment: 1"),
    ("tiers", "weight: 100", "weight: 2026-09-30"),
    ("tiers", "metric: org:answer_rate", "metric: 'org:'"),
]


@pytest.mark.parametrize(("kind", "old", "new"), DISAGREEING)
def test_fields_that_disagree_are_explained_in_chinese(kind, old, new):
    assert old in SCHEMES[kind]
    with pytest.raises(SchemeFileError) as caught:
        load_text(SCHEMES[kind].replace(old, new, 1), DISPLAY)
    assert_worded_in_both(caught.value)


def twice(text, start):
    """The text with its part from the line starting ``start`` to the end repeated."""
    return text + text[text.index(start) :]


@pytest.mark.parametrize(
    "text",
    [
        twice(LEAN["linear"], "  - id: work"),
        twice(LEAN["linear"], "      - id: subject"),
        "- just\n- a list\n",
        "",
        LEAN["linear"] + "extends: ../elsewhere.yaml\n",
    ],
)
def test_whole_scheme_errors_are_explained_in_chinese(text):
    with pytest.raises(SchemeFileError) as caught:
        load_text(text, DISPLAY)
    assert_worded_in_both(caught.value)


def test_unreadable_and_circular_files_are_explained_in_chinese(tmp_path):
    (tmp_path / "latin1.yaml").write_bytes("name: Café".encode("latin-1"))
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "a.yaml").write_text("id: a\nextends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\nextends: a.yaml\n", encoding="utf-8")
    for name in ("missing.yaml", "latin1.yaml", "folder.yaml", "a.yaml"):
        with pytest.raises(SchemeFileError) as caught:
            load_scheme(tmp_path / name)
        assert_worded_in_both(caught.value)


def test_an_unknown_template_is_explained_in_chinese():
    with pytest.raises(UnknownScheme) as caught:
        load_text(LEAN["linear"] + "extends: no-such-template\n", DISPLAY)
    assert english_in(caught.value.message.zh) == []


@pytest.fixture(scope="module")
def inputs():
    return load_text(SCHEMES["tiers"], DISPLAY).inputs


BAD_VALUES = ["lots", " 9x ", True, [1], {"a": 1}, float("nan"), float("inf"), "-inf", -5, 2.5]


@pytest.mark.parametrize("value", BAD_VALUES)
@pytest.mark.parametrize("name", ["rate", "level", "talk", "count", "unknown"])
def test_every_bad_value_is_explained_in_chinese(inputs, name, value):
    if name in ("rate", "talk") and value == 2.5:
        value = 601  # a fraction is fine for these; too much is not
    with pytest.raises(InputError) as caught:
        parse_values(inputs, {name: value})
    assert_worded_in_both(caught.value)
    assert caught.value.where.zh == f"输入「{name}」"
