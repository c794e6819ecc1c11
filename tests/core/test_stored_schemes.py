"""Schemes stored as text: a built-in template flattened, then loaded back, is the same."""

from dataclasses import replace

import pytest

from kaohe.core import SchemeFileError, builtin_names, flatten, load_scheme, load_text

CONCRETE = [name for name in builtin_names() if not load_scheme(name).abstract]


@pytest.mark.parametrize("name", CONCRETE)
def test_a_flattened_template_loads_back_the_same(name):
    text = flatten(name)
    assert "extends" not in text
    stored = load_text(text, display=f"{name} v1")
    assert replace(stored, source="") == replace(load_scheme(name), source="")


def test_stored_text_may_extend_a_built_in_template_by_name():
    text = "id: my-agent\nname: {zh: 我的坐席, en: My agent}\nextends: cs-agent\n"
    assert load_text(text).dimensions == load_scheme("cs-agent").dimensions


def test_stored_text_may_not_reach_for_files():
    text = "id: sneaky\nname: {zh: 甲, en: A}\nextends: ../../etc/scheme.yaml\n"
    with pytest.raises(SchemeFileError, match="only a built-in template"):
        load_text(text, display="sneaky v1")


def test_errors_in_stored_text_name_the_version_and_line():
    with pytest.raises(SchemeFileError) as error:
        load_text("id: x\nname: [unclosed\n", display="x v3")
    assert "x v3" in str(error.value)
    assert "line" in str(error.value)


def test_a_scheme_may_leave_out_optional_stages():
    base = "id: lean\nname: {zh: 甲, en: A}\nextends: cs-agent\n"
    assert load_text(base).stages == {"self_assessment", "calibration", "interview"}
    lean = load_text(base + "stages: {self_assessment: false}\n")
    assert lean.stages == {"calibration", "interview"}
    with pytest.raises(SchemeFileError, match="unknown field"):
        load_text(base + "stages: {appeal: false}\n")
