"""The ``kaohe`` command as a user runs it: output, exit status, one-line errors."""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cs-director-2026Q3.yaml"


def kaohe(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "kaohe", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def assert_one_line_error(run, *fragments):
    assert run.returncode != 0
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def values_file(tmp_path, changes=None, drop=(), name="values.yaml"):
    values = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    values.update(changes or {})
    for key in drop:
        values.pop(key)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return path


class TestScore:
    def test_plain_output_in_chinese_has_the_trace(self):
        run = kaohe("score", "--scheme", "cs-director", "--values", EXAMPLE, "--base-pay", "12000")
        assert run.returncode == 0, run.stderr
        out = run.stdout
        assert "客服总监绩效考核" in out
        assert "工作能力  权重 85%  85 × 65 ÷ 80 = 69.06" in out
        assert "客户信息利用率 87.5%：落在「≥ 85 且 < 90」档，得 10 分。" in out
        assert "总分      81.06" in out
        assert "B（胜任）" in out
        assert "12,000.00 = 12,000.00 × 1.0" in out

    def test_plain_output_in_english(self):
        run = kaohe("score", "--scheme", "cs-director", "--values", EXAMPLE, "--lang", "en")
        assert run.returncode == 0, run.stderr
        assert "Capability  weight 85 %  85 × 65 ÷ 80 = 69.06" in run.stdout
        assert "Total        81.06" in run.stdout
        assert "B (Competent)" in run.stdout
        assert "Pay" not in run.stdout  # no base pay given

    def test_json_output(self):
        run = kaohe(
            "score", "--scheme", "cs-director", "--values", EXAMPLE,
            "--base-pay", "10000", "--json", "--lang", "en",
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        data = json.loads(run.stdout)
        # The one serialisation of a result: numbers as strings at full precision.
        assert (data["total"], data["grade"], data["coefficient"], data["pay"]) == (
            "81.06", "B", "1.0", "10000.00",
        )  # fmt: skip
        assert data["grade_label"] == "Competent"
        assert [(d["id"], d["name"], d["weight"], d["earned"], d["possible"]) for d in
                data["dimensions"]] == [("capability", "Capability", "85", "65", "80"),
                                        ("attitude", "Attitude", "15", "64", "80")]  # fmt: skip
        assert Decimal(data["dimensions"][0]["score"]) == Decimal("69.0625")  # 85 × 65 ÷ 80
        complaint = next(i for i in data["indicators"] if i["id"] == "complaint_handling")
        assert Decimal(complaint["points"]) == 5
        assert Decimal(complaint["max_points"]) == 10
        assert complaint["values"]["complaint_resolved_3wd_rate"] == "96.4"
        assert complaint["explanation"].startswith("1 of 3 checks failed")
        assert len(data["indicators"]) == 9

    def test_json_values_file(self, tmp_path):
        path = tmp_path / "values.json"
        path.write_text(json.dumps(yaml.safe_load(EXAMPLE.read_text())), encoding="utf-8")
        run = kaohe("score", "--scheme", "cs-director", "--values", path, "--json")
        assert json.loads(run.stdout)["total"] == "81.06"

    def test_a_scheme_file_can_be_scored(self, tmp_path):
        scheme = ROOT / "kaohe" / "core" / "templates" / "cs-director.yaml"
        run = kaohe("score", "--scheme", scheme, "--values", EXAMPLE, "--json")
        assert json.loads(run.stdout)["grade"] == "B"


class TestBadInput:
    def test_unknown_scheme(self):
        run = kaohe("score", "--scheme", "cs-directr", "--values", EXAMPLE, "--lang", "en")
        assert_one_line_error(run, "unknown scheme 'cs-directr'", "cs-director")

    def test_missing_scheme_file(self, tmp_path):
        run = kaohe(
            "score", "--scheme", tmp_path / "nope.yaml", "--values", EXAMPLE, "--lang", "en"
        )
        assert_one_line_error(run, "nope.yaml", "no such file")

    def test_missing_input(self, tmp_path):
        run = kaohe(
            "score", "--scheme", "cs-director", "--values", values_file(tmp_path, drop=["csat"]),
            "--lang", "en",
        )  # fmt: skip
        assert_one_line_error(run, "missing input 'csat'", "customer_satisfaction")

    def test_unknown_input(self, tmp_path):
        path = values_file(tmp_path, {"nps": 30})
        run = kaohe("score", "--scheme", "cs-director", "--values", path, "--lang", "en")
        assert_one_line_error(run, "input 'nps'", "the scheme reads no such input")

    def test_rate_out_of_range(self, tmp_path):
        path = values_file(tmp_path, {"process_completion_rate": 120})
        run = kaohe("score", "--scheme", "cs-director", "--values", path, "--lang", "en")
        assert_one_line_error(run, "input 'process_completion_rate'", "120 is above the maximum")

    def test_level_out_of_range(self, tmp_path):
        run = kaohe(
            "score",
            "--scheme",
            "cs-director",
            "--values",
            values_file(tmp_path, {"coordination": 7}),
            "--lang",
            "en",
        )
        assert_one_line_error(run, "input 'coordination'", "7 is above the maximum [1, 5]")

    def test_malformed_yaml_values(self, tmp_path):
        path = tmp_path / "values.yaml"
        path.write_text("csat: 91\ncoordination: [4\n", encoding="utf-8")
        run = kaohe("score", "--scheme", "cs-director", "--values", path, "--lang", "en")
        assert_one_line_error(run, "values file", "values.yaml, line", "malformed YAML")

    def test_malformed_json_values(self, tmp_path):
        path = tmp_path / "values.json"
        path.write_text('{"csat": 91,\n}', encoding="utf-8")
        run = kaohe("score", "--scheme", "cs-director", "--values", path, "--lang", "en")
        assert_one_line_error(run, "values.json, line 2", "malformed JSON")

    def test_values_that_are_not_a_mapping(self, tmp_path):
        path = tmp_path / "values.yaml"
        path.write_text("- 91\n- 92\n", encoding="utf-8")
        run = kaohe("score", "--scheme", "cs-director", "--values", path, "--lang", "en")
        assert_one_line_error(run, "expected a mapping of input names to values")

    def test_missing_values_file(self, tmp_path):
        missing = tmp_path / "none.yaml"
        run = kaohe("score", "--scheme", "cs-director", "--values", missing, "--lang", "en")
        assert_one_line_error(run, "none.yaml", "no such file")

    @pytest.mark.parametrize("amount", ["abc", "-5", "nan"])
    def test_bad_base_pay(self, amount):
        run = kaohe("score", "--scheme", "cs-director", "--values", EXAMPLE, "--base-pay", amount)
        assert_one_line_error(run, "--base-pay", repr(amount))

    def test_a_scheme_with_lint_errors_is_refused(self, tmp_path):
        broken = tmp_path / "broken.yaml"
        source = (ROOT / "kaohe/core/templates/cs-director.yaml").read_text(encoding="utf-8")
        broken.write_text(source.replace("weight: 85", "weight: 80"), encoding="utf-8")
        run = kaohe("score", "--scheme", broken, "--values", EXAMPLE, "--lang", "en")
        assert_one_line_error(run, "has 1 error", "kaohe scheme lint")

    def test_a_malformed_scheme_file_names_file_line_and_field(self, tmp_path):
        broken = tmp_path / "broken.yaml"
        source = (ROOT / "kaohe/core/templates/cs-director.yaml").read_text(encoding="utf-8")
        broken.write_text(source.replace("{min: 85, points: 10}", "{min: 85, points: ten}", 1))
        line = next(
            n for n, text in enumerate(broken.read_text().splitlines(), 1) if "points: ten" in text
        )
        run = kaohe("score", "--scheme", broken, "--values", EXAMPLE, "--lang", "en")
        assert_one_line_error(
            run,
            f"broken.yaml, line {line}",
            "indicator 'process_system'",
            "field 'rule.tiers[2].points'",
            "expected a number",
        )


class TestSchemeCommands:
    def test_list(self):
        run = kaohe("scheme", "list", "--lang", "en")
        assert run.returncode == 0
        assert "cs-director" in run.stdout
        assert "Customer-service director appraisal" in run.stdout

    def test_show_in_both_languages(self):
        zh = kaohe("scheme", "show", "cs-director")
        assert zh.returncode == 0
        assert "工作能力（capability）  权重 85%  满分 80 分" in zh.stdout
        assert "≥ 90 → 20 分；≥ 85 且 < 90 → 10 分；< 85 → 0 分" in zh.stdout
        assert "转介绍" in zh.stdout
        en = kaohe("scheme", "show", "cs-director", "--lang", "en")
        assert "Capability (capability)  weight 85 %  80 points possible" in en.stdout
        assert (
            "A  ≥ 90  Excellent  coefficient 1.2  Promotion candidate / special award" in en.stdout
        )

    def test_lint_clean_template(self):
        run = kaohe("scheme", "lint", "cs-director", "--lang", "en")
        assert run.returncode == 0
        assert run.stdout.strip() == "<built-in>/cs-director.yaml: 0 errors, 0 warnings"

    def test_lint_seed_literal_table_warns_of_the_gap_and_exits_0(self, tmp_path):
        source = (ROOT / "kaohe/core/templates/cs-director.yaml").read_text(encoding="utf-8")
        literal = source.replace(
            "            - {points: 0}", "            - {below: 80, points: 0}", 1
        )
        path = tmp_path / "literal.yaml"
        path.write_text(literal, encoding="utf-8")
        run = kaohe("scheme", "lint", path, "--lang", "en")
        assert run.returncode == 0, run.stdout
        assert "0 errors, 1 warning" in run.stdout
        warning = next(line for line in run.stdout.splitlines() if "gap" in line)
        assert "indicator process_system" in warning
        assert "[80, 85)" in warning

    def test_lint_errors_exit_1(self, tmp_path):
        source = (ROOT / "kaohe/core/templates/cs-director.yaml").read_text(encoding="utf-8")
        path = tmp_path / "overlap.yaml"
        path.write_text(
            source.replace("{min: 85, points: 10}", "{min: 85, max: 95, points: 10}", 1)
        )
        run = kaohe("scheme", "lint", path)
        assert run.returncode == 1
        assert "1 个错误" in run.stdout
        assert "重叠" in run.stdout

    def test_lint_unknown_scheme(self):
        run = kaohe("scheme", "lint", "nothing-like-it", "--lang", "en")
        assert_one_line_error(run, "unknown scheme")


def on_empty_home(home, *args, **environment):
    """``kaohe ARGS`` against the SQLite database of ``home``, whatever the test run uses."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "KAOHE_HOME": str(home)}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "kaohe", *map(str, args)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


class TestManage:
    def test_createsuperuser_on_an_empty_home_migrates_first(self, tmp_path):
        run = on_empty_home(
            tmp_path / "home",
            "manage", "createsuperuser", "--noinput", "--username", "root", "--email", "r@x.cn",
            DJANGO_SUPERUSER_PASSWORD="Root-pass-phrase-81",
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
        with contextlib.closing(sqlite3.connect(tmp_path / "home" / "kaohe.sqlite3")) as db:
            rows = db.execute("select username, is_superuser from auth_user").fetchall()
        assert rows == [("root", 1)]

    def test_commands_about_migrations_see_the_database_as_it_is(self, tmp_path):
        run = on_empty_home(tmp_path / "home", "manage", "showmigrations", "accounts")
        assert run.returncode == 0, run.stderr
        assert "[ ] 0001_initial" in run.stdout


@contextlib.contextmanager
def serving(home, command, **environment):
    """``kaohe COMMAND`` serving on a free port on loopback; yields its address."""
    from .test_serve_command import free_port, get

    port = free_port()
    env = {**os.environ, "KAOHE_HOME": str(home), "PYTHONPATH": str(ROOT), **environment}
    for name in ("DATABASE_URL", "KAOHE_HTTPS", "DEBUG"):
        if name not in environment:
            env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "kaohe", *command, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, f"kaohe {command[0]} stopped"
                assert time.monotonic() < deadline, f"kaohe {command[0]} did not answer"
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def csrf_cookie(base):
    from .test_serve_command import get

    _status, headers, _body = get(f"{base}/login/")
    return next(c for c in headers.get_all("Set-Cookie") if c.startswith("csrftoken="))


class TestPlainHttpForTheDemoOnly:
    def test_the_demo_sets_cookies_a_browser_returns_over_plain_http(self, tmp_path):
        with serving(tmp_path, ["demo", "--no-data"]) as base:
            cookie = csrf_cookie(base)
        assert "secure" not in cookie.lower()

    def test_serve_keeps_secure_cookies_by_default(self, tmp_path):
        with serving(tmp_path, ["serve", "--workers", "1"]) as base:
            cookie = csrf_cookie(base)
        assert "; secure" in cookie.lower()


def broken_director(tmp_path):
    """cs-director with text where a tier's points belong, and the line it is on."""
    broken = tmp_path / "broken.yaml"
    source = (ROOT / "kaohe/core/templates/cs-director.yaml").read_text(encoding="utf-8")
    broken.write_text(source.replace("{min: 85, points: 10}", "{min: 85, points: ten}", 1))
    line = next(
        n for n, text in enumerate(broken.read_text().splitlines(), 1) if "points: ten" in text
    )
    return broken, line


class TestErrorsInTheChosenLanguage:
    def test_a_malformed_scheme_file_in_chinese_by_default(self, tmp_path):
        broken, line = broken_director(tmp_path)
        run = kaohe("score", "--scheme", broken, "--values", EXAMPLE)
        assert_one_line_error(run)
        assert run.stderr.strip() == (
            f"kaohe: 「{broken}」第 {line} 行，指标「process_system」，"
            "字段「rule.tiers[2].points」：应为数字，实际为文字「ten」"
        )

    def test_lint_words_a_malformed_file_in_either_language(self, tmp_path):
        broken, line = broken_director(tmp_path)
        zh = kaohe("scheme", "lint", broken, "--lang", "zh")
        assert_one_line_error(zh, f"「{broken}」第 {line} 行", "应为数字")
        en = kaohe("scheme", "lint", broken, "--lang", "en")
        assert_one_line_error(en, f"{broken}, line {line}", "expected a number, got text 'ten'")

    def test_malformed_yaml_in_chinese(self, tmp_path):
        path = tmp_path / "bad.yaml"
        path.write_text("id: x\nname: {zh: 甲, en: A\n", encoding="utf-8")
        run = kaohe("scheme", "show", path)
        assert_one_line_error(run, f"「{path}」第 3 行：YAML 格式有误：")

    def test_bad_values_in_chinese(self, tmp_path):
        high = kaohe("score", "--scheme", "cs-director", "--values",
                     values_file(tmp_path, {"coordination": 7}))  # fmt: skip
        assert_one_line_error(high, "kaohe: 输入「coordination」：7 超过上限，取值范围为 [1, 5]")
        part = kaohe("score", "--scheme", "cs-director", "--values",
                     values_file(tmp_path, {"coordination": 2.5}))  # fmt: skip
        assert_one_line_error(part, "输入「coordination」：2.5 不是整数，等级只能填整数")
        unknown = kaohe("score", "--scheme", "cs-director", "--values",
                        values_file(tmp_path, {"nps": 30}))  # fmt: skip
        assert_one_line_error(unknown, "输入「nps」：方案中没有这项输入（方案的输入有：「")

    def test_an_unknown_scheme_in_chinese(self):
        run = kaohe("scheme", "show", "cs-directr")
        assert_one_line_error(run, "找不到方案「cs-directr」", "「cs-director」")

    def test_kaohe_lang_sets_the_language_of_errors(self):
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "KAOHE_LANG": "en"}
        run = subprocess.run(
            [sys.executable, "-m", "kaohe", "scheme", "show", "cs-directr"],
            capture_output=True, text=True, check=False, env=env,
        )  # fmt: skip
        assert_one_line_error(run, "unknown scheme 'cs-directr'")
        chosen = subprocess.run(
            [sys.executable, "-m", "kaohe", "scheme", "show", "cs-directr", "--lang", "zh"],
            capture_output=True, text=True, check=False, env=env,
        )  # fmt: skip
        assert_one_line_error(chosen, "找不到方案「cs-directr」")

    def test_values_file_errors_in_chinese(self, tmp_path):
        missing = tmp_path / "none.yaml"
        run = kaohe("score", "--scheme", "cs-director", "--values", missing)
        assert_one_line_error(run)
        assert run.stderr.strip() == f"kaohe: 输入值文件「{missing}」：找不到该文件"
        yaml_file = tmp_path / "values.yaml"
        yaml_file.write_text("csat: 91\ncoordination: [4\n", encoding="utf-8")
        run = kaohe("score", "--scheme", "cs-director", "--values", yaml_file)
        assert_one_line_error(run, f"输入值文件「{yaml_file}」第 3 行：YAML 格式有误")
        json_file = tmp_path / "values.json"
        json_file.write_text('{"csat": 91,\n}', encoding="utf-8")
        run = kaohe("score", "--scheme", "cs-director", "--values", json_file)
        assert_one_line_error(run, f"输入值文件「{json_file}」第 2 行：JSON 格式有误")
        json_file.write_text("[91]", encoding="utf-8")
        run = kaohe("score", "--scheme", "cs-director", "--values", json_file)
        assert_one_line_error(run, "应为输入名到取值的对照表")

    def test_missing_inputs_in_chinese(self, tmp_path):
        run = kaohe("score", "--scheme", "cs-director", "--values",
                    values_file(tmp_path, drop=["csat"]))  # fmt: skip
        assert_one_line_error(
            run, "缺少输入「csat」：指标「customer_satisfaction」没有取值就无法评分", "须补齐"
        )

    def test_options_used_wrongly_in_both_languages(self):
        alone = kaohe("score", "--scheme", "cs-director", "--employee", "QF0005")
        assert_one_line_error(alone, "「--employee」与「--period」须一起给出")
        alone = kaohe("score", "--scheme", "cs-director", "--period", "2026-09", "--lang", "en")
        assert_one_line_error(alone, "--employee and --period go together")
        nothing = kaohe("score", "--scheme", "cs-director")
        assert_one_line_error(nothing, "请给出「--values 文件」")
        nothing = kaohe("score", "--scheme", "cs-director", "--lang", "en")
        assert_one_line_error(nothing, "give --values FILE, or --employee and --period")
        pay = kaohe("score", "--scheme", "cs-director", "--values", EXAMPLE, "--base-pay", "-5")
        assert_one_line_error(pay, "「--base-pay」：应为不小于 0 的金额，实际为 '-5'")

    def test_schemes_that_cannot_be_scored_in_both_languages(self, tmp_path):
        base = kaohe("score", "--scheme", "service-base", "--values", EXAMPLE)
        assert_one_line_error(base, "方案「service-base」是供其他方案继承的抽象基础方案")
        base = kaohe("score", "--scheme", "service-base", "--values", EXAMPLE, "--lang", "en")
        assert_one_line_error(base, "scheme 'service-base' is an abstract base")
        broken = tmp_path / "broken.yaml"
        source = (ROOT / "kaohe/core/templates/cs-director.yaml").read_text(encoding="utf-8")
        broken.write_text(source.replace("weight: 85", "weight: 80"), encoding="utf-8")
        run = kaohe("score", "--scheme", broken, "--values", EXAMPLE)
        assert_one_line_error(run, "有 1 个错误；详见 `kaohe scheme lint")
