"""Editing a scheme's YAML text as data: nothing changed gives the same bytes, a change
rewrites only its own part and keeps comments and layout elsewhere."""

import copy
import difflib
from pathlib import Path

import pytest
import yaml

from kaohe.core import builtin_names, edit_yaml, flatten, load_text

TEMPLATES = Path(__file__).resolve().parents[2] / "kaohe" / "core" / "templates"
AS_WRITTEN = {path.stem: path.read_text(encoding="utf-8") for path in TEMPLATES.glob("*.yaml")}
FLATTENED = {name: flatten(name) for name in builtin_names()}


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("text", [*AS_WRITTEN.values(), *FLATTENED.values()])
def test_unchanged_data_gives_the_text_back_byte_for_byte(text):
    assert edit_yaml(text, yaml.safe_load(text)) == text


def test_a_tier_points_change_rewrites_one_number_and_keeps_the_comments():
    text = AS_WRITTEN["service-base"]
    data = yaml.safe_load(text)
    tiers = data["dimensions"][2]["indicators"][2]["rule"]["tiers"]
    tiers[1]["points"] = 25
    edited = edit_yaml(text, data)
    assert changed_lines(text, edited) == [
        "-            - {min: 4, points: 24}",
        "+            - {min: 4, points: 25}",
    ]
    assert "# No peer review, or a peer group below its anonymity threshold" in edited


def test_a_weight_change_in_the_flattened_text_touches_one_line():
    text = FLATTENED["cs-agent"]
    data = yaml.safe_load(text)
    data["dimensions"][0]["weight"] = 55
    assert changed_lines(text, edit_yaml(text, data)) == ["-  weight: 60", "+  weight: 55"]


def test_adding_and_removing_a_tier_row_leaves_the_other_rows_alone():
    text = AS_WRITTEN["cs-agent"]
    data = yaml.safe_load(text)
    tiers = data["dimensions"][0]["indicators"][0]["rule"]["tiers"]
    tiers.insert(1, {"min": 91, "points": 17})
    del tiers[3]  # the ≥ 85 row
    edited = edit_yaml(text, data)
    assert changed_lines(text, edited) == [
        "+            - {min: 91, points: 17}",
        "-            - {min: 85, points: 8}",
    ]
    assert yaml.safe_load(edited) == data


def test_an_added_optional_field_is_written_after_the_one_before_it():
    text = AS_WRITTEN["cs-agent"]
    data = yaml.safe_load(text)
    rule = data["dimensions"][0]["indicators"][0]["rule"]
    data["dimensions"][0]["indicators"][0] = {**data["dimensions"][0]["indicators"][0]}
    rule_with_gap = {"kind": "tiers", "input": "answer_rate", "gap": "next_higher"}
    rule_with_gap["tiers"] = rule["tiers"]
    data["dimensions"][0]["indicators"][0]["rule"] = rule_with_gap
    edited = edit_yaml(text, data)
    assert changed_lines(text, edited) == ["+          gap: next_higher"]
    assert load_text(edited).indicator("answer_rate").rule.gap_policy == "next_higher"


def test_removing_an_indicator_deletes_its_lines_only():
    text = FLATTENED["cs-agent"]
    data = yaml.safe_load(text)
    removed = data["dimensions"][0]["indicators"].pop(1)
    edited = edit_yaml(text, data)
    lines = changed_lines(text, edited)
    assert all(line.startswith("-") for line in lines)
    assert f"id: {removed['id']}" not in edited
    assert yaml.safe_load(edited) == data


def test_a_new_indicator_is_appended_in_block_style():
    text = FLATTENED["cs-director"]
    data = yaml.safe_load(text)
    indicator = copy.deepcopy(data["dimensions"][0]["indicators"][0])
    indicator["id"] = "referrals"
    data["dimensions"][0]["indicators"].append(indicator)
    edited = edit_yaml(text, data)
    assert all(line.startswith("+") for line in changed_lines(text, edited))
    assert load_text(edited).indicator("referrals").max_points == indicator["max_points"]


def test_text_needing_quotes_is_quoted_in_a_flow_mapping():
    text = AS_WRITTEN["cs-agent"]
    data = yaml.safe_load(text)
    data["dimensions"][0]["indicators"][0]["name"]["en"] = "Answer rate, queues: all"
    data["dimensions"][0]["indicators"][1]["description"]["zh"] = "第一行\n第二行"
    edited = edit_yaml(text, data)
    assert yaml.safe_load(edited) == data
    assert len(changed_lines(text, edited)) == 4


def test_a_new_key_in_a_flow_mapping_rewrites_that_mapping_on_its_line():
    text = AS_WRITTEN["cs-agent"]
    data = yaml.safe_load(text)
    data["inputs"]["nps"]["max"] = 90
    data["inputs"]["answer_rate"]["min"] = 50
    edited = edit_yaml(text, data)
    lines = changed_lines(text, edited)
    assert len(lines) == 4
    added = [line for line in lines if line.startswith("+  answer_rate: {kind: percent")]
    assert len(added) == 1
    assert "min: 50" in added[0]


def test_stages_and_grades_can_be_added_to_a_scheme_without_them():
    text = AS_WRITTEN["cs-director"]
    data = yaml.safe_load(text)
    data["stages"] = {"self_assessment": False}
    data["grades"] = [
        {"grade": "A", "min": 90, "coefficient": 1.2, "label": {"zh": "优秀", "en": "Excellent"},
         "actions": {"zh": "晋升", "en": "promote"}},
        {"grade": "B", "min": 0, "coefficient": 1.0, "label": {"zh": "良好", "en": "Good"},
         "actions": {"zh": "保持", "en": "keep"}},
    ]  # fmt: skip
    edited = edit_yaml(text, data)
    assert all(line.startswith("+") for line in changed_lines(text, edited))
    scheme = load_text(edited)
    assert "self_assessment" not in scheme.stages
    assert [band.grade for band in scheme.grades.bands] == ["A", "B"]
