"""Loading scheme files: errors name the file, line, indicator and field; `extends` merges."""

import pytest

from kaohe.core import SchemeFileError, UnknownScheme, load_scheme

from .schemes import FIVE_LEVELS, one_indicator_scheme, write

LINEAR = "kind: linear\ninput: rate\nfloor: 60\ntarget: 90\npoints: 20"


def line_of(text, marker, occurrence=1):
    """The 1-based line of the n-th line containing ``marker``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    return hits[occurrence - 1]


def load_error(tmp_path, text, name="scheme.yaml"):
    path = write(tmp_path, text, name)
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(path)
    return caught.value, str(path)


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = one_indicator_scheme(LINEAR).replace("floor: 60", "floor: [60")
    error, path = load_error(tmp_path, text)
    assert error.file == path
    assert error.line is not None
    assert "malformed YAML" in str(error)


def test_a_misspelt_field_is_named_with_a_suggestion(tmp_path):
    text = one_indicator_scheme(LINEAR).replace("max_points:", "max_point:")
    error, path = load_error(tmp_path, text)
    assert error.line == line_of(text, "max_point:")
    assert (error.indicator, error.field) == ("subject", "max_point")
    assert "did you mean 'max_points'?" in str(error)
    prefix = f"{path}, line {error.line}, indicator 'subject', field 'max_point': unknown field"
    assert str(error).startswith(prefix)


def test_a_missing_required_field(tmp_path):
    text = one_indicator_scheme(LINEAR.replace("input: rate\n", ""))
    error, _ = load_error(tmp_path, text)
    assert (error.indicator, error.field) == ("subject", "rule.input")
    assert "required field is missing" in str(error)
    assert "indicator 'subject'" in str(error)


def test_text_where_a_number_belongs_names_the_tier(tmp_path):
    rule = """
    kind: tiers
    input: rate
    tiers:
      - {min: 90, points: 20}
      - {min: "abc", points: 10}
      - {points: 0}
    """
    text = one_indicator_scheme(rule)
    error, _ = load_error(tmp_path, text)
    assert (error.indicator, error.field) == ("subject", "rule.tiers[2].min")
    assert error.line == line_of(text, '"abc"')
    assert "expected a number, got text 'abc'" in str(error)


def test_a_rule_reading_an_undeclared_input(tmp_path):
    error, _ = load_error(
        tmp_path, one_indicator_scheme(LINEAR.replace("input: rate", "input: nps"))
    )
    assert error.field == "rule.input"
    assert "unknown input 'nps'" in str(error)
    assert "rate, level, hours, count" in str(error)


def test_an_unknown_rule_kind(tmp_path):
    error, _ = load_error(tmp_path, one_indicator_scheme(LINEAR.replace("linear", "curvy")))
    assert error.field == "rule.kind"
    assert "unknown rule kind 'curvy'" in str(error)
    assert "tiers, linear, range, checks, levels, events" in str(error)


def test_levels_must_match_the_inputs_range(tmp_path):
    rule = "\n".join(FIVE_LEVELS.splitlines()[:7])  # three levels of the five
    error, _ = load_error(tmp_path, one_indicator_scheme(rule, smart=""))
    assert error.field == "rule.levels"
    assert "3 levels given, but input 'level' takes levels [1, 5]" in str(error)


def test_a_level_rule_needs_a_level_input(tmp_path):
    rule = "kind: levels\ninput: rate\nlevels: []"
    error, _ = load_error(tmp_path, one_indicator_scheme(rule, smart=""))
    assert "input 'rate' is a percent; this rule reads a level" in str(error)


def test_a_bonus_needs_a_cap(tmp_path):
    error, _ = load_error(
        tmp_path, one_indicator_scheme("kind: events\ninput: count\nper_event: 5")
    )
    assert "a bonus needs a 'cap'" in str(error)


def test_duplicate_indicator_ids(tmp_path):
    text = one_indicator_scheme(LINEAR)
    indicator = text[text.index("      - id: subject") :]
    text = text + indicator
    error, _ = load_error(tmp_path, text)
    assert "duplicate indicator id 'subject'" in str(error)
    assert error.line == line_of(text, "- id: subject", occurrence=2)


def test_names_need_both_languages(tmp_path):
    text = one_indicator_scheme(LINEAR).replace("{zh: 指标, en: Indicator}", "{zh: 指标}")
    error, _ = load_error(tmp_path, text)
    assert (error.indicator, error.field) == ("subject", "name.en")
    assert "required field is missing" in str(error)


def test_both_inclusive_and_exclusive_bounds_are_refused(tmp_path):
    rule = "kind: tiers\ninput: rate\ntiers:\n  - {min: 90, above: 90, points: 20}"
    error, _ = load_error(tmp_path, one_indicator_scheme(rule))
    assert error.field == "rule.tiers[1].above"
    assert "either 'min' or 'above', not both" in str(error)


BASE = one_indicator_scheme(LINEAR).replace("id: test", "id: base", 1)


def test_extends_merges_indicators_and_keeps_the_base(tmp_path):
    write(tmp_path, BASE, "base.yaml")
    child = write(
        tmp_path,
        """\
