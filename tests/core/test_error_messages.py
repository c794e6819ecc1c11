"""Errors in both languages: each names its place, in Chinese as in English."""

import pytest

from kaohe.core import (
    InputError,
    SchemeFileError,
    Text,
    UnknownScheme,
    load_scheme,
    load_text,
    parse_values,
)

from .schemes import INPUTS, one_indicator_scheme, write

LINEAR = "kind: linear\ninput: rate\nfloor: 60\ntarget: 90\npoints: 20"


def line_of(text, marker, occurrence=1):
    hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    return hits[occurrence - 1]


def file_error(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(path)
    return caught.value, str(path)


def input_error(values):
    inputs = load_text(one_indicator_scheme(LINEAR)).inputs
    with pytest.raises(InputError) as caught:
        parse_values(inputs, values)
    return caught.value


def test_malformed_yaml_names_the_line_in_both_languages(tmp_path):
    text = one_indicator_scheme(LINEAR).replace("floor: 60", "floor: [60")
    error, path = file_error(tmp_path, text)
    assert error.message.zh.startswith(f"「{path}」第 {error.line} 行：YAML 格式有误：")
    assert error.message("en").startswith(f"{path}, line {error.line}: malformed YAML: ")
    assert str(error) == error.message.en


def test_an_unknown_field_names_the_indicator_and_the_field(tmp_path):
    text = one_indicator_scheme(LINEAR).replace("max_points:", "max_point:")
    error, path = file_error(tmp_path, text)
    line = line_of(text, "max_point:")
    assert error.where == Text(
        f"「{path}」第 {line} 行，指标「subject」，字段「max_point」",
        f"{path}, line {line}, indicator 'subject', field 'max_point'",
    )
    assert error.problem.zh.startswith("无法识别的字段（可用的字段：「id」、「name」、")
    assert error.problem.zh.endswith("；是不是想写「max_points」？")
    assert error.message.zh == f"{error.where.zh}：{error.problem.zh}"
    assert error.reason == error.problem.en  # the English, as before
    assert error.reason.startswith("unknown field (allowed: id, name, ")


def test_a_duplicate_indicator_id_names_the_second(tmp_path):
    text = one_indicator_scheme(LINEAR)
    text += text[text.index("      - id: subject") :]
    error, path = file_error(tmp_path, text)
    line = line_of(text, "- id: subject", occurrence=2)
    assert error.message == Text(
        f"「{path}」第 {line} 行，字段「dimensions[1].indicators[2].id」："
        "指标编号「subject」重复：同一方案中各指标的编号不能相同",
        f"{path}, line {line}, field 'dimensions[1].indicators[2].id': "
        "duplicate indicator id 'subject'",
    )


def test_a_bad_metric_name_shows_the_forms_a_metric_takes(tmp_path):
    inputs = INPUTS.replace("kind: count,", "kind: count, metric: 'org:',")
    error, path = file_error(tmp_path, one_indicator_scheme(LINEAR, inputs=inputs))
    assert error.field == "inputs.count.metric"
    assert error.message.zh == (
        f"「{path}」第 {error.line} 行，字段「inputs.count.metric」："
        "「org:」不是有效的指标数据名称：应写成「fcr_rate」（本人数据）、"
        "「queues:answer_rate」（本人所在队列）或「org:answer_rate」（整个组织）这样的形式"
    )
    assert "'org:' is not a metric: use a name such as fcr_rate" in error.message.en


def test_a_wrong_kind_of_value_says_what_was_found(tmp_path):
    text = one_indicator_scheme(LINEAR.replace("floor: 60", "floor: sixty"))
    error, _ = file_error(tmp_path, text)
    assert error.message.zh.endswith(
        "指标「subject」，字段「rule.floor」：应为数字，实际为文字「sixty」"
    )
    assert error.message.en.endswith("field 'rule.floor': expected a number, got text 'sixty'")


def test_a_file_that_is_not_there(tmp_path):
    with pytest.raises(SchemeFileError) as caught:
        load_scheme(tmp_path / "none.yaml")
    path = tmp_path / "none.yaml"
    assert caught.value.message == Text(f"「{path}」：找不到该文件", f"{path}: no such file")


def test_stored_text_names_its_version():
    with pytest.raises(SchemeFileError) as caught:
        load_text("id: x\nname: [\n", display="x v3")
    assert caught.value.message.zh.startswith("「x v3」第 3 行：YAML 格式有误：")


def test_an_unknown_scheme_lists_the_templates():
    with pytest.raises(UnknownScheme) as caught:
        load_scheme("cs-directr")
    error = caught.value
    assert error.name == "cs-directr"
    assert "cs-director" in error.templates
    assert error.message.zh.startswith("找不到方案「cs-directr」（内置模板有：「admin-staff」、")
    assert error.message.en.startswith("unknown scheme 'cs-directr' (built-in templates: ")


def test_a_value_out_of_range_names_the_input_and_the_range():
    error = input_error({"rate": 120})
    assert error.message == Text(
        "输入「rate」：120 超过上限，取值范围为 [0, 100]",
        "input 'rate': 120 is above the maximum [0, 100]",
    )
    assert input_error({"rate": -1}).message.zh == "输入「rate」：-1 低于下限，取值范围为 [0, 100]"
    assert str(error) == error.message.en
    assert error.reason == "120 is above the maximum [0, 100]"


def test_a_level_must_be_whole():
    error = input_error({"level": "2.5"})
    assert error.message == Text(
        "输入「level」：2.5 不是整数，等级只能填整数",
        "input 'level': 2.5 is not a whole number (level)",
    )


def test_an_unknown_input_lists_the_schemes_inputs():
    error = input_error({"nps": 30})
    assert error.input_name == "nps"
    assert error.message.zh == (
        "输入「nps」：方案中没有这项输入（方案的输入有：「count」、「hours」、「level」、「rate」）"
    )
    assert error.message.en == (
        "input 'nps': the scheme reads no such input (it reads: count, hours, level, rate)"
    )


@pytest.mark.parametrize(
    ("raw", "zh"),
    [
        ("lots", "应为数字，实际为「lots」"),
        (True, "应为数字，实际为「true」（是/否）"),
        ([1], "应为数字，实际为列表"),
        (float("nan"), "应为具体的数值，不能是「nan」"),
    ],
)
def test_a_value_that_is_not_a_number(raw, zh):
    assert input_error({"rate": raw}).problem.zh == zh