id: child
extends: base.yaml
name: {zh: 子方案, en: Child}
dimensions:
  - id: work
    indicators:
      - id: subject
        max_points: 30
        rule: {kind: linear, input: rate, floor: 50, target: 80, points: 30}
      - id: added
        name: {zh: 新增, en: Added}
        max_points: 10
        rule: {kind: events, input: count, base: 10, per_event: -5}
""",
        "child.yaml",
    )
    scheme = load_scheme(child)
    assert scheme.id == "child"
    assert scheme.name.en == "Child"
    work = scheme.dimensions[0]
    assert work.weight == 100  # inherited
    assert [i.id for i in work.indicators] == ["subject", "added"]
    assert work.indicators[0].max_points == 30
    assert work.indicators[0].name.en == "Indicator"  # inherited field by field
    assert work.indicators[0].smart.target is not None


def test_remove_drops_an_inherited_indicator(tmp_path):
    write(tmp_path, BASE, "base.yaml")
    child = write(
        tmp_path,
        "id: child\nextends: base.yaml\ndimensions:\n  - id: work\n    indicators:\n"
        "      - {id: subject, remove: true}\n"
        "      - {id: other, name: {zh: 其他, en: Other}, max_points: 5,"
        " rule: {kind: events, input: count, base: 5, per_event: -1}}\n",
        "child.yaml",
    )
    assert [i.id for i in load_scheme(child).indicators()] == ["other"]


def test_an_error_in_the_base_names_the_base_file(tmp_path):
    base = write(tmp_path, BASE.replace("floor: 60", "floor: sixty"), "base.yaml")
    child = write(tmp_path, "id: child\nextends: base.yaml\n", "child.yaml")
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(child)
    assert caught.value.file == str(base)
    assert caught.value.field == "rule.floor"
    assert caught.value.line == line_of(base.read_text(encoding="utf-8"), "sixty")


def test_an_error_in_the_extension_names_the_extension(tmp_path):
    write(tmp_path, BASE, "base.yaml")
    child = write(
        tmp_path,
        "id: child\nextends: base.yaml\ndimensions:\n  - id: work\n    indicators:\n"
        "      - {id: subject, max_points: lots}\n",
        "child.yaml",
    )
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(child)
    assert caught.value.file == str(child)
    assert caught.value.line == 6
    assert caught.value.field == "max_points"


def test_extends_in_a_circle_is_refused(tmp_path):
    write(tmp_path, "id: a\nextends: b.yaml\n", "a.yaml")
    write(tmp_path, "id: b\nextends: a.yaml\n", "b.yaml")
    with pytest.raises(SchemeFileError, match="extend each other in a circle"):
        load_scheme(tmp_path / "a.yaml")


def test_an_unknown_built_in_lists_the_templates():
    with pytest.raises(UnknownScheme) as caught:
        load_scheme("no-such-template")
    assert "unknown scheme 'no-such-template'" in str(caught.value)
    assert "cs-director" in str(caught.value)
    assert "cs-agent" in str(caught.value)


def test_a_built_in_error_shows_a_short_file_name():
    scheme = load_scheme("cs-director")
    assert scheme.source == "<built-in>/cs-director.yaml"
